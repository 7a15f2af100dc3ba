package views

import (
	"io"
	"sort"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

// StateFormatVersion is the format_version of `berth show -json` for a
// state.
const StateFormatVersion = "1.0"

// WriteStateJSON writes st in Terraform's values representation:
// {"format_version", "values": {"outputs", "root_module"}}.
func WriteStateJSON(w io.Writer, st *state.State, lookup SchemaLookup, berthVersion string) error {
	values, err := StateValuesJSON(st, lookup)
	if err != nil {
		return err
	}
	return writeJSON(w, map[string]any{
		"format_version": StateFormatVersion,
		"berth_version":  berthVersion,
		"values":         values,
	})
}

// StateValuesJSON builds the "values" member: outputs and the module
// tree of resources.
func StateValuesJSON(st *state.State, lookup SchemaLookup) (map[string]any, error) {
	outputs := map[string]any{}
	for name, o := range st.Outputs {
		outputs[name] = map[string]any{
			"sensitive": o.Sensitive,
			"value":     rawJSON(o.Value),
			"type":      rawJSON(o.Type),
		}
	}
	mods := map[string]*moduleJSON{"": {}}
	for _, r := range st.Resources {
		rv, err := resourceJSON(r, lookup)
		if err != nil {
			return nil, err
		}
		m := moduleOf(mods, r.Addr.Module)
		m.resources = append(m.resources, rv)
	}
	return map[string]any{"outputs": outputs, "root_module": mods[""].doc()}, nil
}

type moduleJSON struct {
	address   string
	resources []any
	children  map[string]*moduleJSON
}

// moduleOf finds or makes the node of module path m and its ancestors.
func moduleOf(mods map[string]*moduleJSON, m addrs.Module) *moduleJSON {
	if existing, ok := mods[m.String()]; ok {
		return existing
	}
	parent := moduleOf(mods, m[:len(m)-1])
	node := &moduleJSON{address: m.String()}
	if parent.children == nil {
		parent.children = map[string]*moduleJSON{}
	}
	parent.children[node.address] = node
	mods[node.address] = node
	return node
}

func (m *moduleJSON) doc() map[string]any {
	out := map[string]any{"resources": append([]any{}, m.resources...)}
	if m.address != "" {
		out["address"] = m.address
	}
	if len(m.children) > 0 {
		names := make([]string, 0, len(m.children))
		for n := range m.children {
			names = append(names, n)
		}
		sort.Strings(names)
		var kids []any
		for _, n := range names {
			kids = append(kids, m.children[n].doc())
		}
		out["child_modules"] = kids
	}
	return out
}

func resourceJSON(r *state.Resource, lookup SchemaLookup) (map[string]any, error) {
	v, block, err := resourceValue(r, lookup)
	if err != nil {
		return nil, err
	}
	sens := stateSensitive(r, block)
	out := map[string]any{
		"address":          r.Addr.String(),
		"mode":             "managed",
		"type":             r.Addr.Type,
		"name":             r.Addr.Name,
		"provider_name":    providerName(r.Provider),
		"schema_version":   r.SchemaVersion,
		"values":           jsonObject(jsonValue(v)),
		"sensitive_values": mask(v, nil, func(v cty.Value, p cty.Path) bool { return len(p) > 0 && !isNull(v) && sens(p) }),
	}
	if k := r.Addr.Key.Value(); k != nil {
		out["index"] = k
	}
	if r.Node != "" {
		out["node"] = r.Node
	}
	return out, nil
}

// jsonObject turns a null value into an empty object, as "values" is
// always an object.
func jsonObject(v any) any {
	if v == nil {
		return map[string]any{}
	}
	return v
}
