package views

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// SchemaLookup finds the schema of a resource type (providers.Registry.Schema).
type SchemaLookup func(typ string) (*schemas.Resource, bool)

// resourceValue decodes a recorded instance's attributes with its
// schema, or by their JSON shape when the type is unknown.
func resourceValue(r *state.Resource, lookup SchemaLookup) (cty.Value, *schemas.Block, error) {
	var block *schemas.Block
	if lookup != nil {
		if s, ok := lookup(r.Addr.Type); ok {
			block = &s.Block
			if v, err := r.Value(s.Block.ImpliedType()); err == nil {
				return v, block, nil
			}
			// Fall back on the JSON's own shape, which shows what is
			// recorded even when it does not decode with the schema.
		}
	}
	if len(r.Attributes) == 0 {
		return cty.NullVal(cty.DynamicPseudoType), block, nil
	}
	ty, err := ctyjson.ImpliedType(r.Attributes)
	if err != nil {
		return cty.NilVal, block, fmt.Errorf("decode attributes of %s: %w", r.Addr, err)
	}
	v, err := ctyjson.Unmarshal(r.Attributes, ty)
	return v, block, err
}

// stateSensitive reports the paths of r that must not print: those the
// schema marks and those recorded in r.SensitivePaths.
func stateSensitive(r *state.Resource, block *schemas.Block) func(cty.Path) bool {
	return func(p cty.Path) bool {
		s := providers.FormatPath(p)
		for _, sp := range r.SensitivePaths {
			if s == sp || strings.HasPrefix(s, sp+".") || strings.HasPrefix(s, sp+"[") {
				return true
			}
		}
		if block == nil {
			return false
		}
		a, ok := block.AttributeByPath(p)
		return ok && a.Sensitive
	}
}

// WriteStateResource writes one recorded instance as `berth state show`
// does: a comment with its address and a resource block.
func WriteStateResource(w io.Writer, r *state.Resource, lookup SchemaLookup) error {
	v, block, err := resourceValue(r, lookup)
	if err != nil {
		return fmt.Errorf("%s: decode recorded attributes: %w", r.Addr, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s:\n", r.Addr)
	if r.Tainted {
		b.WriteString("# (tainted: the next apply replaces it)\n")
	}
	fmt.Fprintf(&b, "resource %s %s {\n", quote(r.Addr.Type), quote(r.Addr.Name))
	writeBody(&b, 4, block, v, nil, stateSensitive(r, block))
	b.WriteString("}\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// writeBody writes a block body's non-null attributes, then its nested
// blocks, at indentation ind. Without a schema every member is an
// attribute.
func writeBody(b *strings.Builder, ind int, block *schemas.Block, v cty.Value, path cty.Path, sens func(cty.Path) bool) {
	isBlock := func(name string) bool { return block != nil && block.Blocks[name] != nil }
	var names []string
	pad := 0
	for _, k := range keys(v) {
		if !isBlock(k) && !isNull(member(v, k)) {
			names = append(names, k)
			pad = max(pad, len(k))
		}
	}
	for _, k := range names {
		name := keyString(k, false)
		rhs := format(member(v, k), ind, child(path, cty.GetAttrStep{Name: k}), sens)
		fmt.Fprintf(b, "%s%s%s = %s\n", spaces(ind), name, spaces(pad-len(name)), rhs)
	}
	if block == nil {
		return
	}
	for _, name := range block.BlockNames() {
		nb := block.Blocks[name]
		p := child(path, cty.GetAttrStep{Name: name})
		for _, nv := range nestedValues(nb, cty.NullVal(cty.DynamicPseudoType), member(v, name), p) {
			if isNull(nv.after) {
				continue
			}
			label := ""
			if nv.label != "" {
				label = " " + quote(nv.label)
			}
			fmt.Fprintf(b, "\n%s%s%s {\n", spaces(ind), name, label)
			writeBody(b, ind+4, &nb.Block, nv.after, nv.path, sens)
			fmt.Fprintf(b, "%s}\n", spaces(ind))
		}
	}
}

// WriteState writes every recorded instance and then the outputs, as
// `berth show` does without a plan file.
func WriteState(w io.Writer, st *state.State, lookup SchemaLookup, colors Colors) error {
	if st.Empty() {
		_, err := io.WriteString(w, "The state file is empty. No resources are represented.\n")
		return err
	}
	for i, r := range st.Resources {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := WriteStateResource(w, r, lookup); err != nil {
			return err
		}
	}
	if len(st.Outputs) > 0 {
		fmt.Fprintf(w, "\n\n%s\n\n", colors.Bold("Outputs:"))
		return WriteOutputs(w, st.Outputs)
	}
	return nil
}

// WriteOutputs writes "name = value" lines sorted by name; sensitive
// values show as <sensitive>.
func WriteOutputs(w io.Writer, outputs map[string]*state.Output) error {
	names := make([]string, 0, len(outputs))
	for n := range outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		o := outputs[n]
		text := "<sensitive>"
		if !o.Sensitive {
			v, err := o.Decode()
			if err != nil {
				return fmt.Errorf("output %s: %w", n, err)
			}
			text = FormatValue(v, 0)
		}
		if _, err := fmt.Fprintf(w, "%s = %s\n", n, text); err != nil {
			return err
		}
	}
	return nil
}

// rawJSON returns b, or JSON null when b is empty.
func rawJSON(b []byte) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return json.RawMessage(b)
}
