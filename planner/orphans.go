package planner

import (
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// planOrphans plans the deletion of recorded instances that the
// configuration no longer has: a removed block, a smaller count, a
// for_each key gone.
func (r *run) planOrphans() {
	for _, rs := range r.prior.Resources {
		key := rs.Addr.String()
		if _, planned := r.changes[key]; planned || r.failed[rs.Addr.Resource.String()] {
			continue
		}
		if !r.targets.plansInstance(rs.Addr) {
			continue
		}
		rc := r.configResource(rs.Addr.Resource)
		reason := orphanReason(rc, rs.Addr)
		if reason == ReasonNone {
			continue // configured but not planned: left out by -target
		}
		schema, ok := r.opts.Providers.Schema(rs.Addr.Type)
		if !ok {
			r.addDiags(hcl.Diagnostics{noProviderDiag(rs.Addr)})
			continue
		}
		before, err := rs.Value(schema.Block.ImpliedType())
		if err != nil {
			r.addDiags(hcl.Diagnostics{unreadableDiag(rs.Addr, err)})
			continue
		}
		if rc != nil && rc.Lifecycle.PreventDestroy {
			r.addDiags(preventDestroyDiag(rs.Addr, rc, "destroy it"))
			continue
		}
		_, pname, _ := r.opts.Providers.ForType(rs.Addr.Type)
		null := cty.NullVal(schema.Block.ImpliedType())
		r.record(&ResourceChange{
			Addr: rs.Addr, Provider: pname, Node: rs.Node, Action: Delete, Reason: reason, Schema: schema,
			Before: before, After: null, Config: null, Private: rs.Private,
			CreateBeforeDestroy: rs.CreateBeforeDestroy,
		})
	}
}

// orphanReason says why a recorded instance is deleted, or ReasonNone
// when the configuration still has it.
func orphanReason(rc *spec.Resource, a addrs.Instance) Reason {
	if rc == nil {
		return ReasonDeleteNoConfig
	}
	switch {
	case rc.Count != nil && a.Key.Kind == addrs.IntKey:
		return ReasonDeleteCountIndex
	case rc.ForEach != nil && a.Key.Kind == addrs.StringKey:
		return ReasonDeleteEachKey
	case rc.Count == nil && rc.ForEach == nil && a.Key.Kind == addrs.NoKey:
		return ReasonNone
	}
	return ReasonDeleteNoConfig
}
