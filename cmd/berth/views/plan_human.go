package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// Rule separates sections of plan output.
const Rule = "─────────────────────────────────────────────────────────────────────────────"

// WritePlan renders p for people, in Terraform's shape: drift, the
// actions legend, one block per changed instance, the Plan: counts and
// the output changes.
func WritePlan(w io.Writer, p *planner.Plan, colors Colors) error {
	var b strings.Builder
	writeDrift(&b, p, colors)
	changes := changed(p.Changes)
	outputs := changedOutputs(p.Outputs)
	switch {
	case len(changes) == 0 && len(outputs) == 0:
		writeNoChanges(&b, p, colors)
	case len(changes) == 0:
		writeOutputChanges(&b, outputs, colors)
		b.WriteString("\nYou can apply this plan to save these new output values to the berth\nstate, without changing any real infrastructure.\n")
	default:
		writeLegend(&b, changes, colors)
		writeRollback(&b, p, colors)
		b.WriteString("\nberth will perform the following actions:\n\n")
		for _, c := range changes {
			writeResourceChange(&b, c, colors, false)
			b.WriteString("\n")
		}
		add, change, destroy := p.Counts()
		fmt.Fprintf(&b, "%s %d to add, %d to change, %d to destroy.\n", colors.Bold("Plan:"), add, change, destroy)
		if len(outputs) > 0 {
			writeOutputChanges(&b, outputs, colors)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func changed(cs []*planner.ResourceChange) []*planner.ResourceChange {
	var out []*planner.ResourceChange
	for _, c := range cs {
		if c.Action != planner.NoOp && c.Action != planner.Read {
			out = append(out, c)
		}
	}
	return out
}

func changedOutputs(os []*planner.OutputChange) []*planner.OutputChange {
	var out []*planner.OutputChange
	for _, o := range os {
		if o.Action != planner.NoOp {
			out = append(out, o)
		}
	}
	return out
}

func writeNoChanges(b *strings.Builder, p *planner.Plan, colors Colors) {
	if p.Mode == planner.DestroyMode {
		fmt.Fprintf(b, "\n%s No objects need to be destroyed.\n\n", colors.Bold(colors.Green("No changes.")))
		b.WriteString("Either you have not created any objects yet or the existing objects were\nalready deleted outside of berth.\n")
		return
	}
	fmt.Fprintf(b, "\n%s Your infrastructure matches the configuration.\n\n", colors.Bold(colors.Green("No changes.")))
	b.WriteString("berth has compared your real infrastructure against your configuration\nand found no differences, so no changes are needed.\n")
}

// writeRollback says what a rollback plan rolls back, and from where.
func writeRollback(b *strings.Builder, p *planner.Plan, colors Colors) {
	if rb := p.Rollback; rb != nil {
		fmt.Fprintf(b, "\n%s rolling back from revision %d to the template of revision %d\n", colors.Bold(rb.Addr.String()+":"), rb.From, rb.Revision)
	}
}

// writeLegend lists the markers that the plan uses.
func writeLegend(b *strings.Builder, changes []*planner.ResourceChange, colors Colors) {
	used := map[planner.Action]bool{}
	for _, c := range changes {
		used[c.Action] = true
	}
	b.WriteString("\nberth used the selected providers to generate the following execution\nplan. Resource actions are indicated with the following symbols:\n")
	for _, l := range []struct {
		a    planner.Action
		text string
	}{
		{planner.Create, "create"},
		{planner.Update, "update in-place"},
		{planner.Delete, "destroy"},
		{planner.DeleteThenCreate, "destroy and then create replacement"},
		{planner.CreateThenDelete, "create replacement and then destroy"},
	} {
		if used[l.a] {
			fmt.Fprintf(b, "%s %s\n", colors.padSymbol(l.a.Symbol()), l.text)
		}
	}
}

// writeDrift writes the "Objects have changed outside of berth" section.
func writeDrift(b *strings.Builder, p *planner.Plan, colors Colors) {
	drift := relevantDrift(changed(p.Drift), p.Changes)
	if len(drift) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n\n", colors.Bold("Note: Objects have changed outside of berth"))
	b.WriteString("berth detected the following changes made outside of berth since the\nlast \"berth apply\" which may have affected this plan:\n\n")
	for _, c := range drift {
		writeResourceChange(b, c, colors, true)
		b.WriteString("\n")
	}
	b.WriteString("\nUnless you have made equivalent changes to your configuration, or ignored\nthe relevant attributes using ignore_changes, the following plan may\ninclude actions to undo or respond to these changes.\n\n")
	b.WriteString(Rule + "\n")
}

// relevantDrift keeps the drift a person acts on: objects gone, objects
// whose configurable attributes or blocks changed, and objects the plan
// changes. A change only in what the runtime reports (a health check
// turning healthy, a pid) of an object the plan leaves alone is an
// observation, not a change made outside berth.
func relevantDrift(drift, changes []*planner.ResourceChange) []*planner.ResourceChange {
	planned := map[string]bool{}
	for _, c := range changes {
		if c.Action != planner.NoOp && c.Action != planner.Read {
			planned[c.Addr.String()] = true
		}
	}
	var out []*planner.ResourceChange
	for _, c := range drift {
		if c.Action != planner.Update || c.Schema == nil || planned[c.Addr.String()] || configurableChanged(&c.Schema.Block, c.Before, c.After) {
			out = append(out, c)
		}
	}
	return out
}

// configurableChanged reports whether any attribute a user may set, or
// any nested block, differs between before and after.
func configurableChanged(blk *schemas.Block, before, after cty.Value) bool {
	if before.IsNull() || after.IsNull() || !before.Type().IsObjectType() || !after.Type().IsObjectType() {
		return !before.RawEquals(after)
	}
	for name, a := range blk.Attributes {
		if !(a.Computed && !a.Optional) && attrChanged(before, after, name) {
			return true
		}
	}
	for name := range blk.Blocks {
		if attrChanged(before, after, name) {
			return true
		}
	}
	return false
}

// attrChanged reports whether attribute name differs between before and
// after (objects); one having it and the other not is a difference.
func attrChanged(before, after cty.Value, name string) bool {
	hb, ha := before.Type().HasAttribute(name), after.Type().HasAttribute(name)
	if !hb || !ha {
		return hb != ha
	}
	return !before.GetAttr(name).RawEquals(after.GetAttr(name))
}

// writeResourceChange writes one instance's header comment and its
// resource block diff.
func writeResourceChange(b *strings.Builder, c *planner.ResourceChange, colors Colors, drift bool) {
	fmt.Fprintf(b, "  %s\n", colors.Bold("# "+c.Addr.String()+" "+headline(c, drift)))
	if r := reasonLine(c); r != "" {
		fmt.Fprintf(b, "  # (%s)\n", r)
	}
	d := &differ{colors: colors, sensitive: c.SensitivePaths, replace: c.ReplacePaths}
	fmt.Fprintf(b, "%s resource %s %s {\n", colors.padSymbol(c.Action.Symbol()), quote(c.Addr.Type), quote(c.Addr.Name))
	if c.Schema != nil {
		d.body(b, 6, &c.Schema.Block, c.Before, c.After, nil, c.Action)
	} else {
		d.entry(b, 6, c.Action, "value", 5, d.valueDiff(6, c.Before, c.After, nil, false), "")
	}
	b.WriteString("    }\n")
}

// headline says what happens to the instance, after its address.
func headline(c *planner.ResourceChange, drift bool) string {
	if drift {
		if c.Action == planner.Delete {
			return "has been deleted"
		}
		return "has changed"
	}
	switch c.Action {
	case planner.Create:
		return "will be created"
	case planner.Update:
		return "will be updated in-place"
	case planner.Delete:
		return "will be destroyed"
	case planner.Read:
		return "will be read during apply"
	}
	switch c.Reason {
	case planner.ReasonReplaceByRequest:
		return "will be replaced, as requested"
	case planner.ReasonReplaceTainted:
		return "is tainted, so must be replaced"
	}
	return "must be replaced"
}

// reasonLine explains a deletion or re-creation, or returns "".
func reasonLine(c *planner.ResourceChange) string {
	switch c.Reason {
	case planner.ReasonDeleteNoConfig:
		return "because " + c.Addr.String() + " is not in configuration"
	case planner.ReasonDeleteCountIndex:
		return "because index " + c.Addr.Key.String() + " is out of range for count"
	case planner.ReasonDeleteEachKey:
		return "because key " + c.Addr.Key.String() + " is not in for_each map"
	case planner.ReasonGone:
		return "because it was deleted outside of berth"
	case planner.ReasonDrift:
		return "restoring changes made outside of berth"
	case planner.ReasonRollback:
		return "rolling back to a recorded revision"
	}
	return ""
}

// writeOutputChanges writes the "Changes to Outputs:" section.
func writeOutputChanges(b *strings.Builder, outputs []*planner.OutputChange, colors Colors) {
	b.WriteString("\nChanges to Outputs:\n")
	pad := 0
	for _, o := range outputs {
		pad = max(pad, len(o.Name))
	}
	d := &differ{colors: colors}
	for _, o := range outputs {
		rhs := d.valueDiff(2, o.Before, o.After, cty.Path{cty.GetAttrStep{Name: o.Name}}, o.Sensitive)
		d.entry(b, 2, o.Action, o.Name, pad, rhs, "")
	}
}
