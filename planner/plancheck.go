package planner

import (
	"context"
	"sort"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
)

// instanceSource is where an instance's configuration comes from: what
// a diagnostic about one of its attributes needs to point at the source.
type instanceSource struct {
	scope *spec.Scope
	rc    *spec.Resource
}

// checkPlan hands every provider that checks whole plans
// (providers.PlanChecker) its changes, no-ops included, once all are
// planned: it sets the changes' WaitsFor and reports every problem at
// the attribute it concerns.
func (r *run) checkPlan(ctx context.Context, changes []*ResourceChange) {
	byProvider := map[string][]*ResourceChange{}
	checkers := map[string]providers.PlanChecker{}
	for _, c := range changes {
		prov, name, ok := r.opts.Providers.ForType(c.Addr.Type)
		checker, can := prov.(providers.PlanChecker)
		if !ok || !can {
			continue
		}
		byProvider[name] = append(byProvider[name], c)
		checkers[name] = checker
	}
	names := make([]string, 0, len(byProvider))
	for name := range byProvider {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r.checkProviderPlan(ctx, checkers[name], byProvider[name])
	}
}

// checkProviderPlan is checkPlan for one provider's changes.
func (r *run) checkProviderPlan(ctx context.Context, checker providers.PlanChecker, changes []*ResourceChange) {
	byAddr := make(map[string]*ResourceChange, len(changes))
	req := providers.CheckPlanRequest{Changes: make([]providers.PlannedChange, len(changes))}
	for i, c := range changes {
		byAddr[c.Addr.String()] = c
		req.Changes[i] = providers.PlannedChange{
			Addr: c.Addr.String(), TypeName: c.Addr.Type, Prior: c.Before, Planned: c.After,
			Replace: c.Action.IsReplace(), CreateBeforeDestroy: c.Action == CreateThenDelete,
		}
	}
	resp := checker.CheckPlan(ctx, req)
	for _, w := range resp.Waits {
		c, other := byAddr[w.Addr], byAddr[w.For]
		if c != nil && other != nil && !containsInstance(c.WaitsFor, other.Addr) {
			c.WaitsFor = append(c.WaitsFor, other.Addr)
		}
	}
	for _, c := range changes {
		sort.Slice(c.WaitsFor, func(i, j int) bool { return c.WaitsFor[i].Less(c.WaitsFor[j]) })
	}
	for _, d := range resp.Diagnostics {
		if c := byAddr[d.Addr]; c != nil {
			r.addDiags(r.sourceDiags(c.Addr, "plan", providers.Diagnostics{d.Diagnostic}))
		} else {
			r.addDiags(providerDiags(d.Addr, "plan", providers.Diagnostics{d.Diagnostic}))
		}
	}
}

func containsInstance(list []addrs.Instance, a addrs.Instance) bool {
	for _, x := range list {
		if x.String() == a.String() {
			return true
		}
	}
	return false
}

// sourceDiags turns provider diagnostics about instance addr into HCL
// diagnostics, each pointing at the attribute or block it names in the
// instance's configuration (port[1].host: that port block's host), or
// else at the resource block.
func (r *run) sourceDiags(addr addrs.Instance, op string, ds providers.Diagnostics) hcl.Diagnostics {
	r.mu.Lock()
	src, found := r.sources[addr.String()]
	r.mu.Unlock()
	if !found {
		return providerDiags(addr.String(), op, ds)
	}
	return sourceDiagsIn(src, addr, op, ds)
}

// sourceDiagsIn is sourceDiags with the instance's source at hand.
// A change planned from state alone (a rollback) has no source: its
// diagnostics name the address only.
func sourceDiagsIn(src instanceSource, addr addrs.Instance, op string, ds providers.Diagnostics) hcl.Diagnostics {
	if src.rc == nil {
		return providerDiags(addr.String(), op, ds)
	}
	out := make(hcl.Diagnostics, 0, len(ds))
	for _, d := range ds {
		hd := providerDiags(addr.String(), op, providers.Diagnostics{d})[0]
		hd.Subject = src.rc.DeclRange.Ptr()
		if len(d.Attribute) > 0 {
			if rng, ok := src.scope.RangeOfPath(src.rc.Body, &src.rc.Schema.Block, d.Attribute); ok {
				hd.Subject = rng.Ptr()
			}
		}
		out = append(out, hd)
	}
	return out
}
