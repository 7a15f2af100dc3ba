package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/executor"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// apply carries out p, showing progress, and reports the outcome.
func (op *operation) apply(cmd *cobra.Command, p *planner.Plan) error {
	_, err := op.applyPlan(cmd, p)
	return err
}

// applyPlan is apply, returning the new state when every change
// succeeded.
func (op *operation) applyPlan(cmd *cobra.Command, p *planner.Plan) (*state.State, error) {
	a := op.app
	stdout := cmd.OutOrStdout()
	colors := a.colors(stdout)
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	stop, stopped, release := a.interrupts(cancel)
	defer release()

	progress := views.NewProgress(stdout, colors)
	opts, err := op.options()
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(stdout)
	newState, results, err := executor.Apply(ctx, executor.Options{
		Plan:        p,
		Providers:   op.reg,
		Finalizer:   planner.NewEvaluator(opts, p),
		Persist:     op.store.Write,
		Parallelism: op.flags.parallelism,
		Hooks:       progress,
		Stop:        stop,
	})
	progress.Stop()
	if failed := a.reportFailures(results, err); failed {
		return nil, errReported
	}
	if skipped := countSkipped(results); stopped() && skipped > 0 {
		a.errorf("apply stopped by an interrupt: %d change(s) were not started; run berth apply again to finish", skipped)
		return nil, errReported
	}
	views.WriteApplyComplete(stdout, results, p.Mode == planner.DestroyMode, colors)
	if p.Mode != planner.DestroyMode && newState != nil && len(newState.Outputs) > 0 {
		fmt.Fprintf(stdout, "\n%s\n\n", colors.Bold(colors.Green("Outputs:")))
		return newState, views.WriteOutputs(stdout, newState.Outputs)
	}
	return newState, nil
}

// reportFailures prints every failed change with its error, and err when
// no change accounts for it; it reports whether anything failed.
func (a *app) reportFailures(results []executor.Result, err error) bool {
	failed := false
	for _, r := range results {
		if r.Err != nil {
			failed = true
			if msg := r.Err.Error(); strings.Contains(msg, r.Addr.String()) {
				a.errorf("%s", msg)
			} else {
				a.errorf("%s: %s", r.Addr, msg)
			}
		}
	}
	if err != nil && !failed {
		a.errorf("%v", err)
		failed = true
	}
	if failed {
		if n := countSkipped(results); n > 0 {
			fmt.Fprintf(a.stderr, "%d change(s) were not started because of the errors above.\n", n)
		}
	}
	return failed
}

func countSkipped(results []executor.Result) int {
	n := 0
	for _, r := range results {
		if r.Skipped {
			n++
		}
	}
	return n
}

// interruptWindow is how long after an interrupt a further one is taken
// as the same: GNU timeout and some process managers signal the process
// and then its whole process group, so one request arrives twice. A
// person pressing Ctrl-C a second time to abandon takes longer.
var interruptWindow = 500 * time.Millisecond

// interrupts turns the first SIGINT or SIGTERM into closing stop (finish
// what runs, start nothing new) and a second, separate one into cancel
// (abandon it); signals within interruptWindow of the first count as
// the first. stopped reports whether stop was closed; release ends the
// handling.
func (a *app) interrupts(cancel context.CancelFunc) (stop <-chan struct{}, stopped func() bool, release func()) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	stopCh, done := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	was := false
	go func() {
		select {
		case <-sigs:
			mu.Lock()
			was = true
			mu.Unlock()
			fmt.Fprintln(a.stderr, "\nInterrupt received. Finishing changes in flight; press Ctrl-C again to abandon them.")
			close(stopCh)
		case <-done:
			return
		}
		first := time.Now()
		for {
			select {
			case <-sigs:
				if time.Since(first) < interruptWindow {
					continue // the same interrupt, delivered twice
				}
				fmt.Fprintln(a.stderr, "\nTwo interrupts received. Abandoning changes in flight; state records what finished.")
				cancel()
				return
			case <-done:
				return
			}
		}
	}()
	stopped = func() bool { mu.Lock(); defer mu.Unlock(); return was }
	release = func() { once.Do(func() { signal.Stop(sigs); close(done) }) }
	return stopCh, stopped, release
}
