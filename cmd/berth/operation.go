package main

import (
	"context"
	"fmt"

	"github.com/berthhq/berth/executor"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

// planFlags are the flags plan, apply and destroy share.
type planFlags struct {
	vars        varFlags
	lock        lockFlags
	targets     []string
	replace     []string
	refresh     bool
	parallelism int
	destroy     bool
	// rollback is the target of berth rollback (and of a saved rollback
	// plan being applied); nil for every other operation.
	rollback *planner.Rollback
}

func (f *planFlags) register(cmd *cobra.Command, destroyFlag bool) {
	fs := cmd.Flags()
	f.vars.register(cmd)
	f.lock.register(cmd)
	fs.StringArrayVar(&f.targets, "target", nil, "plan only `ADDR` and what it depends on (repeatable)")
	fs.StringArrayVar(&f.replace, "replace", nil, "replace the instance `ADDR` even if unchanged (repeatable)")
	fs.BoolVar(&f.refresh, "refresh", true, "refresh recorded resources against the real world first (-refresh=false: don't)")
	fs.IntVar(&f.parallelism, "parallelism", 10, "how many operations run at once")
	if destroyFlag {
		fs.BoolVar(&f.destroy, "destroy", false, "plan to destroy every recorded resource")
	}
	_ = cmd.RegisterFlagCompletionFunc("target", completeAddresses)
	_ = cmd.RegisterFlagCompletionFunc("replace", completeAddresses)
}

func (f *planFlags) mode() planner.Mode {
	if f.destroy {
		return planner.DestroyMode
	}
	if f.rollback != nil {
		return planner.RollbackMode
	}
	return planner.NormalMode
}

// operation is one plan or apply holding the state lock: the workspace,
// the variable values and the recorded state.
type operation struct {
	*workspace
	flags  *planFlags
	vars   map[string]cty.Value
	store  *state.Store
	prior  *state.State
	unlock func()
}

// startOperation loads the configuration and begins the operation (see
// begin). The operation must be closed even when an error is returned.
func (a *app) startOperation(cmd *cobra.Command, f *planFlags, name string) (*operation, error) {
	ws, err := a.openWorkspace(cmd)
	op := &operation{workspace: ws, flags: f}
	if err != nil {
		return op, err
	}
	return op, op.begin(cmd, name)
}

// begin collects the variables (unless op.vars is already set), takes
// the state lock for the operation called name, reads the state and
// configures the providers.
func (op *operation) begin(cmd *cobra.Command, name string) error {
	var err error
	if op.vars == nil {
		if op.vars, err = op.flags.vars.collect(op.workspace); err != nil {
			return err
		}
	}
	op.store = op.workspace.store()
	if op.unlock, err = op.app.lock(cmd.Context(), op.store, name, op.flags.lock); err != nil {
		return err
	}
	if op.prior, err = readState(op.store); err != nil {
		return err
	}
	opts, err := op.options()
	if err != nil {
		return err
	}
	return op.diagnose(planner.ConfigureProviders(cmd.Context(), opts))
}

// close releases the lock and the providers.
func (op *operation) close() {
	if op.unlock != nil {
		op.unlock()
	}
	op.workspace.close()
}

// options are the planner options of this operation.
func (op *operation) options() (planner.Options, error) {
	opts := planner.Options{
		Config:      op.cfg,
		Variables:   op.vars,
		State:       op.prior,
		Providers:   op.reg,
		Mode:        op.flags.mode(),
		Rollback:    op.flags.rollback,
		SkipRefresh: !op.flags.refresh,
		Parallelism: op.flags.parallelism,
	}
	if op.flags.parallelism < 1 {
		return opts, fmt.Errorf("-parallelism=%d: want at least 1", op.flags.parallelism)
	}
	for _, s := range op.flags.targets {
		t, err := addrs.ParseTarget(s)
		if err != nil {
			return opts, fmt.Errorf("-target: %w", err)
		}
		opts.Targets = append(opts.Targets, t)
	}
	for _, s := range op.flags.replace {
		i, err := addrs.ParseInstance(s)
		if err != nil {
			return opts, fmt.Errorf("-replace: %w", err)
		}
		opts.Replace = append(opts.Replace, i)
	}
	return opts, nil
}

// plan makes the plan, printing diagnostics; an errored plan is an error.
func (op *operation) plan(ctx context.Context) (*planner.Plan, error) {
	opts, err := op.options()
	if err != nil {
		return nil, err
	}
	p, diags := planner.MakePlan(ctx, opts)
	if err := op.diagnose(diags); err != nil {
		return p, err
	}
	if p == nil {
		return nil, fmt.Errorf("the planner returned no plan and no error")
	}
	if p.Errored {
		op.app.errorf("planning failed; see the errors above")
		return p, errReported
	}
	if err := executor.CheckOrder(p); err != nil {
		return p, err
	}
	return p, nil
}
