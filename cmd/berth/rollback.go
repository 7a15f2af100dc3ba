package main

import (
	"fmt"
	"io"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

// rollbackFlags are berth rollback's flags.
type rollbackFlags struct {
	lock       lockFlags
	toRevision int
	out        string
	jsonOut    bool
}

func newRollbackCmd(a *app) *cobra.Command {
	var f rollbackFlags
	cmd := &cobra.Command{
		Use:   "rollback ADDR [--to-revision N] [-out FILE] [-json]",
		Short: "Roll a deployment back to an earlier revision",
		Long: `Rollback rolls a deployment's replicas back to the template of an earlier
revision, recorded in the state (the last 10 revisions): the previous one that
rolled out, or --to-revision N. Like kubectl rollout undo, it makes a new
revision whose template is the old one's, and rolls it out replica by replica
as apply would (the deployment's update block: max_surge, max_unavailable,
min_ready, health checks), under the state lock, writing the state after.

A rollback is a plan like any other, made from the state rather than from
the configuration: it refreshes what the state records, then plans one
change, the deployment updated in place to the old template; everything else
stays as it is. Rollback shows that plan and carries it out straight away,
without asking, as kubectl rollout undo does. To review it first, save it
with -out FILE (nothing is changed), look at it with "berth show FILE", and
carry it out with "berth apply FILE", which refuses it if the state or the
configuration changed since. -json prints the plan as plan -json does and
changes nothing.

The configuration stays the source of truth: it still holds the newer
template, so the next "berth plan" shows that template as a change again,
and "berth apply" would roll it out once more. Change the configuration to
keep the rollback.`,
		Example: `  berth rollback deployment.web
  berth rollback deployment.web --to-revision 3
  berth rollback deployment.web -out=rollback.plan && berth show rollback.plan
  berth apply rollback.plan
  berth rollback deployment.web -json | jq '.resource_changes[].action_reason'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runRollback(cmd, args[0], &f)
		},
	}
	f.lock.register(cmd)
	fs := cmd.Flags()
	fs.IntVar(&f.toRevision, "to-revision", 0, "the revision `N` whose template to roll back to (default: the previous one)")
	fs.StringVar(&f.out, "out", "", "save the rollback plan to `FILE` for berth apply FILE, changing nothing")
	fs.BoolVar(&f.jsonOut, "json", false, "print the rollback plan as JSON (schemas/plan.schema.json), changing nothing")
	_ = cmd.RegisterFlagCompletionFunc("to-revision", cobra.NoFileCompletions)
	return cmd
}

// runRollback plans the rollback, shows it, and saves it (-out), or
// prints it (-json), or carries it out.
func (a *app) runRollback(cmd *cobra.Command, arg string, rf *rollbackFlags) error {
	addr, err := addrs.ParseInstance(arg)
	if err != nil {
		return err
	}
	if addr.Type != schemas.TypeDeployment {
		return fmt.Errorf("%s is not a deployment: only deployments have revisions to roll back to", addr)
	}
	f := &planFlags{lock: rf.lock, refresh: true, parallelism: 10,
		rollback: &planner.Rollback{Addr: addr, Revision: rf.toRevision}}
	op, err := a.startOperation(cmd, f, "berth rollback")
	defer op.close()
	if err != nil {
		return err
	}
	p, err := op.plan(cmd.Context())
	if err != nil {
		return err
	}
	stdout := cmd.OutOrStdout()
	if rf.jsonOut {
		err = views.WritePlanJSON(stdout, p, version)
	} else {
		err = views.WritePlan(stdout, p, a.colors(stdout))
	}
	if err != nil {
		return err
	}
	if rf.out != "" {
		if err := writePlanFile(rf.out, p); err != nil {
			return err
		}
		if !rf.jsonOut {
			a.planFooter(cmd, rf.out)
		}
		return nil
	}
	if rf.jsonOut {
		return nil
	}
	return op.applyRollback(cmd, p)
}

// applyRollback carries out a rollback plan and says what now runs.
func (op *operation) applyRollback(cmd *cobra.Command, p *planner.Plan) error {
	st, err := op.applyPlan(cmd, p)
	if err != nil {
		return err
	}
	rb := p.Rollback
	writeRollbackComplete(cmd.OutOrStdout(), rb, revisionIn(st, rb.Addr, op.reg.Schema))
	return nil
}

// writeRollbackComplete reports a finished rollback to revision now.
func writeRollbackComplete(w io.Writer, rb *planner.Rollback, now int) {
	fmt.Fprintf(w, "\nRollback complete: %s runs revision %d (the template of revision %d).\n"+
		"The configuration still holds the newer template: berth plan shows it as a change again until you change the configuration.\n",
		rb.Addr, now, rb.Revision)
}

// revisionIn reads the revision attribute of addr's record in st, 0
// when there is none.
func revisionIn(st *state.State, addr addrs.Instance, schemaOf func(string) (*schemas.Resource, bool)) int {
	if st == nil {
		return 0
	}
	rec := st.Resource(addr)
	schema, ok := schemaOf(addr.Type)
	if rec == nil || !ok {
		return 0
	}
	v, err := rec.Value(schema.Block.ImpliedType())
	if err != nil {
		return 0
	}
	return intAttr(v, "revision")
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
