package main

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/internal/fsatomic"
	"github.com/berthhq/berth/planner"
	"github.com/spf13/cobra"
)

func newPlanCmd(a *app) *cobra.Command {
	var (
		f        planFlags
		out      string
		jsonOut  bool
		detailed bool
	)
	cmd := &cobra.Command{
		Use:   "plan [flags]",
		Short: "Show the changes that apply would make",
		Long: `Plan refreshes every recorded resource against the real world, compares the
configuration with it and shows the changes apply would make. With -out the
plan is saved, and "berth apply FILE" carries out exactly that plan.

Exit codes: 0 success, 1 error; with -detailed-exitcode, 0 no changes,
1 error, 2 changes present.`,
		Example: `  berth plan
  berth plan -out=berth.plan
  berth plan -var 'replicas=3' -var-file=prod.vars.hcl
  berth plan -target=container.web -detailed-exitcode
  berth plan -destroy
  berth plan -json | jq '.resource_changes[].change.actions'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runPlan(cmd, &f, out, jsonOut, detailed)
		},
	}
	f.register(cmd, true)
	cmd.Flags().StringVar(&out, "out", "", "save the plan to `FILE` for berth apply FILE")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the plan as JSON (schemas/plan.schema.json)")
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "exit 2 when the plan has changes, 0 when none")
	return cmd
}

func (a *app) runPlan(cmd *cobra.Command, f *planFlags, out string, jsonOut, detailed bool) error {
	op, err := a.startOperation(cmd, f, "berth plan")
	defer op.close()
	if err != nil {
		return err
	}
	p, err := op.plan(cmd.Context())
	if err != nil {
		return err
	}
	stdout := cmd.OutOrStdout()
	if jsonOut {
		err = views.WritePlanJSON(stdout, p, version)
	} else {
		err = views.WritePlan(stdout, p, a.colors(stdout))
	}
	if err != nil {
		return err
	}
	if out != "" {
		if err := writePlanFile(out, p); err != nil {
			return err
		}
	}
	if !jsonOut && p.HasChanges() {
		a.planFooter(cmd, out)
	}
	if detailed && p.HasChanges() {
		return exitCode(2)
	}
	return nil
}

// planFooter says how to apply the plan just shown.
func (a *app) planFooter(cmd *cobra.Command, out string) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "\n%s\n\n", views.Rule)
	if out == "" {
		fmt.Fprintln(w, "Note: You didn't use the -out option to save this plan, so berth can't\nguarantee to take exactly these actions if you run \"berth apply\" now.")
		return
	}
	fmt.Fprintf(w, "Saved the plan to: %s\n\nTo perform exactly these actions, run the following command to apply:\n    berth apply %q\n", out, out)
}

// writePlanFile writes p to path atomically (see fsatomic): a reader
// finds the old plan file or the whole new one. It is not fsynced: a plan
// lost in a power cut is made again.
func writePlanFile(path string, p *planner.Plan) error {
	var buf bytes.Buffer
	if err := planner.WritePlanFile(&buf, p); err != nil {
		return fmt.Errorf("write plan file %s: %w", path, err)
	}
	err := fsatomic.WriteFile(path, buf.Bytes(), 0o600, "."+filepath.Base(path)+".tmp*", fsatomic.NoSync)
	if err != nil {
		return fmt.Errorf("write plan file: %w", err)
	}
	return nil
}
