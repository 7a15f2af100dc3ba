package planner

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// planResource expands one resource block and plans each instance. It
// reports false when the resource could not be planned.
func (r *run) planResource(ctx context.Context, n *graphNode) bool {
	rc := n.resource
	if !r.targets.plansResource(rc.Addr) {
		return true // untargeted: its recorded values stay visible
	}
	scope := r.ev.scope(n.module, spec.RepetitionData{})
	if r.validating {
		if rep, unknown := unknownRepetition(scope, rc); unknown {
			r.values.resetResource(rc.Addr)
			return r.validateUnknownInstances(ctx, n, rep)
		}
	}
	keys, reps, diags := expand(scope, rc)
	r.addDiags(diags)
	if diags.HasErrors() {
		r.markFailed(rc.Addr)
		return false
	}
	r.values.resetResource(rc.Addr)
	ok := true
	for i, key := range keys {
		addr := rc.Addr.Instance(key)
		if !r.targets.plansInstance(addr) {
			r.keepPrior(addr)
			continue
		}
		if !r.planInstance(ctx, n.module, rc, addr, reps[i]) {
			ok = false
		}
	}
	if !ok {
		r.markFailed(rc.Addr)
	}
	return ok
}

func (r *run) markFailed(a addrs.Resource) {
	r.mu.Lock()
	r.failed[a.String()] = true
	r.mu.Unlock()
}

// keepPrior keeps an untargeted instance's recorded value visible.
func (r *run) keepPrior(addr addrs.Instance) {
	rs := r.prior.Resource(addr)
	if rs == nil {
		return
	}
	if schema, ok := r.opts.Providers.Schema(addr.Type); ok {
		if v, err := rs.Value(schema.Block.ImpliedType()); err == nil {
			r.values.set(addr, v)
		}
	}
}

// expand evaluates count or for_each and returns the instance keys in
// order with each instance's repetition data.
func expand(scope *spec.Scope, rc *spec.Resource) ([]addrs.Key, []spec.RepetitionData, hcl.Diagnostics) {
	switch {
	case rc.Count != nil:
		n, diags := scope.EvalCount(rc.Count)
		if diags.HasErrors() {
			return nil, nil, diags
		}
		keys := make([]addrs.Key, n)
		reps := make([]spec.RepetitionData, n)
		for i := 0; i < n; i++ {
			keys[i] = addrs.IntKeyOf(i)
			reps[i] = spec.RepetitionData{CountIndex: cty.NumberIntVal(int64(i))}
		}
		return keys, reps, diags
	case rc.ForEach != nil:
		m, diags := scope.EvalForEach(rc.ForEach)
		if diags.HasErrors() {
			return nil, nil, diags
		}
		names := slices.Sorted(maps.Keys(m))
		keys := make([]addrs.Key, len(names))
		reps := make([]spec.RepetitionData, len(names))
		for i, k := range names {
			keys[i] = addrs.StringKeyOf(k)
			reps[i] = spec.RepetitionData{EachKey: cty.StringVal(k), EachValue: m[k]}
		}
		return keys, reps, diags
	}
	return []addrs.Key{{}}, []spec.RepetitionData{{}}, nil
}

// instanceName is the default runtime name of an instance: the label, or
// label-0 / label-key for count and for_each instances.
func instanceName(label string, k addrs.Key) string {
	switch k.Kind {
	case addrs.IntKey:
		return label + "-" + strconv.Itoa(k.Int)
	case addrs.StringKey:
		return label + "-" + k.Str
	}
	return label
}

// planInstance evaluates one instance's configuration, asks its provider
// to plan it and records the change.
func (r *run) planInstance(ctx context.Context, cfg *spec.Config, rc *spec.Resource, addr addrs.Instance, rep spec.RepetitionData) bool {
	schema := rc.Schema
	prov, pname, found := r.opts.Providers.ForType(addr.Type)
	if !found {
		r.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("No provider serves resource type %q", addr.Type), Subject: rc.TypeRange.Ptr()}})
		return false
	}
	config, sensitive, src, diags := r.validateInstance(ctx, prov, cfg, rc, addr, rep)
	if diags.HasErrors() {
		r.addDiags(diags)
		return false
	}
	r.claimNames(rc, addr, config)
	if r.validating {
		r.values.set(addr, providers.ProposedNew(&schema.Block, cty.NullVal(schema.Block.ImpliedType()), config))
		r.addDiags(diags)
		return true
	}

	ty := schema.Block.ImpliedType()
	prior, private, tainted, createBeforeDestroy := cty.NullVal(ty), []byte(nil), false, rc.Lifecycle.CreateBeforeDestroy
	if rs := r.prior.Resource(addr); rs != nil {
		v, cached := r.priorVals[addr.String()]
		var err error
		if !cached {
			v, err = rs.Value(ty)
		}
		if err != nil {
			r.addDiags(append(diags, unreadableDiag(addr, err)))
			return false
		}
		prior, private, tainted = v, rs.Private, rs.Tainted
		config = ignoreChanges(config, prior, rc.Lifecycle)
	}

	change := &ResourceChange{
		Addr: addr, Provider: pname, Node: nodeOf(config), Schema: schema, Before: prior, Config: config,
		SensitivePaths: sensitive, Private: private,
		CreateBeforeDestroy: createBeforeDestroy, PreventDestroy: rc.Lifecycle.PreventDestroy,
	}
	planned, replacePaths, pdiags := planChange(ctx, prov, src, addr, schema, prior, markPaths(config, sensitive), private)
	diags = append(diags, withSubject(pdiags, rc.DeclRange)...)
	if diags.HasErrors() {
		r.addDiags(diags)
		return false
	}
	change.After, change.SensitivePaths = unmarkPaths(planned)
	change.ReplacePaths = replacePaths
	r.chooseAction(change, tainted)
	if change.Action.IsReplace() {
		fresh, _, d := planChange(ctx, prov, src, addr, schema, cty.NullVal(ty), markPaths(config, sensitive), nil)
		diags = append(diags, withSubject(d, rc.DeclRange)...)
		change.After, change.SensitivePaths = unmarkPaths(fresh)
		if change.PreventDestroy {
			diags = append(diags, preventDestroyDiag(addr, rc, "replace it")...)
		}
	}
	r.addDiags(diags)
	if diags.HasErrors() {
		return false
	}
	r.values.set(addr, change.After)
	r.record(change)
	return true
}

// validateInstance evaluates one instance's configuration, with its
// default name, and has its provider validate it. It records where the
// instance's configuration comes from, so that a provider's diagnostic
// about one attribute points at that attribute's source.
func (r *run) validateInstance(ctx context.Context, prov providers.Provider, cfg *spec.Config, rc *spec.Resource, addr addrs.Instance, rep spec.RepetitionData) (cty.Value, []cty.Path, instanceSource, hcl.Diagnostics) {
	scope := r.ev.scope(cfg, rep)
	src := instanceSource{scope: scope, rc: rc}
	config, sensitive, diags := scope.EvalBodyWithMarks(rc.Body, &rc.Schema.Block)
	if diags.HasErrors() {
		return config, sensitive, src, diags
	}
	config = setDefaultName(config, instanceName(addr.Name, addr.Key))
	r.mu.Lock()
	r.sources[addr.String()] = src
	r.mu.Unlock()
	vresp := prov.ValidateResource(ctx, providers.ValidateResourceRequest{TypeName: addr.Type, Config: config})
	return config, sensitive, src, append(diags, sourceDiagsIn(src, addr, "validate", vresp.Diagnostics)...)
}

// planChange asks the provider for the planned value and the paths that
// force a replacement; src places the provider's diagnostics.
func planChange(ctx context.Context, prov providers.Provider, src instanceSource, addr addrs.Instance, schema *schemas.Resource, prior, config cty.Value, private []byte) (cty.Value, []cty.Path, hcl.Diagnostics) {
	proposed := providers.ProposedNew(&schema.Block, prior, config)
	resp := prov.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: addr.Type, Prior: prior, Config: config, Proposed: proposed, Private: private,
	})
	diags := sourceDiagsIn(src, addr, "plan", resp.Diagnostics)
	if resp.Diagnostics.HasErrors() {
		return cty.NilVal, nil, diags
	}
	planned := resp.Planned
	if planned == cty.NilVal {
		planned = proposed
	}
	if errs := planned.Type().TestConformance(schema.Block.ImpliedType()); len(errs) > 0 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError,
			Summary: fmt.Sprintf("%s: provider planned a value of the wrong type", addr), Detail: errs[0].Error()})
		return cty.NilVal, nil, diags
	}
	return planned, resp.RequiresReplace, diags
}

// chooseAction sets the change's action and reason.
func (r *run) chooseAction(c *ResourceChange, tainted bool) {
	key := c.Addr.String()
	switch {
	case c.Before.IsNull():
		c.Action = Create
		if r.gone[key] {
			c.Reason = ReasonGone
		}
		return
	case r.replace[key]:
		c.Reason = ReasonReplaceByRequest
	case tainted:
		c.Reason = ReasonReplaceTainted
	case len(c.ReplacePaths) > 0:
		c.Reason = ReasonReplaceForceNew
	case c.After.RawEquals(c.Before):
		c.Action = NoOp
		return
	default:
		c.Action = Update
		if r.drifted[key] {
			c.Reason = ReasonDrift
		}
		return
	}
	c.Action = DeleteThenCreate
	if c.CreateBeforeDestroy {
		c.Action = CreateThenDelete
	}
}

// withSubject points diagnostics that have no range at rng.
func withSubject(ds hcl.Diagnostics, rng hcl.Range) hcl.Diagnostics {
	for _, d := range ds {
		if d.Subject == nil {
			d.Subject = rng.Ptr()
		}
	}
	return ds
}

// nodeOf reads the optional "node" attribute of a configuration value.
func nodeOf(v cty.Value) string {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute("node") {
		return ""
	}
	n := v.GetAttr("node")
	if n.IsNull() || !n.IsKnown() || n.Type() != cty.String {
		return ""
	}
	return n.AsString()
}

// markPaths marks the values at paths sensitive, so that a provider in
// this process sees which parts of its configuration are secret.
func markPaths(v cty.Value, paths []cty.Path) cty.Value {
	if len(paths) == 0 {
		return v
	}
	pvm := make([]cty.PathValueMarks, len(paths))
	for i, p := range paths {
		pvm[i] = cty.PathValueMarks{Path: p, Marks: cty.NewValueMarks(spec.SensitiveMark)}
	}
	return v.MarkWithPaths(pvm)
}

// unmarkPaths removes every mark and returns the sensitive paths.
func unmarkPaths(v cty.Value) (cty.Value, []cty.Path) {
	if v == cty.NilVal {
		return v, nil
	}
	uv, pvm := providers.UnmarkDeepWithPaths(v)
	var paths []cty.Path
	for _, pm := range pvm {
		if _, ok := pm.Marks[spec.SensitiveMark]; ok {
			paths = append(paths, pm.Path)
		}
	}
	return uv, paths
}
