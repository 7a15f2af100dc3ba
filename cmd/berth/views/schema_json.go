package views

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// ProviderSchemas is one provider's resource schemas, for
// `berth providers schema -json`.
type ProviderSchemas struct {
	Name      string
	Resources map[string]*schemas.Resource
}

// WriteProvidersSchemaJSON writes {"format_version", "provider_schemas":
// {NAME: {"resource_schemas": {TYPE: {"version", "block"}}}}}.
func WriteProvidersSchemaJSON(w io.Writer, provs []ProviderSchemas) error {
	out := map[string]any{}
	for _, p := range provs {
		res := map[string]any{}
		for typ, s := range p.Resources {
			b, err := blockJSON(&s.Block)
			if err != nil {
				return fmt.Errorf("schema of %s: %w", typ, err)
			}
			res[typ] = map[string]any{"version": s.Version, "block": b}
		}
		out[p.Name] = map[string]any{"resource_schemas": res}
	}
	return writeJSON(w, map[string]any{"format_version": "1.0", "provider_schemas": out})
}

func blockJSON(b *schemas.Block) (map[string]any, error) {
	attrs := map[string]any{}
	for name, a := range b.Attributes {
		aj, err := attributeJSON(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		attrs[name] = aj
	}
	blocks := map[string]any{}
	for name, nb := range b.Blocks {
		inner, err := blockJSON(&nb.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		bj := map[string]any{"nesting_mode": nb.Nesting.String(), "block": inner}
		if nb.MinItems > 0 {
			bj["min_items"] = nb.MinItems
		}
		if nb.MaxItems > 0 {
			bj["max_items"] = nb.MaxItems
		}
		if nb.ForceNew {
			bj["force_new"] = true
		}
		blocks[name] = bj
	}
	out := map[string]any{}
	if len(attrs) > 0 {
		out["attributes"] = attrs
	}
	if len(blocks) > 0 {
		out["block_types"] = blocks
	}
	if b.Description != "" {
		out["description"] = b.Description
	}
	return out, nil
}

func attributeJSON(a *schemas.Attribute) (map[string]any, error) {
	ty, err := ctyjson.MarshalType(a.Type)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"type": json.RawMessage(ty)}
	flags := map[string]bool{
		"required": a.Required, "optional": a.Optional, "computed": a.Computed,
		"sensitive": a.Sensitive, "force_new": a.ForceNew,
	}
	for k, set := range flags {
		if set {
			out[k] = true
		}
	}
	if a.Description != "" {
		out["description"] = a.Description
	}
	if a.Default != cty.NilVal && !a.Default.IsNull() {
		out["default"] = jsonValue(a.Default)
	}
	if a.Format != "" {
		out["format"] = a.Format
	}
	if len(a.OneOf) > 0 {
		out["one_of"] = a.OneOf
	}
	return out, nil
}
