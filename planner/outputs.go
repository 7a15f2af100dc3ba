package planner

import (
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"maps"
	"slices"
)

// planOutputs evaluates the root outputs against the planned values and
// compares them with the recorded ones.
func (r *run) planOutputs() []*OutputChange {
	root := r.opts.Config
	recorded := r.prior.Outputs
	var out []*OutputChange
	for _, name := range slices.Sorted(maps.Keys(root.Outputs)) {
		o := root.Outputs[name]
		before := decodeOutput(recorded[name])
		after := cty.NullVal(cty.DynamicPseudoType)
		if r.opts.Mode != DestroyMode {
			v, diags := r.ev.output(root, name)
			r.addDiags(diags)
			after = v
		}
		sensitive := o.Sensitive || after.ContainsMarked()
		after, _ = after.UnmarkDeep()
		out = append(out, &OutputChange{Name: name, Action: outputAction(before, after), Before: before, After: after, Sensitive: sensitive})
	}
	for _, name := range slices.Sorted(maps.Keys(recorded)) {
		if _, ok := root.Outputs[name]; ok {
			continue
		}
		before := decodeOutput(recorded[name])
		out = append(out, &OutputChange{Name: name, Action: Delete, Before: before, After: cty.NullVal(cty.DynamicPseudoType), Sensitive: recorded[name].Sensitive})
	}
	return out
}

func outputAction(before, after cty.Value) Action {
	switch {
	case before.IsNull() && after.IsNull():
		return NoOp
	case before.IsNull():
		return Create
	case after.IsNull() && after.IsKnown():
		return Delete
	case after.RawEquals(before):
		return NoOp
	}
	return Update
}

// decodeOutput reads a recorded output value; nil gives null.
func decodeOutput(o *state.Output) cty.Value {
	if o == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	ty, err := ctyjson.UnmarshalType(o.Type)
	if err != nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	v, err := ctyjson.Unmarshal(o.Value, ty)
	if err != nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v
}

// encodeOutput records an output value; it must be wholly known.
func encodeOutput(v cty.Value, sensitive bool) (*state.Output, error) {
	v, _ = v.UnmarkDeep()
	ty, err := ctyjson.MarshalType(v.Type())
	if err != nil {
		return nil, err
	}
	js, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil, err
	}
	return &state.Output{Value: js, Type: ty, Sensitive: sensitive}, nil
}

// rootOutputs evaluates every root output with ev; unknown values are
// left out (they cannot be recorded).
func rootOutputs(ev *evaluator, root *spec.Config) (map[string]*state.Output, hcl.Diagnostics) {
	out := map[string]*state.Output{}
	var diags hcl.Diagnostics
	for _, name := range slices.Sorted(maps.Keys(root.Outputs)) {
		v, d := ev.output(root, name)
		diags = append(diags, d...)
		if d.HasErrors() || !v.IsWhollyKnown() {
			continue
		}
		sensitive := root.Outputs[name].Sensitive || v.ContainsMarked()
		so, err := encodeOutput(v, sensitive)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Output " + name + " cannot be recorded", Detail: err.Error(), Subject: root.Outputs[name].DeclRange.Ptr()})
			continue
		}
		out[name] = so
	}
	return out, diags
}
