package state

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/berthhq/berth/schemas/addrs"
)

// Format version 1: the file types, their reader and their writer. The
// JSON Schema of this format is schemas/state.schema.json.

type fileV1 struct {
	Version      int                  `json:"version"`
	Serial       *uint64              `json:"serial"`
	Lineage      string               `json:"lineage"`
	BerthVersion string               `json:"berth_version"`
	Resources    []*resourceV1        `json:"resources"`
	Outputs      map[string]*outputV1 `json:"outputs"`
}

type resourceV1 struct {
	Address             string          `json:"address"`
	Module              string          `json:"module,omitempty"`
	Type                string          `json:"type"`
	Name                string          `json:"name"`
	Index               json.RawMessage `json:"index,omitempty"` // number, string or absent
	Provider            string          `json:"provider"`
	Node                string          `json:"node,omitempty"`
	SchemaVersion       int             `json:"schema_version"`
	Attributes          json.RawMessage `json:"attributes"`
	SensitivePaths      []string        `json:"sensitive_paths"`
	Private             []byte          `json:"private,omitempty"`
	Dependencies        []string        `json:"dependencies"`
	CreateBeforeDestroy bool            `json:"create_before_destroy"`
	Tainted             bool            `json:"tainted"`
}

type outputV1 struct {
	Value     json.RawMessage `json:"value"`
	Type      json.RawMessage `json:"type"`
	Sensitive bool            `json:"sensitive"`
}

// readV1 decodes a version 1 file strictly: unknown fields are errors, so
// that nothing a newer writer added is silently dropped on the next write.
func readV1(data []byte) (*State, error) {
	var f fileV1
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(err)
	}
	if f.Serial == nil {
		return nil, invalidf("no \"serial\" field")
	}
	st := &State{
		Version:      1,
		Serial:       *f.Serial,
		Lineage:      f.Lineage,
		BerthVersion: f.BerthVersion,
		Resources:    make([]*Resource, 0, len(f.Resources)),
		Outputs:      make(map[string]*Output, len(f.Outputs)),
	}
	for i, fr := range f.Resources {
		r, err := fr.resource()
		if err != nil {
			return nil, invalidf("resources[%d]: %v", i, err)
		}
		st.Resources = append(st.Resources, r)
	}
	for name, fo := range f.Outputs {
		if fo == nil {
			return nil, invalidf("output %q is null, want an object", name)
		}
		st.Outputs[name] = &Output{Value: fo.Value, Type: fo.Type, Sensitive: fo.Sensitive}
	}
	st.sortResources()
	if err := validate(st); err != nil {
		return nil, err
	}
	return st, nil
}

// resource converts one entry, checking that the address agrees with the
// module, type, name and index fields beside it.
func (fr *resourceV1) resource() (*Resource, error) {
	if fr == nil {
		return nil, invalidf("null, want an object")
	}
	addr, err := addrs.ParseInstance(fr.Address)
	if err != nil {
		return nil, err
	}
	if canon := addr.String(); canon != fr.Address {
		return nil, invalidf("address %q is not in canonical form %q", fr.Address, canon)
	}
	key, err := decodeIndex(fr.Index)
	if err != nil {
		return nil, invalidf("%s: %v", fr.Address, err)
	}
	if addr.Module.String() != fr.Module || addr.Type != fr.Type || addr.Name != fr.Name || addr.Key != key {
		return nil, invalidf("%s: the module, type, name and index fields (%q, %q, %q, %s) disagree with the address",
			fr.Address, fr.Module, fr.Type, fr.Name, indexText(fr.Index))
	}
	if !isJSONObject(fr.Attributes) {
		return nil, invalidf("%s: \"attributes\" must be a JSON object", fr.Address)
	}
	attrs, err := compactJSON(fr.Attributes)
	if err != nil {
		return nil, invalidf("%s: attributes: %v", fr.Address, err)
	}
	return &Resource{
		Addr: addr, Provider: fr.Provider, Node: fr.Node,
		SchemaVersion:       fr.SchemaVersion,
		Attributes:          attrs,
		SensitivePaths:      fr.SensitivePaths,
		Private:             fr.Private,
		Dependencies:        fr.Dependencies,
		CreateBeforeDestroy: fr.CreateBeforeDestroy,
		Tainted:             fr.Tainted,
	}, nil
}

func decodeIndex(raw json.RawMessage) (addrs.Key, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return addrs.Key{}, nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return addrs.StringKeyOf(s), err
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 0 {
		return addrs.Key{}, invalidf("\"index\" is %s, want a whole number or a string", raw)
	}
	return addrs.IntKeyOf(n), nil
}

func indexText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "no index"
	}
	return string(raw)
}

// writeV1 renders st as a version 1 file.
func writeV1(st *State) ([]byte, error) {
	sorted := *st
	sorted.Resources = slices.Clone(st.Resources)
	sorted.sortResources()
	if err := validate(&sorted); err != nil {
		return nil, err
	}
	serial := st.Serial
	f := fileV1{
		Version:      1,
		Serial:       &serial,
		Lineage:      st.Lineage,
		BerthVersion: st.BerthVersion,
		Resources:    make([]*resourceV1, len(sorted.Resources)),
		Outputs:      make(map[string]*outputV1, len(st.Outputs)),
	}
	for i, r := range sorted.Resources {
		f.Resources[i] = resourceToV1(r)
	}
	for name, o := range sorted.Outputs {
		f.Outputs[name] = &outputV1{Value: nullIfEmpty(o.Value), Type: o.Type, Sensitive: o.Sensitive}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&f); err != nil {
		return nil, encodeError(&sorted, err)
	}
	return b.Bytes(), nil
}

func resourceToV1(r *Resource) *resourceV1 {
	fr := &resourceV1{
		Address:             r.Addr.String(),
		Module:              r.Addr.Module.String(),
		Type:                r.Addr.Type,
		Name:                r.Addr.Name,
		Provider:            r.Provider,
		Node:                r.Node,
		SchemaVersion:       r.SchemaVersion,
		Attributes:          r.Attributes,
		SensitivePaths:      sortedStrings(r.SensitivePaths),
		Private:             r.Private,
		Dependencies:        sortedStrings(r.Dependencies),
		CreateBeforeDestroy: r.CreateBeforeDestroy,
		Tainted:             r.Tainted,
	}
	if len(fr.Attributes) == 0 {
		fr.Attributes = json.RawMessage("{}")
	}
	switch r.Addr.Key.Kind {
	case addrs.IntKey:
		fr.Index = strconv.AppendInt(nil, int64(r.Addr.Key.Int), 10)
	case addrs.StringKey:
		fr.Index = jsonString(r.Addr.Key.Str)
	}
	return fr
}

func nullIfEmpty(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	return raw
}

// encodeError names the record whose raw JSON the encoder choked on.
func encodeError(st *State, err error) error {
	for _, r := range st.Resources {
		if len(r.Attributes) > 0 && !json.Valid(r.Attributes) {
			return invalidf("%s: attributes are not valid JSON", r.Addr)
		}
	}
	for name, o := range st.Outputs {
		if len(o.Value) > 0 && !json.Valid(o.Value) {
			return invalidf("output %q: value is not valid JSON", name)
		}
	}
	return invalidf("%v", err)
}
