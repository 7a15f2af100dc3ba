package planner

import (
	"context"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Validate evaluates every resource instance of opts.Config with what
// is known without the real world or a state (root variables as
// opts.Variables gives them, often unknown; other resources' computed
// attributes unknown), has each provider validate it, and checks that
// no two instances take one runtime name. It is berth validate's check
// of values, after Load's check of the HCL: a value that could never
// work is an error here, at its attribute, not at apply.
func Validate(ctx context.Context, opts Options) hcl.Diagnostics {
	g, diags := buildGraph(opts.Config)
	if diags.HasErrors() {
		return diags
	}
	r := newRun(opts, g, diags)
	r.prior, r.validating = state.New(), true
	r.ev = newEvaluator(opts.Config, opts.Variables, r.values)
	r.ev.lenient = true
	r.targets = newTargetSet(nil, g, r.prior)
	r.planResources(ctx)
	r.addDiags(r.checkNames())
	return r.diags
}

// unknownRepetition reports whether rc's count or for_each is not known
// yet (at validate, from an unknown variable): its instances are then
// validated once, with count.index or each unknown.
func unknownRepetition(scope *spec.Scope, rc *spec.Resource) (spec.RepetitionData, bool) {
	switch {
	case rc.Count != nil:
		v, diags := scope.EvalExpr(rc.Count, cty.Number)
		if !diags.HasErrors() && !v.IsKnown() {
			return spec.RepetitionData{CountIndex: cty.UnknownVal(cty.Number)}, true
		}
	case rc.ForEach != nil:
		v, diags := scope.EvalExpr(rc.ForEach, cty.DynamicPseudoType)
		if !diags.HasErrors() && (!v.IsKnown() || v.Type().IsSetType() && !v.IsWhollyKnown()) {
			return spec.RepetitionData{EachKey: cty.UnknownVal(cty.String), EachValue: cty.DynamicVal}, true
		}
	}
	return spec.RepetitionData{}, false
}

// validateUnknownInstances validates an instance of a resource whose
// instances are not known yet; its names are not known either.
func (r *run) validateUnknownInstances(ctx context.Context, n *graphNode, rep spec.RepetitionData) bool {
	rc := n.resource
	prov, _, found := r.opts.Providers.ForType(rc.Addr.Type)
	if !found {
		return r.planInstance(ctx, n.module, rc, rc.Addr.Instance(addrs.Key{}), rep)
	}
	_, _, _, diags := r.validateInstance(ctx, prov, n.module, rc, rc.Addr.Instance(addrs.Key{}), rep)
	r.addDiags(diags)
	return !diags.HasErrors()
}
