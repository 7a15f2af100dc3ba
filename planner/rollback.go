package planner

import (
	"context"
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// A rollback plan (RollbackMode) is made from the refreshed state, not
// from the configuration: its one change moves the target instance to
// the configuration of a revision its provider recorded
// (providers.RevisionKeeper), planned by the provider as any change is;
// every other recorded instance is a no-op, whatever the configuration
// or refresh would otherwise call for. The configuration stays the
// source of truth, so the next normal plan proposes its own values again.

// checkRollbackOptions refuses a rollback that cannot be planned before
// anything is refreshed.
func checkRollbackOptions(opts Options) hcl.Diagnostics {
	rb := opts.Rollback
	switch {
	case rb == nil:
		return errorDiag("A rollback plan needs a target", "Name the instance to roll back.")
	case len(opts.Targets) > 0 || len(opts.Replace) > 0:
		return errorDiag("A rollback plan changes one instance", "-target and -replace cannot be used with a rollback.")
	case opts.State == nil || opts.State.Resource(rb.Addr) == nil:
		return errorDiag(fmt.Sprintf("%s is not in the state: apply it first (berth state list shows what is recorded)", rb.Addr), "")
	}
	return nil
}

func errorDiag(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail}}
}

// planRollback plans the rollback of r.opts.Rollback.Addr and a no-op
// for every other recorded instance.
func (r *run) planRollback(ctx context.Context) {
	target := r.opts.Rollback.Addr
	for _, rs := range r.prior.Resources {
		if rs.Addr.String() != target.String() {
			r.keepAsIs(rs)
		}
	}
	rs := r.prior.Resource(target)
	switch {
	case rs == nil:
		r.addDiags(errorDiag(fmt.Sprintf("%s was deleted outside of berth: there is nothing to roll back; berth apply creates it again", target), ""))
		return
	case rs.Tainted:
		r.addDiags(errorDiag(fmt.Sprintf("%s is tainted: berth apply replaces it; roll back once it has been applied again", target), ""))
		return
	}
	change, diags := r.planRollbackChange(ctx, rs)
	r.addDiags(diags)
	if change != nil {
		r.values.set(target, change.After)
		r.record(change)
	}
}

// recordedValue is rs's refreshed value with its schema, or why it
// cannot be read.
func (r *run) recordedValue(rs *state.Resource) (cty.Value, *schemas.Resource, *hcl.Diagnostic) {
	schema, found := r.opts.Providers.Schema(rs.Addr.Type)
	if !found {
		return cty.NilVal, nil, noProviderDiag(rs.Addr)
	}
	if v, ok := r.priorVals[rs.Addr.String()]; ok {
		return v, schema, nil
	}
	v, err := rs.Value(schema.Block.ImpliedType())
	if err != nil {
		return cty.NilVal, nil, unreadableDiag(rs.Addr, err)
	}
	return v, schema, nil
}

// keepAsIs records a no-op change of a recorded instance.
func (r *run) keepAsIs(rs *state.Resource) {
	v, schema, diag := r.recordedValue(rs)
	if diag != nil {
		r.addDiags(hcl.Diagnostics{diag})
		return
	}
	_, pname, _ := r.opts.Providers.ForType(rs.Addr.Type)
	r.record(&ResourceChange{
		Addr: rs.Addr, Provider: pname, Node: rs.Node, Action: NoOp, Schema: schema,
		Before: v, After: v, Config: cty.NullVal(schema.Block.ImpliedType()),
		SensitivePaths: recordedSensitive(v, rs.SensitivePaths), Private: rs.Private,
		CreateBeforeDestroy: rs.CreateBeforeDestroy,
	})
}

// planRollbackChange asks the provider for the configuration of the
// revision and plans it as an in-place update.
func (r *run) planRollbackChange(ctx context.Context, rs *state.Resource) (*ResourceChange, hcl.Diagnostics) {
	addr := rs.Addr
	prior, schema, diag := r.recordedValue(rs)
	if diag != nil {
		return nil, hcl.Diagnostics{diag}
	}
	prov, pname, _ := r.opts.Providers.ForType(addr.Type)
	keeper, can := prov.(providers.RevisionKeeper)
	if !can {
		return nil, errorDiag(fmt.Sprintf("%s: provider %s keeps no revisions of its resources; there is nothing to roll back to", addr, pname), "")
	}
	resp := keeper.RevisionConfig(ctx, providers.RevisionConfigRequest{
		TypeName: addr.Type, Prior: prior, Private: rs.Private, Revision: r.opts.Rollback.Revision})
	if diags := providerDiags(addr.String(), "roll back", resp.Diagnostics); diags.HasErrors() {
		return nil, diags
	}
	r.rollback = &Rollback{Addr: addr, Revision: resp.Revision, From: resp.Current}
	config := resp.Config
	vresp := prov.ValidateResource(ctx, providers.ValidateResourceRequest{TypeName: addr.Type, Config: config})
	if vresp.Diagnostics.HasErrors() {
		return nil, providerDiags(fmt.Sprintf("%s (revision %d)", addr, resp.Revision), "validate", vresp.Diagnostics)
	}
	sensitive := recordedSensitive(config, rs.SensitivePaths)
	planned, replacePaths, diags := planChange(ctx, prov, instanceSource{}, addr, schema, prior, markPaths(config, sensitive), rs.Private)
	if diags.HasErrors() {
		return nil, diags
	}
	change := &ResourceChange{
		Addr: addr, Provider: pname, Node: rs.Node, Action: Update, Reason: ReasonRollback, Schema: schema,
		Before: prior, Config: config, Private: rs.Private, CreateBeforeDestroy: rs.CreateBeforeDestroy,
	}
	change.After, change.SensitivePaths = unmarkPaths(planned)
	change.SensitivePaths = append(change.SensitivePaths, recordedSensitive(prior, rs.SensitivePaths)...)
	switch {
	case len(replacePaths) > 0:
		return nil, errorDiag(fmt.Sprintf("%s: rolling back to revision %d would replace it (%s cannot change in place); a rollback only updates in place", addr, resp.Revision, providers.FormatPath(replacePaths[0])), "")
	case change.After.RawEquals(prior):
		return nil, errorDiag(fmt.Sprintf("%s already runs the configuration of revision %d; nothing to roll back", addr, resp.Revision), "")
	}
	return change, diags
}

// recordedSensitive finds in v the paths a state record lists as
// sensitive (providers.FormatPath strings), so that a value the
// configuration marked sensitive stays hidden in a plan made from state.
func recordedSensitive(v cty.Value, recorded []string) []cty.Path {
	if len(recorded) == 0 || v == cty.NilVal || v.IsNull() {
		return nil
	}
	want := make(map[string]bool, len(recorded))
	for _, s := range recorded {
		want[s] = true
	}
	var out []cty.Path
	_ = cty.Walk(v, func(p cty.Path, _ cty.Value) (bool, error) {
		if len(p) > 0 && want[providers.FormatPath(p)] {
			out = append(out, p.Copy())
			return false, nil
		}
		return true, nil
	})
	return out
}

// isRollbackTarget reports whether addr is what plan p rolls back.
func isRollbackTarget(p *Rollback, addr addrs.Instance) bool {
	return p != nil && p.Addr.String() == addr.String()
}
