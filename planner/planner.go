package planner

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// run is the working memory of one Plan call.
type run struct {
	opts   Options
	g      *graph
	prior  *state.State // refreshed
	values *instanceValues
	ev     *evaluator

	// priorVals caches the decoded value of every recorded instance.
	priorVals map[string]cty.Value

	gone    map[string]bool // instances refresh found deleted
	drifted map[string]bool // instances refresh found changed
	replace map[string]bool
	targets *targetSet

	mu      sync.Mutex
	changes map[string]*ResourceChange // by instance address
	sources map[string]instanceSource  // by instance address, for diagnostics
	failed  map[string]bool            // resources whose planning failed
	diags   hcl.Diagnostics

	rollback   *Rollback   // RollbackMode: the target as planned
	names      []nameClaim // runtime names taken, for checkNames
	validating bool        // Validate: evaluate and validate only, plan nothing
}

func (r *run) addDiags(d hcl.Diagnostics) {
	if len(d) == 0 {
		return
	}
	r.mu.Lock()
	r.diags = append(r.diags, d...)
	r.mu.Unlock()
}

func (r *run) record(c *ResourceChange) {
	r.mu.Lock()
	r.changes[c.Addr.String()] = c
	r.mu.Unlock()
}

// MakePlan refreshes, evaluates and diffs: it makes a Plan (the function is
// not called Plan because the type is). The returned plan is non-nil
// whenever the configuration could be evaluated far enough to show
// something; diagnostics carry source ranges.
func MakePlan(ctx context.Context, opts Options) (*Plan, hcl.Diagnostics) {
	g, diags := buildGraph(opts.Config)
	if opts.Mode == RollbackMode {
		diags = append(diags, checkRollbackOptions(opts)...)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	prior := opts.State
	if prior == nil {
		prior = state.New()
	}
	r := newRun(opts, g, diags)
	var drift []*ResourceChange
	if opts.SkipRefresh || opts.Mode == DestroyMode && len(prior.Resources) == 0 {
		r.prior = prior.DeepCopy()
	} else {
		var d hcl.Diagnostics
		r.prior, drift, d = refresh(ctx, opts.Providers, prior, opts.Parallelism)
		r.addDiags(d)
		if d.HasErrors() {
			return nil, r.diags
		}
	}
	for _, c := range drift {
		if c.Action == Delete {
			r.gone[c.Addr.String()] = true
		} else {
			r.drifted[c.Addr.String()] = true
		}
	}
	for _, a := range opts.Replace {
		r.replace[a.String()] = true
	}
	r.loadPriorValues()
	r.ev = newEvaluator(opts.Config, opts.Variables, r.values)
	r.targets = newTargetSet(opts.Targets, g, r.prior)

	switch opts.Mode {
	case DestroyMode:
		r.planDestroy()
	case RollbackMode:
		r.planRollback(ctx)
	default:
		r.planResources(ctx)
		r.addDiags(r.checkNames())
		r.planOrphans()
	}
	p := r.assemble(ctx, drift)
	return p, r.diags
}

// loadPriorValues makes every recorded instance visible to references, so
// that resources left out by -target still resolve.
func (r *run) loadPriorValues() {
	for _, rs := range r.prior.Resources {
		schema, ok := r.opts.Providers.Schema(rs.Addr.Type)
		if !ok {
			continue
		}
		v, err := rs.Value(schema.Block.ImpliedType())
		if err != nil {
			continue
		}
		r.values.set(rs.Addr, v)
		r.priorVals[rs.Addr.String()] = v
	}
}

// newRun is the working memory of one plan or validate over graph g,
// starting with the diagnostics so far.
func newRun(opts Options, g *graph, diags hcl.Diagnostics) *run {
	return &run{
		opts: opts, g: g, values: newInstanceValues(), priorVals: map[string]cty.Value{},
		gone: map[string]bool{}, drifted: map[string]bool{}, replace: map[string]bool{},
		changes: map[string]*ResourceChange{}, sources: map[string]instanceSource{}, failed: map[string]bool{}, diags: diags,
	}
}

// planResources walks the resource graph in dependency order, in parallel.
func (r *run) planResources(ctx context.Context) {
	order := r.g.resourceOrder()
	walkDAG(ctx, order, r.g.resourceDeps, r.opts.Parallelism,
		func(k nodeKey) bool { return r.planResource(ctx, r.g.nodes[k]) },
		func(k nodeKey) {
			r.mu.Lock()
			r.failed[r.g.nodes[k].resource.Addr.String()] = true
			r.mu.Unlock()
		})
	if err := ctx.Err(); err != nil {
		r.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Planning interrupted", Detail: err.Error()}})
	}
}

// assemble builds the immutable Plan from the run's results.
func (r *run) assemble(ctx context.Context, drift []*ResourceChange) *Plan {
	p := &Plan{
		Mode: r.opts.Mode, Rollback: r.rollback, Drift: drift, PriorState: r.prior,
		ConfigHash: r.opts.Config.Hash, Targets: r.opts.Targets, Replace: r.opts.Replace,
		Variables: unmarkVars(r.opts.Variables), Timestamp: time.Now().UTC(),
	}
	if r.opts.State != nil {
		p.StateLineage, p.StateSerial = r.opts.State.Lineage, r.opts.State.Serial
	} else {
		p.StateLineage = r.prior.Lineage
	}
	for _, c := range r.changes {
		p.Changes = append(p.Changes, c)
	}
	r.fillDependencies(p.Changes)
	propagateCreateBeforeDestroy(p.Changes)
	sortChanges(p.Changes)
	if r.opts.Mode == NormalMode || r.opts.Mode == RollbackMode {
		r.checkPlan(ctx, p.Changes)
	}
	p.Outputs = r.planOutputs()
	p.Errored = r.diags.HasErrors()
	return p
}

func unmarkVars(vars map[string]cty.Value) map[string]cty.Value {
	out := make(map[string]cty.Value, len(vars))
	for k, v := range vars {
		uv, _ := v.UnmarkDeep()
		out[k] = uv
	}
	return out
}

func sortChanges(cs []*ResourceChange) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Addr.Less(cs[j].Addr) })
}

// fillDependencies sets every change's instance dependencies from the
// resource graph (configured instances) or the state record (orphans).
func (r *run) fillDependencies(changes []*ResourceChange) {
	instancesOf := map[string][]addrs.Instance{}
	for _, c := range changes {
		rs := c.Addr.Resource.String()
		instancesOf[rs] = append(instancesOf[rs], c.Addr)
	}
	for _, rs := range r.prior.Resources {
		if _, planned := r.changes[rs.Addr.String()]; !planned {
			instancesOf[rs.Addr.Resource.String()] = append(instancesOf[rs.Addr.Resource.String()], rs.Addr)
		}
	}
	for _, c := range changes {
		if c.Action == Delete || r.opts.Mode == RollbackMode {
			c.Dependencies = r.recordedDeps(c.Addr)
			continue
		}
		key := resourceKey(c.Addr.Resource)
		var deps []addrs.Instance
		for _, d := range r.g.resourceDeps[key] {
			n := r.g.nodes[d]
			deps = append(deps, instancesOf[n.resource.Addr.String()]...)
		}
		sort.Slice(deps, func(i, j int) bool { return deps[i].Less(deps[j]) })
		c.Dependencies = deps
	}
}

// recordedDeps parses the dependencies the state records for addr.
func (r *run) recordedDeps(addr addrs.Instance) []addrs.Instance {
	rs := r.prior.Resource(addr)
	if rs == nil {
		if orig := r.opts.State; orig != nil {
			rs = orig.Resource(addr)
		}
	}
	if rs == nil {
		return nil
	}
	var out []addrs.Instance
	for _, s := range rs.Dependencies {
		if a, err := addrs.ParseInstance(s); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// planDestroy plans the deletion of every recorded instance (or, with
// -target, of the targeted ones and everything that depends on them).
func (r *run) planDestroy() {
	for _, rs := range r.prior.Resources {
		if !r.targets.destroys(rs.Addr) {
			continue
		}
		schema, ok := r.opts.Providers.Schema(rs.Addr.Type)
		if !ok {
			continue
		}
		before, err := rs.Value(schema.Block.ImpliedType())
		if err != nil {
			r.addDiags(hcl.Diagnostics{unreadableDiag(rs.Addr, err)})
			continue
		}
		if rc := r.configResource(rs.Addr.Resource); rc != nil && rc.Lifecycle.PreventDestroy {
			r.addDiags(preventDestroyDiag(rs.Addr, rc, "destroy it"))
			continue
		}
		_, pname, _ := r.opts.Providers.ForType(rs.Addr.Type)
		r.record(&ResourceChange{
			Addr: rs.Addr, Provider: pname, Node: rs.Node, Action: Delete, Schema: schema,
			Before: before, After: cty.NullVal(schema.Block.ImpliedType()), Config: cty.NullVal(schema.Block.ImpliedType()),
			Private: rs.Private, CreateBeforeDestroy: rs.CreateBeforeDestroy,
		})
	}
}

// configResource finds the configuration block of a resource, or nil.
func (r *run) configResource(a addrs.Resource) *spec.Resource {
	cfg := r.ev.modules[a.Module.String()]
	if cfg == nil {
		return nil
	}
	return cfg.Resources[a.Type+"."+a.Name]
}

// noProviderDiag says that no provider serves the type of addr, which the
// state records, and what to do.
func noProviderDiag(addr addrs.Instance) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("%s: no provider serves resource type %q", addr, addr.Type),
		Detail:   "The state records this resource but no installed provider serves its type. Install the provider plugin, or remove the record with: berth state rm " + addr.String(),
	}
}

// unreadableDiag says that addr's record in the state does not decode
// against its type's schema.
func unreadableDiag(addr addrs.Instance, err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("%s: state record is unreadable", addr), Detail: err.Error()}
}

func preventDestroyDiag(addr addrs.Instance, rc *spec.Resource, what string) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Instance cannot be destroyed",
		Detail: fmt.Sprintf("%s has lifecycle.prevent_destroy set, but the plan would %s. To go ahead, remove prevent_destroy from its lifecycle block first; otherwise change the plan so that it keeps the resource (for example with -target).",
			addr, what),
		Subject: rc.DeclRange.Ptr(),
	}}
}

// propagateCreateBeforeDestroy makes a replaced dependency of a
// create_before_destroy replacement create-before-destroy too: the old
// dependency must outlive the old dependent, which outlives the new one.
func propagateCreateBeforeDestroy(changes []*ResourceChange) {
	byAddr := make(map[string]*ResourceChange, len(changes))
	for _, c := range changes {
		byAddr[c.Addr.String()] = c
	}
	for changed := true; changed; {
		changed = false
		for _, c := range changes {
			if c.Action != CreateThenDelete {
				continue
			}
			for _, d := range c.Dependencies {
				if dc := byAddr[d.String()]; dc != nil && dc.Action == DeleteThenCreate {
					dc.Action, dc.CreateBeforeDestroy, changed = CreateThenDelete, true, true
				}
			}
		}
	}
}
