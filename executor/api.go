package executor

import (
	"context"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Hooks receive progress; views implement them. Calls may come from
// several goroutines at once.
type Hooks interface {
	PreApply(addr addrs.Instance, action planner.Action)
	Progress(addr addrs.Instance, msg string)
	// PostApply reports the end of a change; newValue is the object as it
	// now exists (null after a delete or a failed create).
	PostApply(addr addrs.Instance, action planner.Action, elapsed time.Duration, newValue cty.Value, err error)
}

// Finalizer resolves a change's unknowns at apply time (planner.Evaluator).
type Finalizer interface {
	Finalize(ctx context.Context, change *planner.ResourceChange, st *state.State) (*planner.ResourceChange, hcl.Diagnostics)
	Outputs(st *state.State) (map[string]*state.Output, hcl.Diagnostics)
}

// Options is everything Apply needs.
type Options struct {
	Plan      *planner.Plan
	Providers *providers.Registry
	Finalizer Finalizer
	// Persist writes a state snapshot durably (state.Store.Write). It is
	// called after changes finish, never concurrently, and once more at
	// the end.
	Persist     func(*state.State) error
	Parallelism int // 0 means 10
	Hooks       Hooks
	// Stop, when closed, stops starting new changes; changes in flight
	// finish and are recorded (the first Ctrl-C).
	Stop <-chan struct{}
}

// Result is the outcome of one change.
type Result struct {
	Addr    addrs.Instance
	Action  planner.Action
	Elapsed time.Duration
	Err     error
	Skipped bool // not started: a dependency failed or Stop was closed
}
