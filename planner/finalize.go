package planner

import (
	"context"
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Evaluator re-evaluates planned changes at apply time, once the values
// they depend on are known, and computes the final outputs. The executor
// uses it through its Finalizer interface.
type Evaluator struct {
	opts     Options
	vars     map[string]cty.Value
	rollback *Rollback
}

// NewEvaluator prepares apply-time evaluation of plan p made from opts.
// The variables are the plan's, marked sensitive again where the
// configuration says so.
func NewEvaluator(opts Options, p *Plan) *Evaluator {
	vars := make(map[string]cty.Value, len(p.Variables))
	for name, v := range p.Variables {
		if decl := opts.Config.Variables[name]; decl != nil && decl.Sensitive {
			v = v.Mark(spec.SensitiveMark)
		}
		vars[name] = v
	}
	return &Evaluator{opts: opts, vars: vars, rollback: p.Rollback}
}

// Finalize returns change with its unknown values resolved against the
// current state st (which holds every dependency already applied), after
// asking the provider to plan it again and checking the result agrees with
// the saved plan.
func (e *Evaluator) Finalize(ctx context.Context, change *ResourceChange, st *state.State) (*ResourceChange, hcl.Diagnostics) {
	if change.Action == Delete || change.Action == NoOp || change.After.IsWhollyKnown() {
		return change, nil
	}
	if isRollbackTarget(e.rollback, change.Addr) {
		return finalRollback(change)
	}
	ev := newEvaluator(e.opts.Config, e.vars, e.dependencyValues(change, st))
	cfg := ev.modules[change.Addr.Module.String()]
	var rc *spec.Resource
	if cfg != nil {
		rc = cfg.Resources[change.Addr.Type+"."+change.Addr.Name]
	}
	if rc == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("%s: configuration changed since the plan was made", change.Addr)}}
	}
	keys, reps, diags := expand(ev.scope(cfg, spec.RepetitionData{}), rc)
	if diags.HasErrors() {
		return nil, diags
	}
	rep, found := spec.RepetitionData{}, false
	for i, k := range keys {
		if k == change.Addr.Key {
			rep, found = reps[i], true
		}
	}
	if !found {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("%s: instance no longer in configuration", change.Addr), Subject: rc.DeclRange.Ptr()}}
	}
	src := instanceSource{scope: ev.scope(cfg, rep), rc: rc}
	config, _, diags := src.scope.EvalBodyWithMarks(rc.Body, &change.Schema.Block)
	if diags.HasErrors() {
		return nil, diags
	}
	config = setDefaultName(config, instanceName(change.Addr.Name, change.Addr.Key))
	prior := change.Before
	if change.Action.IsReplace() {
		prior = cty.NullVal(change.Schema.Block.ImpliedType())
	} else {
		config = ignoreChanges(config, prior, rc.Lifecycle)
	}
	prov, _, _ := e.opts.Providers.ForType(change.Addr.Type)
	planned, _, pdiags := planChange(ctx, prov, src, change.Addr, change.Schema, prior, config, change.Private)
	diags = append(diags, withSubject(pdiags, rc.DeclRange)...)
	if diags.HasErrors() {
		return nil, diags
	}
	if path, ok := agrees(change.After, planned, nil); !ok {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError,
			Summary: fmt.Sprintf("%s: the final plan differs from the saved plan at %s", change.Addr, formatPath(path)),
			Detail:  "A value that was known when the plan was made came out different at apply time. Run berth plan again.",
			Subject: rc.DeclRange.Ptr()})
	}
	out := *change
	out.After, out.Config = planned, config
	return &out, diags
}

// dependencyValues loads from st the instances of every resource that
// change depends on.
func (e *Evaluator) dependencyValues(change *ResourceChange, st *state.State) *instanceValues {
	iv := newInstanceValues()
	want := map[string]bool{}
	for _, d := range change.Dependencies {
		want[d.Resource.String()] = true
	}
	for _, rs := range st.Resources {
		if !want[rs.Addr.Resource.String()] {
			continue
		}
		schema, ok := e.opts.Providers.Schema(rs.Addr.Type)
		if !ok {
			continue
		}
		if v, err := rs.Value(schema.Block.ImpliedType()); err == nil {
			iv.set(rs.Addr, v)
		}
	}
	return iv
}

// Outputs evaluates the root outputs against st.
func (e *Evaluator) Outputs(st *state.State) (map[string]*state.Output, hcl.Diagnostics) {
	iv := newInstanceValues()
	for _, rs := range st.Resources {
		if schema, ok := e.opts.Providers.Schema(rs.Addr.Type); ok {
			if v, err := rs.Value(schema.Block.ImpliedType()); err == nil {
				iv.set(rs.Addr, v)
			}
		}
	}
	return rootOutputs(newEvaluator(e.opts.Config, e.vars, iv), e.opts.Config)
}

// agrees reports whether final keeps every value that saved had known,
// and where it does not.
func agrees(saved, final cty.Value, path cty.Path) (cty.Path, bool) {
	if !saved.IsKnown() {
		return nil, true
	}
	if saved.IsNull() || final.IsNull() || !final.IsKnown() {
		return path, saved.IsNull() == final.IsNull() && final.IsKnown()
	}
	ty := saved.Type()
	switch {
	case ty.IsObjectType() && final.Type().IsObjectType():
		for name := range ty.AttributeTypes() {
			if !final.Type().HasAttribute(name) {
				return path.GetAttr(name), false
			}
			if p, ok := agrees(saved.GetAttr(name), final.GetAttr(name), path.GetAttr(name)); !ok {
				return p, false
			}
		}
		return nil, true
	case (ty.IsListType() || ty.IsTupleType()) && saved.IsWhollyKnown() == false:
		if saved.LengthInt() != final.LengthInt() {
			return path, false
		}
		fs := final.AsValueSlice()
		for i, sv := range saved.AsValueSlice() {
			if p, ok := agrees(sv, fs[i], path.Index(cty.NumberIntVal(int64(i)))); !ok {
				return p, false
			}
		}
		return nil, true
	case ty.IsMapType() && !saved.IsWhollyKnown():
		fm := final.AsValueMap()
		for k, sv := range saved.AsValueMap() {
			fv, present := fm[k]
			if !present {
				return path.Index(cty.StringVal(k)), false
			}
			if p, ok := agrees(sv, fv, path.Index(cty.StringVal(k))); !ok {
				return p, false
			}
		}
		return nil, true
	case !saved.IsWhollyKnown():
		return nil, true // sets with unknowns: cannot be matched element-wise
	}
	return path, saved.RawEquals(final)
}

func formatPath(p cty.Path) string {
	if len(p) == 0 {
		return "the top level"
	}
	return providers.FormatPath(p)
}

// finalRollback is Finalize for the change of a rollback plan: its
// configuration is the recorded revision's, taken from state rather
// than from the configuration files, and wholly known when planned, so
// there is nothing to evaluate again; what only apply can know (the new
// replicas) the provider fills in as it applies.
func finalRollback(change *ResourceChange) (*ResourceChange, hcl.Diagnostics) {
	if !change.Config.IsWhollyKnown() {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError,
			Summary: fmt.Sprintf("%s: the rollback's configuration has unknown values", change.Addr),
			Detail:  "A rollback is planned from recorded values only. Make the rollback plan again."}}
	}
	return change, nil
}
