package views

import (
	"fmt"
	"strings"

	"github.com/berthhq/berth/planner"
	"github.com/zclconf/go-cty/cty"
)

// sequenceDiff renders the changed elements of two lists, sets or
// tuples, matched by longest common subsequence. A removed structured
// element directly followed by an added one is shown as an update of it.
func (d *differ) sequenceDiff(ind int, before, after cty.Value, path cty.Path) string {
	bs, as := elements(before), elements(after)
	edits := diffSeq(len(bs), len(as), func(i, j int) bool { return equal(bs[i], as[j]) })
	var b strings.Builder
	b.WriteString("[\n")
	kept := 0
	for k := 0; k < len(edits); {
		if edits[k].kind == editKeep {
			kept++
			k++
			continue
		}
		hidden(&b, ind+6, kept, "element")
		kept = 0
		dels, ins := runOf(edits, k, editDel), 0
		ins = runOf(edits, k+dels, editIns)
		d.changedRun(&b, ind, before, after, path, edits[k:k+dels], edits[k+dels:k+dels+ins])
		k += dels + ins
	}
	hidden(&b, ind+6, kept, "element")
	return b.String() + spaces(ind+2) + "]"
}

// runOf counts the edits of one kind starting at k.
func runOf(edits []edit, k int, kind editKind) int {
	n := 0
	for k+n < len(edits) && edits[k+n].kind == kind {
		n++
	}
	return n
}

// changedRun writes a run of removed elements and the added elements
// that replace them, pairing structured ones as in-place updates.
func (d *differ) changedRun(b *strings.Builder, ind int, before, after cty.Value, path cty.Path, dels, ins []edit) {
	bs, as := elements(before), elements(after)
	paired := 0
	for paired < len(dels) && paired < len(ins) && structured(bs[dels[paired].a]) && structured(as[ins[paired].b]) {
		paired++
	}
	for _, e := range dels[paired:] {
		p := child(path, elemStep(before, e.a, bs[e.a]))
		fmt.Fprintf(b, "%s%s %s,\n", spaces(ind+4), d.colors.symbol("-"), d.marked(ind+4, bs[e.a], p, "-"))
	}
	for k := 0; k < paired; k++ {
		j := ins[k].b
		p := child(path, elemStep(after, j, as[j]))
		rhs := d.valueDiff(ind+4, bs[dels[k].a], as[j], p, false)
		fmt.Fprintf(b, "%s%s %s,\n", spaces(ind+4), d.colors.symbol(planner.Update.Symbol()), rhs)
	}
	for _, e := range ins[paired:] {
		p := child(path, elemStep(after, e.b, as[e.b]))
		fmt.Fprintf(b, "%s%s %s,\n", spaces(ind+4), d.colors.symbol("+"), d.marked(ind+4, as[e.b], p, "+"))
	}
}

// structured reports whether v is a known map or object, shown as a
// nested diff rather than removed and added whole.
func structured(v cty.Value) bool {
	v = normal(v)
	return v.IsKnown() && !v.IsNull() && isKeyed(v.Type())
}

// elemStep is the path step to element i (value e) of a sequence: the
// index for lists and tuples, the value itself for sets.
func elemStep(seq cty.Value, i int, e cty.Value) cty.PathStep {
	if normal(seq).Type().IsSetType() {
		return cty.IndexStep{Key: e}
	}
	return cty.IndexStep{Key: cty.NumberIntVal(int64(i))}
}
