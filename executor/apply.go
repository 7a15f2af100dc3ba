package executor

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

// ErrStopped is the error of changes never started because Apply was
// asked to stop.
var ErrStopped = errors.New("not started: apply was interrupted")

// errDependency is the error of changes skipped because a change they
// depend on failed.
var errDependency = errors.New("not started: a change it depends on failed")

// runner is the working memory of one Apply call.
type runner struct {
	opts  Options
	ctx   context.Context
	st    *state.State
	stMu  sync.Mutex // guards st
	saver *saver

	mu      sync.Mutex
	results map[string]*Result
	failed  map[*op]bool
	wg      sync.WaitGroup
	sem     chan struct{}
}

// Apply carries out opts.Plan and returns the new state (already
// persisted) and one result per change that was not a no-op, in address
// order. Cancelling ctx abandons changes in flight (the second Ctrl-C);
// state then still records every change that finished. The error is
// non-nil when any change failed or state could not be written.
func Apply(ctx context.Context, opts Options) (*state.State, []Result, error) {
	p := opts.Plan
	if p.Errored {
		return nil, nil, errors.New("the plan has errors and cannot be applied")
	}
	if opts.Parallelism <= 0 {
		opts.Parallelism = 10
	}
	st := p.PriorState.DeepCopy()
	r := &runner{
		opts: opts, ctx: ctx, st: st, results: map[string]*Result{}, failed: map[*op]bool{},
		sem: make(chan struct{}, opts.Parallelism),
	}
	r.saver = newSaver(opts.Persist, st, &r.stMu)
	ops := buildOps(p.Changes)
	if stuck := stuckOps(ops); len(stuck) > 0 {
		return nil, nil, cycleError(stuck)
	}
	// Pick the ops ready at the start before starting any: once one
	// runs, its end may make another ready (and start it), and reading
	// waiting here then would start that one twice.
	var ready []*op
	for _, o := range ops {
		if o.waiting == 0 {
			ready = append(ready, o)
		}
	}
	for _, o := range ready {
		r.start(o)
	}
	r.wg.Wait()
	r.finishOutputs()
	persistErr := r.saver.close()
	results := r.sortedResults()
	var errs []error
	for _, res := range results {
		if res.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", res.Addr, res.Err))
		}
	}
	if persistErr != nil {
		errs = append(errs, fmt.Errorf("write state: %w", persistErr))
	}
	return st, results, errors.Join(errs...)
}

// CheckOrder reports whether Apply could carry out every change of p:
// an error when some wait on each other in a circle (a change taking a
// host port that a change depending on it gives up). Apply checks it
// too, before it changes anything; plan calls it to refuse such a plan.
func CheckOrder(p *planner.Plan) error {
	if stuck := stuckOps(buildOps(p.Changes)); len(stuck) > 0 {
		return cycleError(stuck)
	}
	return nil
}

// cycleError says which changes wait on each other, so that none of
// them could start.
func cycleError(stuck []*op) error {
	seen := map[string]bool{}
	var names []string
	for _, o := range stuck {
		if a := o.addr().String(); !seen[a] {
			seen[a] = true
			names = append(names, a)
		}
	}
	sort.Strings(names)
	return fmt.Errorf("the plan's changes of %s wait on each other in a circle, so none can start; nothing was changed: change the configuration so that they do not (for example, move a host port in a plan of its own)", strings.Join(names, ", "))
}

// start runs o in its own goroutine once a slot is free.
func (r *runner) start(o *op) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := r.blocked(o); err != nil {
			r.skip(o, err)
			r.done(o, false)
			return
		}
		r.sem <- struct{}{}
		if err := r.blocked(o); err != nil { // stop may have come while waiting
			<-r.sem
			r.skip(o, err)
			r.done(o, false)
			return
		}
		ok := r.run(o)
		<-r.sem
		r.done(o, ok)
	}()
}

// blocked says why o must not start, or nil.
func (r *runner) blocked(o *op) error {
	r.mu.Lock()
	bad := r.failed[o]
	r.mu.Unlock()
	if bad {
		return errDependency
	}
	if r.ctx.Err() != nil {
		return ErrStopped
	}
	select {
	case <-r.opts.Stop:
		return ErrStopped
	default:
	}
	return nil
}

// done releases o's dependents; when o failed they will be skipped.
func (r *runner) done(o *op, ok bool) {
	var ready []*op
	r.mu.Lock()
	for _, d := range o.dependents {
		if !ok {
			r.failed[d] = true
		}
		d.waiting--
		if d.waiting == 0 {
			ready = append(ready, d)
		}
	}
	r.mu.Unlock()
	for _, d := range ready {
		r.start(d)
	}
}

func (r *runner) skip(o *op, why error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := o.addr().String()
	if res, ok := r.results[key]; ok && res.Err != nil {
		return
	}
	r.results[key] = &Result{Addr: o.addr(), Action: o.change.Action, Err: why, Skipped: true}
}

// record merges the outcome of one op into its change's result.
func (r *runner) record(o *op, elapsed time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := o.addr().String()
	res, ok := r.results[key]
	if !ok {
		res = &Result{Addr: o.addr(), Action: o.change.Action}
		r.results[key] = res
	}
	res.Elapsed += elapsed
	if err != nil && res.Err == nil {
		res.Err = err
	}
}

func (r *runner) sortedResults() []Result {
	out := make([]Result, 0, len(r.results))
	for _, res := range r.results {
		out = append(out, *res)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr.Less(out[j].Addr) })
	return out
}

// finishOutputs records the root outputs once every change has run.
func (r *runner) finishOutputs() {
	r.stMu.Lock()
	defer r.stMu.Unlock()
	if r.opts.Plan.Mode == planner.DestroyMode {
		r.st.Outputs = map[string]*state.Output{}
	} else if r.opts.Finalizer != nil {
		outs, _ := r.opts.Finalizer.Outputs(r.st)
		if outs != nil {
			r.st.Outputs = outs
		}
	}
	r.saver.dirty()
}

// hookPre and hookPost call the hooks when there are any.
func (r *runner) hookPre(a addrs.Instance, act planner.Action) {
	if r.opts.Hooks != nil {
		r.opts.Hooks.PreApply(a, act)
	}
}

func (r *runner) hookPost(a addrs.Instance, act planner.Action, d time.Duration, nv cty.Value, err error) {
	if r.opts.Hooks != nil {
		r.opts.Hooks.PostApply(a, act, d, nv, err)
	}
}
