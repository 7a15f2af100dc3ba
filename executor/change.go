package executor

import (
	"errors"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

// run carries out one op and records its outcome in state; it reports
// whether the op succeeded.
func (r *runner) run(o *op) bool {
	c := o.change
	hookAction := c.Action
	if c.Action.IsReplace() {
		hookAction = planner.Create
		if o.kind == opDestroy {
			hookAction = planner.Delete
		}
	}
	r.hookPre(c.Addr, hookAction)
	began := time.Now()
	var err error
	newVal := cty.NullVal(c.Schema.Block.ImpliedType())
	if o.kind == opDestroy {
		err = r.destroy(c)
	} else {
		newVal, err = r.apply(c)
	}
	elapsed := time.Since(began)
	r.record(o, elapsed, err)
	r.hookPost(c.Addr, hookAction, elapsed, newVal, err)
	return err == nil
}

// apply creates or updates the object of change c and returns the object
// as it now exists.
func (r *runner) apply(c *planner.ResourceChange) (cty.Value, error) {
	ty := c.Schema.Block.ImpliedType()
	nv, err := r.applyChange(c)
	if nv == cty.NilVal {
		nv = cty.NullVal(ty)
	}
	return nv, err
}

func (r *runner) applyChange(c *planner.ResourceChange) (cty.Value, error) {
	prov, _, ok := r.opts.Providers.ForType(c.Addr.Type)
	if !ok {
		return cty.NilVal, errors.New("no provider serves resource type " + c.Addr.Type)
	}
	final := c
	if r.opts.Finalizer != nil {
		f, diags := r.opts.Finalizer.Finalize(r.ctx, c, r.snapshot())
		if diags.HasErrors() {
			return cty.NilVal, diags
		}
		final = f
	}
	ty := c.Schema.Block.ImpliedType()
	prior := c.Before
	if c.Action.IsReplace() {
		prior = cty.NullVal(ty)
	}
	req := providers.ApplyResourceChangeRequest{
		TypeName: c.Addr.Type, Prior: prior, Planned: final.After, Config: final.Config, Private: c.Private,
	}
	if r.opts.Hooks != nil {
		req.Progress = func(msg string) { r.opts.Hooks.Progress(c.Addr, msg) }
	}
	resp := prov.ApplyResourceChange(r.ctx, req)
	failed := resp.Diagnostics.HasErrors()
	newVal := resp.New
	if newVal == cty.NilVal {
		newVal = cty.NullVal(ty)
	}
	if !newVal.IsNull() && !newVal.IsWhollyKnown() {
		return cty.NilVal, errors.New("provider left unknown values after apply (a provider bug)")
	}
	r.stMu.Lock()
	switch {
	case !newVal.IsNull():
		rec := r.recordFor(c, resp.Private)
		rec.Tainted = failed && prior.IsNull()
		if err := rec.SetValue(newVal, ty); err != nil {
			r.stMu.Unlock()
			return cty.NilVal, err
		}
		r.st.Set(rec)
	case prior.IsNull():
		// Create failed and left nothing behind: nothing to record.
	}
	r.stMu.Unlock()
	r.saver.dirty()
	if failed {
		return newVal, resp.Diagnostics.Err()
	}
	return newVal, nil
}

// destroy deletes the (old) object of change c.
func (r *runner) destroy(c *planner.ResourceChange) error {
	prov, _, ok := r.opts.Providers.ForType(c.Addr.Type)
	if !ok {
		return errors.New("no provider serves resource type " + c.Addr.Type)
	}
	ty := c.Schema.Block.ImpliedType()
	resp := prov.ApplyResourceChange(r.ctx, providers.ApplyResourceChangeRequest{
		TypeName: c.Addr.Type, Prior: c.Before, Planned: cty.NullVal(ty), Config: cty.NullVal(ty), Private: c.Private,
	})
	if resp.Diagnostics.HasErrors() {
		return resp.Diagnostics.Err()
	}
	if c.Action == planner.CreateThenDelete {
		// The record already holds the new object; the old one is gone.
		return nil
	}
	r.stMu.Lock()
	if c.Action == planner.Delete {
		r.st.Remove(c.Addr)
	} else if rec := r.st.Resource(c.Addr); rec != nil {
		// Delete half of a replace: the new object is not created yet.
		r.st.Remove(rec.Addr)
	}
	r.stMu.Unlock()
	r.saver.dirty()
	return nil
}

// recordFor builds a fresh state record for change c (records are never
// mutated once in state, so that snapshots stay consistent).
func (r *runner) recordFor(c *planner.ResourceChange, private []byte) *state.Resource {
	rec := &state.Resource{
		Addr: c.Addr, Provider: c.Provider, Node: c.Node, Private: private,
		CreateBeforeDestroy: c.CreateBeforeDestroy, SchemaVersion: c.Schema.Version,
	}
	for _, d := range c.Dependencies {
		rec.Dependencies = append(rec.Dependencies, d.String())
	}
	for _, p := range c.SensitivePaths {
		rec.SensitivePaths = append(rec.SensitivePaths, providers.FormatPath(p))
	}
	return rec
}

// snapshot returns a consistent view of the state for reading: records
// are replaced, never mutated, so copying the slice is enough.
func (r *runner) snapshot() *state.State {
	r.stMu.Lock()
	defer r.stMu.Unlock()
	snap := *r.st
	snap.Resources = append([]*state.Resource(nil), r.st.Resources...)
	return &snap
}
