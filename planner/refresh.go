package planner

import (
	"context"
	"fmt"
	"sync"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// refresh reads every recorded resource from the real world, in parallel,
// and returns the refreshed state (gone resources removed) and the drift.
func refresh(ctx context.Context, reg *providers.Registry, prior *state.State, parallelism int) (*state.State, []*ResourceChange, hcl.Diagnostics) {
	out := prior.DeepCopy()
	if parallelism <= 0 {
		parallelism = 10
	}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		sem   = make(chan struct{}, parallelism)
		drift []*ResourceChange
		diags hcl.Diagnostics
		gone  []addrs.Instance
	)
	for _, r := range out.Resources {
		wg.Add(1)
		sem <- struct{}{}
		go func(r *state.Resource) {
			defer func() { <-sem; wg.Done() }()
			change, d := refreshOne(ctx, reg, r)
			mu.Lock()
			defer mu.Unlock()
			diags = append(diags, d...)
			if change == nil {
				return
			}
			drift = append(drift, change)
			if change.Action == Delete {
				gone = append(gone, r.Addr)
			}
		}(r)
	}
	wg.Wait()
	for _, a := range gone {
		out.Remove(a)
	}
	sortChanges(drift)
	return out, drift, diags
}

// refreshOne reads one resource; it updates r in place and returns a drift
// change when the real world differs from the record.
func refreshOne(ctx context.Context, reg *providers.Registry, r *state.Resource) (*ResourceChange, hcl.Diagnostics) {
	p, pname, ok := reg.ForType(r.Addr.Type)
	if !ok {
		return nil, hcl.Diagnostics{noProviderDiag(r.Addr)}
	}
	schema, _ := reg.Schema(r.Addr.Type)
	prior, err := r.Value(schema.Block.ImpliedType())
	if err != nil {
		return nil, hcl.Diagnostics{unreadableDiag(r.Addr, err)}
	}
	resp := p.ReadResource(ctx, providers.ReadResourceRequest{TypeName: r.Addr.Type, Prior: prior, Private: r.Private})
	diags := providerDiags(r.Addr.String(), "refresh", resp.Diagnostics)
	if resp.Diagnostics.HasErrors() {
		return nil, diags
	}
	change := &ResourceChange{Addr: r.Addr, Provider: pname, Node: r.Node, Schema: schema, Before: prior, Private: r.Private}
	if resp.New == cty.NilVal || resp.New.IsNull() {
		change.Action, change.Reason, change.After = Delete, ReasonGone, cty.NullVal(schema.Block.ImpliedType())
		return change, diags
	}
	if resp.New.RawEquals(prior) {
		return nil, diags
	}
	if err := r.SetValue(resp.New, schema.Block.ImpliedType()); err != nil {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("%s: provider returned an invalid value on refresh", r.Addr), Detail: err.Error()})
	}
	if resp.Private != nil {
		r.Private = resp.Private
	}
	change.Action, change.Reason, change.After = Update, ReasonDrift, resp.New
	return change, diags
}

// providerDiags turns provider diagnostics into hcl ones naming the address.
func providerDiags(addr, op string, ds providers.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range ds {
		sev := hcl.DiagError
		if d.Severity == providers.Warning {
			sev = hcl.DiagWarning
		}
		summary := addr + ": " + d.Summary
		if len(d.Attribute) > 0 {
			summary = addr + ": " + providers.FormatPath(d.Attribute) + ": " + d.Summary
		}
		out = append(out, &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: d.Detail})
	}
	return out
}
