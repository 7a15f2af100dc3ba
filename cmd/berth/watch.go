package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

// defaultWatchInterval is apply -watch's default -interval.
const defaultWatchInterval = 10 * time.Second

// runWatch is apply -watch, the reconcile loop: apply as usual, then
// every interval plan again (refreshing everything) and apply whatever
// the plan finds to correct (a replica that died beyond its restart
// policy, a deleted one, any drift, an edited configuration), printing
// each correction, until SIGINT or SIGTERM; then exit 0. The state lock
// is taken for each round and released while waiting, so that other
// commands can run in between. Corrections are applied without asking.
// A round that fails is reported and the next round tries again.
func (a *app) runWatch(cmd *cobra.Command, f *planFlags, autoApprove bool, interval time.Duration) error {
	if f.destroy {
		return fmt.Errorf("-watch keeps converging to the configuration; it cannot be used with -destroy")
	}
	if interval <= 0 {
		return fmt.Errorf("-interval=%s: want a positive duration", interval)
	}
	sigCtx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := a.runApply(cmd, f, autoApprove); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "\nWatching: planning every %s and applying what drifted; SIGINT or SIGTERM stops.\n", interval)
	for {
		select {
		case <-sigCtx.Done():
			fmt.Fprintln(out, "Watch stopped.")
			return nil
		case <-time.After(interval):
		}
		if err := a.reconcile(sigCtx, cmd, f); err != nil && err != errReported {
			a.errorf("%v", err)
		}
	}
}

// reconcile is one round of the watch: plan under the state lock, and
// apply the corrections it finds unless a signal came meanwhile.
func (a *app) reconcile(sigCtx context.Context, cmd *cobra.Command, f *planFlags) error {
	op, err := a.startOperation(cmd, f, "berth apply -watch")
	defer op.close()
	if err != nil {
		return err
	}
	p, err := op.plan(cmd.Context())
	if err != nil || !p.HasChanges() || sigCtx.Err() != nil {
		return err
	}
	writeCorrections(cmd.OutOrStdout(), p, time.Now())
	return op.apply(cmd, p)
}

// writeCorrections prints one line per change the round makes, with a
// deployment's rollout summary when it has one.
func writeCorrections(w io.Writer, p *planner.Plan, now time.Time) {
	fmt.Fprintf(w, "\n[%s] correcting:\n", now.Format(time.TimeOnly))
	for _, c := range p.Changes {
		if c.Action == planner.NoOp || c.Action == planner.Read {
			continue
		}
		line := fmt.Sprintf("  %s %s", c.Action.Symbol(), c.Addr)
		if r := c.Reason.String(); r != "" {
			line += " (" + r + ")"
		}
		if note := rolloutOf(c.After); note != "" {
			line += ": " + note
		}
		fmt.Fprintln(w, line)
	}
}

// rolloutOf is a planned deployment's rollout summary, or "".
func rolloutOf(v cty.Value) string {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute("rollout") {
		return ""
	}
	r := v.GetAttr("rollout")
	if r.IsNull() || !r.IsKnown() || r.Type() != cty.String {
		return ""
	}
	return r.AsString()
}
