package views

import (
	"fmt"
	"strings"

	"github.com/berthhq/berth/planner"
	"github.com/zclconf/go-cty/cty"
)

// differ renders the difference between two values of one resource or
// output in Terraform's plan notation. ind arguments are the column of
// the action marker of the line being written; nested lines go 4 columns
// further and closing brackets 2.
type differ struct {
	colors    Colors
	sensitive []cty.Path // never printed, beyond the schema's marks
	replace   []cty.Path // changes here force replacement
}

// valueAction is the action that takes before to after.
func valueAction(before, after cty.Value) planner.Action {
	bn, an := isNull(before), isNull(after)
	switch {
	case bn && an:
		return planner.NoOp
	case bn:
		return planner.Create
	case an:
		return planner.Delete
	case equal(before, after):
		return planner.NoOp
	}
	return planner.Update
}

// isSensitive reports whether path is, or is inside, a sensitive path.
func (d *differ) isSensitive(path cty.Path) bool {
	for _, p := range d.sensitive {
		if path.HasPrefix(p) {
			return true
		}
	}
	return false
}

// forces returns the "# forces replacement" suffix when a change at path
// forces replacement.
func (d *differ) forces(path cty.Path) string {
	for _, p := range d.replace {
		if p.Equals(path) {
			return " " + d.colors.Red("# forces replacement")
		}
	}
	return ""
}

// child returns path extended by one step without aliasing path's array.
func child(path cty.Path, step cty.PathStep) cty.Path {
	out := make(cty.Path, len(path), len(path)+1)
	copy(out, path)
	return append(out, step)
}

func actionSymbol(a planner.Action) string {
	if a == planner.NoOp {
		return " "
	}
	return a.Symbol()
}

// entry writes one "sym name = rhs" line; suffix goes at the end of the
// rhs's first line (the opening bracket of a multi-line value).
func (d *differ) entry(b *strings.Builder, ind int, act planner.Action, name string, pad int, rhs, suffix string) {
	first, rest, multi := strings.Cut(rhs, "\n")
	fmt.Fprintf(b, "%s%s %s%s = %s%s\n", spaces(ind), d.colors.symbol(actionSymbol(act)), name, spaces(pad-len(name)), first, suffix)
	if multi {
		b.WriteString(rest + "\n")
	}
}

// hidden writes "# (N unchanged THINGs hidden)" when n > 0.
func hidden(b *strings.Builder, ind, n int, thing string) {
	if n == 0 {
		return
	}
	if n != 1 {
		thing += "s"
	}
	fmt.Fprintf(b, "%s# (%d unchanged %s hidden)\n", spaces(ind), n, thing)
}

// valueDiff renders the right-hand side of an attribute or element line.
func (d *differ) valueDiff(ind int, before, after cty.Value, path cty.Path, sensitive bool) string {
	before, after = normal(before), normal(after)
	act := valueAction(before, after)
	if sensitive || d.isSensitive(path) {
		if act == planner.Delete {
			return "(sensitive value) -> null"
		}
		return "(sensitive value)"
	}
	switch act {
	case planner.Create:
		return d.marked(ind, after, path, "+")
	case planner.Delete:
		return d.marked(ind, before, path, "-") + " -> null"
	case planner.NoOp:
		return d.marked(ind, after, path, " ")
	}
	if !after.IsKnown() {
		return d.marked(ind, before, path, "-") + " -> (known after apply)"
	}
	if before.IsKnown() {
		bt, at := before.Type(), after.Type()
		if isKeyed(bt) && isKeyed(at) {
			return d.keyedDiff(ind, before, after, path)
		}
		if isSequence(bt) && isSequence(at) {
			return d.sequenceDiff(ind, before, after, path)
		}
	}
	return d.marked(ind, before, path, "-") + " -> " + d.marked(ind, after, path, "+")
}

// marked renders v whole, every nested line carrying sym; values at
// sensitive paths, null ones too, print as "(sensitive value)".
func (d *differ) marked(ind int, v cty.Value, path cty.Path, sym string) string {
	st := valueStyle{
		marker: d.colors.symbol(sym) + " ",
		close:  2,
		hide:   func(p cty.Path, _ cty.Value) bool { return d.isSensitive(p) },
	}
	return st.render(v, ind, path)
}

func keyStep(k string, isMap bool) cty.PathStep {
	if isMap {
		return cty.IndexStep{Key: cty.StringVal(k)}
	}
	return cty.GetAttrStep{Name: k}
}

// keyedDiff renders the changed entries of two maps or objects.
func (d *differ) keyedDiff(ind int, before, after cty.Value, path cty.Path) string {
	isMap := after.Type().IsMapType()
	ks := unionKeys(keys(before), keys(after))
	type row struct {
		name, rhs, suffix string
		act               planner.Action
	}
	var rows []row
	unchanged, pad := 0, 0
	for _, k := range ks {
		bv, av := member(before, k), member(after, k)
		act := valueAction(bv, av)
		if act == planner.NoOp {
			unchanged++
			continue
		}
		p := child(path, keyStep(k, isMap))
		name := keyString(k, isMap)
		pad = max(pad, len(name))
		rows = append(rows, row{name, d.valueDiff(ind+4, bv, av, p, false), d.forces(p), act})
	}
	var b strings.Builder
	b.WriteString("{\n")
	for _, r := range rows {
		d.entry(&b, ind+4, r.act, r.name, pad, r.rhs, r.suffix)
	}
	thing := "element"
	if !isMap {
		thing = "attribute"
	}
	hidden(&b, ind+6, unchanged, thing)
	return b.String() + spaces(ind+2) + "}"
}

func unionKeys(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, k := range append(append([]string{}, a...), b...) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sortStrings(out)
	return out
}
