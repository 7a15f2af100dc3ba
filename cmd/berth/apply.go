package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/planner"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

func newApplyCmd(a *app) *cobra.Command {
	var (
		f           planFlags
		autoApprove bool
		w           watchFlags
	)
	cmd := &cobra.Command{
		Use:   "apply [flags] [PLANFILE]",
		Short: "Make the changes the configuration calls for",
		Long: `Apply plans, shows the plan and asks for approval, then carries it out,
writing state after every finished change. Given a plan file saved by
"berth plan -out", it carries out exactly that plan without asking, and
refuses if the state or the configuration changed since.

The first Ctrl-C stops starting new changes and lets those in flight finish;
a second one abandons them.

With -watch, apply keeps converging after the first apply: every -interval
it plans again (refreshing everything) and applies the corrections, such as
deployment replicas that died beyond their restart policy or were deleted,
printing each one, until SIGINT or SIGTERM (exit 0). Corrections are applied
without asking; the state lock is held only while a round runs.`,
		Example: `  berth apply
  berth apply -auto-approve -var 'replicas=3'
  berth plan -out=berth.plan && berth apply berth.plan
  berth apply -replace=container.web
  berth apply -auto-approve -watch -interval=5s`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if w.watch {
					return errors.New("-watch plans again every round; it cannot apply a saved plan file")
				}
				return a.applySaved(cmd, &f, args[0])
			}
			if w.watch {
				return a.runWatch(cmd, &f, autoApprove, w.interval)
			}
			return a.runApply(cmd, &f, autoApprove)
		},
	}
	f.register(cmd, true)
	cmd.Flags().BoolVar(&autoApprove, "auto-approve", false, "apply without asking for approval")
	w.register(cmd)
	return cmd
}

// watchFlags are apply's -watch and -interval (see watch.go).
type watchFlags struct {
	watch    bool
	interval time.Duration
}

func (w *watchFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&w.watch, "watch", false, "after applying, keep converging every -interval until SIGINT or SIGTERM")
	cmd.Flags().DurationVar(&w.interval, "interval", defaultWatchInterval, "how often -watch plans and corrects (e.g. 5s)")
}

// runApply plans, shows the plan, asks, and applies.
func (a *app) runApply(cmd *cobra.Command, f *planFlags, autoApprove bool) error {
	opName := "berth apply"
	if f.destroy {
		opName = "berth destroy"
	}
	op, err := a.startOperation(cmd, f, opName)
	defer op.close()
	if err != nil {
		return err
	}
	p, err := op.plan(cmd.Context())
	if err != nil {
		return err
	}
	stdout := cmd.OutOrStdout()
	if err := views.WritePlan(stdout, p, a.colors(stdout)); err != nil {
		return err
	}
	if !p.HasChanges() {
		return nil
	}
	if !autoApprove {
		if err := a.approve(cmd, f.destroy); err != nil {
			return err
		}
	}
	return op.apply(cmd, p)
}

// applySaved carries out a plan file after checking it still fits the
// configuration and the state.
func (a *app) applySaved(cmd *cobra.Command, f *planFlags, path string) error {
	if len(f.vars.args) > 0 || len(f.targets) > 0 || len(f.replace) > 0 || f.destroy {
		return errors.New("a saved plan already fixes variables, targets and mode: -var, -var-file, -target, -replace and -destroy cannot be given with a plan file")
	}
	ws, err := a.openWorkspace(cmd)
	op := &operation{workspace: ws, flags: f}
	defer op.close()
	if err != nil {
		return err
	}
	p, err := readPlanFile(path, ws)
	if err != nil {
		return err
	}
	f.destroy = p.Mode == planner.DestroyMode
	f.rollback = p.Rollback
	op.vars = p.Variables
	if op.vars == nil {
		op.vars = map[string]cty.Value{}
	}
	if err := op.begin(cmd, "berth apply"); err != nil {
		return err
	}
	if err := checkFresh(p, op); err != nil {
		return err
	}
	if p.Rollback != nil {
		return op.applyRollback(cmd, p)
	}
	return op.apply(cmd, p)
}

// readPlanFile decodes a saved plan, refusing errored plans.
func readPlanFile(path string, ws *workspace) (*planner.Plan, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	defer file.Close()
	p, err := planner.ReadPlanFile(file, ws.reg)
	if err != nil {
		return nil, fmt.Errorf("%s is not a usable plan file: %w", path, err)
	}
	if p.Errored {
		return nil, fmt.Errorf("%s holds a plan that failed; it cannot be applied: run berth plan again", path)
	}
	return p, nil
}

// checkFresh refuses a saved plan made against another configuration or
// another state than the ones now on disk.
func checkFresh(p *planner.Plan, op *operation) error {
	if op.cfg.Hash != p.ConfigHash {
		return errors.New("Saved plan is stale: the configuration changed since the plan was made; run berth plan again")
	}
	st := op.prior
	if st.Serial != p.StateSerial || (st.Serial > 0 && st.Lineage != p.StateLineage) {
		if st.Lineage != p.StateLineage && st.Serial > 0 && p.StateSerial > 0 {
			return fmt.Errorf("Saved plan is stale: it was made for another state (lineage %s, now %s); run berth plan again", p.StateLineage, st.Lineage)
		}
		return fmt.Errorf("Saved plan is stale: the state changed since the plan was made (serial %d, now %d); run berth plan again", p.StateSerial, st.Serial)
	}
	return nil
}
