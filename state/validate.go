package state

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/berthhq/berth/schemas/addrs"
)

// validate checks the rules every state file obeys, whichever version it
// was read from; the writer checks them too, so that berth never writes a
// file it would refuse to read. Resources must already be sorted.
func validate(st *State) error {
	if st.Lineage == "" {
		return invalidf("no lineage (create states with state.New)")
	}
	for i, r := range st.Resources {
		if r == nil {
			return invalidf("resources[%d] is nil", i)
		}
		if err := validateResource(r); err != nil {
			return err
		}
		if i > 0 && sameInstance(st.Resources[i-1].Addr, r.Addr) {
			return invalidf("%s is recorded twice", r.Addr)
		}
	}
	for name, o := range st.Outputs {
		if o == nil {
			return invalidf("output %q is nil", name)
		}
		if _, err := o.Decode(); err != nil {
			return invalidf("output %q: %v", name, err)
		}
	}
	return nil
}

func validateResource(r *Resource) error {
	text := r.Addr.String()
	parsed, err := addrs.ParseInstance(text)
	if err != nil {
		return invalidf("resource address: %v", err)
	}
	if !parsed.Module.Equal(r.Addr.Module) || parsed.Type != r.Addr.Type ||
		parsed.Name != r.Addr.Name || parsed.Key != r.Addr.Key {
		return invalidf("resource address %s does not read back as itself", text)
	}
	if r.SchemaVersion < 0 {
		return invalidf("%s: negative schema version %d", text, r.SchemaVersion)
	}
	// Whether the attributes are valid JSON at all is checked by the
	// encoder (writing) or was checked by the decoder (reading).
	if len(r.Attributes) > 0 && !isJSONObject(r.Attributes) {
		return invalidf("%s: attributes are not a JSON object", text)
	}
	for _, d := range r.Dependencies {
		t, err := addrs.ParseTarget(d)
		if err != nil || t.Type == "" || t.HasOrdinal {
			return invalidf("%s: dependency %q is not a resource or instance address", text, d)
		}
	}
	return nil
}

// sortedStrings returns a sorted copy of ss, never nil.
func sortedStrings(ss []string) []string {
	c := make([]string, len(ss))
	copy(c, ss)
	slices.Sort(c)
	return c
}

// jsonString renders s as a JSON string without HTML escaping.
func jsonString(s string) json.RawMessage {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return json.RawMessage(strings.TrimSuffix(b.String(), "\n"))
}
