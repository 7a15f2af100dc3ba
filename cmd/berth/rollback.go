package main

import (
	"context"
	"fmt"
	"io"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

func newRollbackCmd(a *app) *cobra.Command {
	var (
		lock       lockFlags
		toRevision int
	)
	cmd := &cobra.Command{
		Use:   "rollback ADDR [--to-revision N]",
		Short: "Roll a deployment back to an earlier revision",
		Long: `Rollback rolls a deployment's replicas back to the template of an earlier
revision, recorded in the state (the last 10 revisions): the previous one that
rolled out, or --to-revision N. Like kubectl rollout undo, it makes a new
revision whose template is the old one's, and rolls it out replica by replica
as apply would (the deployment's update block: max_surge, max_unavailable,
min_ready, health checks), under the state lock, writing the state after.

The configuration stays the source of truth: it still holds the newer
template, so the next "berth plan" shows that template as a change again,
and "berth apply" would roll it out once more. Change the configuration to
keep the rollback.`,
		Example: `  berth rollback deployment.web
  berth rollback deployment.web --to-revision 3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runRollback(cmd, args[0], toRevision, lock)
		},
	}
	lock.register(cmd)
	cmd.Flags().IntVar(&toRevision, "to-revision", 0, "the revision `N` whose template to roll back to (default: the previous one)")
	_ = cmd.RegisterFlagCompletionFunc("to-revision", cobra.NoFileCompletions)
	return cmd
}

// rollback is one rollback: the deployment's record and the target.
type rollback struct {
	addr     addrs.Instance
	rec      *state.Resource
	schema   *schemas.Resource
	prov     providers.Provider
	prior    cty.Value
	target   *native.RevisionRecord
	current  int
	planned  cty.Value
	config   cty.Value
	progress io.Writer
}

func (a *app) runRollback(cmd *cobra.Command, arg string, toRevision int, lock lockFlags) error {
	addr, err := addrs.ParseInstance(arg)
	if err != nil {
		return err
	}
	if addr.Type != schemas.TypeDeployment {
		return fmt.Errorf("%s is not a deployment: only deployments have revisions to roll back to", addr)
	}
	f := &planFlags{lock: lock, refresh: true, parallelism: 10}
	op, err := a.startOperation(cmd, f, "berth rollback")
	defer op.close()
	if err != nil {
		return err
	}
	rb, err := newRollback(op, addr, toRevision)
	if err != nil {
		return err
	}
	if err := rb.plan(cmd.Context()); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	rb.progress = out
	fmt.Fprintf(out, "%s: rolling back from revision %d to the template of revision %d: %s\n",
		addr, rb.current, rb.target.Revision, rolloutOf(rb.planned))
	return a.applyRollback(cmd, op, rb)
}

// newRollback finds the deployment in the state and the revision to go
// back to.
func newRollback(op *operation, addr addrs.Instance, toRevision int) (*rollback, error) {
	rb := &rollback{addr: addr, rec: op.prior.Resource(addr)}
	if rb.rec == nil {
		return nil, fmt.Errorf("%s is not in the state: apply it first (berth state list shows what is recorded)", addr)
	}
	var ok bool
	if rb.schema, ok = op.reg.Schema(addr.Type); !ok {
		return nil, fmt.Errorf("no provider serves resource type %s", addr.Type)
	}
	rb.prov, _, _ = op.reg.ForType(addr.Type)
	var err error
	if rb.prior, err = rb.rec.Value(rb.schema.Block.ImpliedType()); err != nil {
		return nil, err
	}
	hist, err := native.DecodeHistory(rb.rec.Private)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	rb.current = intAttr(rb.prior, "revision")
	switch {
	case toRevision > 0:
		rb.target, err = hist.Find(toRevision)
	default:
		rb.target, err = hist.Previous(rb.current)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	return rb, nil
}

// plan asks the provider to plan the deployment with the old template,
// as apply would with a configuration holding it.
func (rb *rollback) plan(ctx context.Context) error {
	tmpl, err := rb.target.TemplateValue()
	if err != nil {
		return fmt.Errorf("%s: %w", rb.addr, err)
	}
	rb.config = configOf(&rb.schema.Block, rb.prior, map[string]cty.Value{"template": tmpl})
	if vr := rb.prov.ValidateResource(ctx, providers.ValidateResourceRequest{TypeName: rb.addr.Type, Config: rb.config}); vr.Diagnostics.HasErrors() {
		return fmt.Errorf("%s: revision %d's template: %w", rb.addr, rb.target.Revision, vr.Diagnostics.Err())
	}
	resp := rb.prov.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: rb.addr.Type, Prior: rb.prior, Config: rb.config,
		Proposed: providers.ProposedNew(&rb.schema.Block, rb.prior, rb.config), Private: rb.rec.Private,
	})
	if err := resp.Diagnostics.Err(); err != nil {
		return fmt.Errorf("%s: %w", rb.addr, err)
	}
	rb.planned = providers.UnmarkDeep(resp.Planned)
	if rb.planned.RawEquals(rb.prior) {
		return fmt.Errorf("%s already runs the template of revision %d; nothing to roll back", rb.addr, rb.target.Revision)
	}
	return rb.check(ctx)
}

// check asks the provider to check the rollback as a plan of one
// change (host ports the old template publishes must be free).
func (rb *rollback) check(ctx context.Context) error {
	checker, ok := rb.prov.(providers.PlanChecker)
	if !ok {
		return nil
	}
	resp := checker.CheckPlan(ctx, providers.CheckPlanRequest{Changes: []providers.PlannedChange{{
		Addr: rb.addr.String(), TypeName: rb.addr.Type, Prior: rb.prior, Planned: rb.planned}}})
	var diags providers.Diagnostics
	for _, d := range resp.Diagnostics {
		diags = append(diags, d.Diagnostic)
	}
	if err := diags.Err(); err != nil {
		return fmt.Errorf("%s: %w", rb.addr, err)
	}
	return nil
}

// configOf is a configuration equivalent to the recorded value v (its
// computed-only attributes null) with some attributes replaced.
func configOf(b *schemas.Block, v cty.Value, set map[string]cty.Value) cty.Value {
	vals := v.AsValueMap()
	for name, at := range b.Attributes {
		if at.Computed && !at.Optional {
			vals[name] = cty.NullVal(at.Type)
		}
	}
	for k, x := range set {
		vals[k] = x
	}
	return cty.ObjectVal(vals)
}

// applyRollback rolls the planned change out through the provider,
// printing its progress, and records the outcome in the state.
func (a *app) applyRollback(cmd *cobra.Command, op *operation, rb *rollback) error {
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	_, _, release := a.interrupts(cancel)
	defer release()
	resp := rb.prov.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{
		TypeName: rb.addr.Type, Prior: rb.prior, Planned: rb.planned, Config: rb.config, Private: rb.rec.Private,
		Progress: func(msg string) { fmt.Fprintf(rb.progress, "%s: %s\n", rb.addr, msg) },
	})
	if resp.New != cty.NilVal && !resp.New.IsNull() && resp.New.IsWhollyKnown() {
		if err := recordRollback(op, rb, resp); err != nil {
			return err
		}
	}
	if err := resp.Diagnostics.Err(); err != nil {
		a.errorf("%s: %v", rb.addr, err)
		return errReported
	}
	fmt.Fprintf(cmd.OutOrStdout(), "\nRollback complete: %s runs revision %d (the template of revision %d).\n"+
		"The configuration still holds the newer template: berth plan shows it as a change again until you change the configuration.\n",
		rb.addr, intAttr(resp.New, "revision"), rb.target.Revision)
	return nil
}

// recordRollback writes the deployment's new value and history.
func recordRollback(op *operation, rb *rollback, resp providers.ApplyResourceChangeResponse) error {
	st := op.prior.DeepCopy()
	rec := rb.rec.DeepCopy()
	if err := rec.SetValue(providers.UnmarkDeep(resp.New), rb.schema.Block.ImpliedType()); err != nil {
		return err
	}
	rec.Private = resp.Private
	st.Set(rec)
	if err := op.store.Write(st); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// intAttr reads a whole-number attribute, 0 when unset.
func intAttr(v cty.Value, name string) int {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return 0
	}
	n := v.GetAttr(name)
	if n.IsNull() || !n.IsKnown() || n.Type() != cty.Number {
		return 0
	}
	i, _ := n.AsBigFloat().Int64()
	return int(i)
}
