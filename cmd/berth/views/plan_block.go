package views

import (
	"fmt"
	"strings"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// identifying attributes are shown in updates even when unchanged, so
// that a reader knows which object a block is about.
var identifying = map[string]bool{"id": true, "name": true}

// body writes the attributes and nested blocks of a block whose own
// action is act, with markers at column ind.
func (d *differ) body(b *strings.Builder, ind int, schema *schemas.Block, before, after cty.Value, path cty.Path, act planner.Action) {
	type row struct {
		name   string
		attr   *schemas.Attribute
		bv, av cty.Value
		act    planner.Action
	}
	var rows []row
	unchanged, pad := 0, 0
	for _, name := range schema.AttributeNames() {
		bv, av := member(before, name), member(after, name)
		a := valueAction(bv, av)
		if a == planner.NoOp {
			if isNull(av) || act == planner.Create || act == planner.Delete {
				continue
			}
			if !identifying[name] {
				unchanged++
				continue
			}
		}
		rows = append(rows, row{name, schema.Attributes[name], bv, av, a})
		pad = max(pad, len(name))
	}
	for _, r := range rows {
		p := child(path, cty.GetAttrStep{Name: r.name})
		rhs := d.valueDiff(ind, r.bv, r.av, p, r.attr.Sensitive)
		d.entry(b, ind, r.act, r.name, pad, rhs, d.forces(p))
	}
	hidden(b, ind+2, unchanged, "attribute")
	wrote := len(rows) > 0 || unchanged > 0
	unchangedBlocks := 0
	for _, name := range schema.BlockNames() {
		nb := schema.Blocks[name]
		p := child(path, cty.GetAttrStep{Name: name})
		for _, nv := range nestedValues(nb, member(before, name), member(after, name), p) {
			if d.nestedBlock(b, ind, name, nv, nb, wrote) {
				wrote = true
			} else if !isNull(nv.after) {
				unchangedBlocks++
			}
		}
	}
	if unchangedBlocks > 0 {
		if wrote {
			b.WriteString("\n")
		}
		hidden(b, ind+2, unchangedBlocks, "block")
	}
}

// nestedValue is one instance of a nested block: before and after, and
// its label for map nesting.
type nestedValue struct {
	label         string
	before, after cty.Value
	path          cty.Path
}

// nestedValues pairs the instances of a nested block: list elements by
// index, map elements by key.
func nestedValues(nb *schemas.NestedBlock, before, after cty.Value, path cty.Path) []nestedValue {
	switch nb.Nesting {
	case schemas.NestingList:
		bs, as := elements(before), elements(after)
		out := make([]nestedValue, max(len(bs), len(as)))
		for i := range out {
			out[i] = nestedValue{
				before: at(bs, i), after: at(as, i),
				path: child(path, cty.IndexStep{Key: cty.NumberIntVal(int64(i))}),
			}
		}
		return out
	case schemas.NestingMap:
		var out []nestedValue
		for _, k := range unionKeys(keys(before), keys(after)) {
			out = append(out, nestedValue{
				label: k, before: member(before, k), after: member(after, k),
				path: child(path, cty.IndexStep{Key: cty.StringVal(k)}),
			})
		}
		return out
	}
	return []nestedValue{{before: before, after: after, path: path}}
}

func at(vs []cty.Value, i int) cty.Value {
	if i < len(vs) {
		return vs[i]
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// nestedBlock writes one nested block instance unless it is unchanged;
// it reports whether it wrote anything.
func (d *differ) nestedBlock(b *strings.Builder, ind int, name string, nv nestedValue, nb *schemas.NestedBlock, blankBefore bool) bool {
	act := valueAction(nv.before, nv.after)
	if act == planner.NoOp {
		return false
	}
	if blankBefore {
		b.WriteString("\n")
	}
	label := ""
	if nv.label != "" {
		label = " " + quote(nv.label)
	}
	sym := d.colors.symbol(act.Symbol())
	if !normal(nv.after).IsKnown() {
		fmt.Fprintf(b, "%s%s %s%s = (known after apply)%s\n", spaces(ind), sym, name, label, d.forces(nv.path))
		return true
	}
	if d.isSensitive(nv.path) {
		fmt.Fprintf(b, "%s%s %s%s {\n%s# At least one attribute in this block is (or was) sensitive,\n%s# so its contents will not be displayed.\n%s}\n",
			spaces(ind), sym, name, label, spaces(ind+4), spaces(ind+4), spaces(ind+2))
		return true
	}
	fmt.Fprintf(b, "%s%s %s%s {%s\n", spaces(ind), sym, name, label, d.forces(nv.path))
	d.body(b, ind+4, &nb.Block, nv.before, nv.after, nv.path, act)
	fmt.Fprintf(b, "%s}\n", spaces(ind+2))
	return true
}
