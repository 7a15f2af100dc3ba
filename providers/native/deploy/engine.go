package deploy

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Target is the state one rollout converges to.
type Target struct {
	Replicas int
	Revision int
	Budget   Budget
	MinReady time.Duration
	Deadline time.Duration // progress deadline; 0 means none
}

// Plan is a rollout and what to do when it fails.
type Plan struct {
	Target
	// Previous is the revision the replicas ran before; with
	// AutoRollback a failed rollout converges back to it. 0: none.
	Previous     int
	AutoRollback bool
}

// Engine runs rollouts. The zero value needs Ops; everything else has a
// default.
type Engine struct {
	Ops   Ops
	Clock Clock // default RealClock
	// Poll is how often replicas are observed while waiting; default 25ms.
	Poll time.Duration
	// Progress receives one line per event ("web#2: revision 5 healthy (3/4)").
	Progress func(string)
	// Label names a replica in progress lines; default "#N".
	Label func(ordinal int) string
	// Dispatch runs an operation; default: in its own goroutine. Tests
	// run them inline to be deterministic.
	Dispatch func(func())
	// LogLines is how many log lines a failure carries; default 10.
	LogLines int
	// Balancer, when set, is kept told which replicas take new
	// connections (see Balancer).
	Balancer Balancer
	// Drain is how long a replica that took connections keeps running
	// once the balancer no longer sends it any, before it is stopped:
	// time for the requests in flight to finish.
	Drain time.Duration
}

// Outcome is what a rollout left.
type Outcome struct {
	// Replicas is every replica that exists now, by ordinal and revision.
	Replicas []Replica
	// Revision is the revision the deployment runs now: the target, or
	// the previous one once a rollback was attempted.
	Revision int
	// Failure says why the rollout to the target failed; nil on success.
	Failure *Failure
	// RolledBack is set when the rollback after a failure succeeded;
	// RollbackFailure says why it failed otherwise.
	RolledBack      bool
	RollbackFailure *Failure
}

// Run converges the replicas to p's target, and on failure with
// AutoRollback back to p.Previous.
func (e *Engine) Run(ctx context.Context, p Plan, current []Replica) Outcome {
	e.setDefaults()
	reps, f := e.converge(ctx, p.Target, current)
	out := Outcome{Replicas: reps, Revision: p.Revision, Failure: f}
	if f == nil || !p.AutoRollback || p.Previous == 0 || p.Previous == p.Revision || f.Check == CheckInterrupted {
		return out
	}
	e.Progress(fmt.Sprintf("rollout of revision %d failed; rolling back to revision %d", p.Revision, p.Previous))
	back := p.Target
	back.Revision = p.Previous
	out.Replicas, out.RollbackFailure = e.converge(ctx, back, reps)
	out.Revision, out.RolledBack = p.Previous, out.RollbackFailure == nil
	return out
}

func (e *Engine) setDefaults() {
	if e.Clock == nil {
		e.Clock = RealClock{}
	}
	if e.Poll <= 0 {
		e.Poll = 25 * time.Millisecond
	}
	if e.Progress == nil {
		e.Progress = func(string) {}
	}
	if e.Label == nil {
		e.Label = func(n int) string { return fmt.Sprintf("#%d", n) }
	}
	if e.Dispatch == nil {
		e.Dispatch = func(f func()) { go f() }
	}
	if e.LogLines <= 0 {
		e.LogLines = 10
	}
}

// converge runs one rollout to t and returns the replicas it left.
func (e *Engine) converge(ctx context.Context, t Target, current []Replica) ([]Replica, *Failure) {
	r := &rollout{e: e, t: t, ctx: ctx, q: newQueue()}
	for _, c := range current {
		if c.State != StateMissing {
			r.ms = append(r.ms, &member{Replica: c})
		}
	}
	r.observe()
	for _, m := range r.ms {
		m.counted = m.Revision == t.Revision && m.Ordinal < t.Replicas && m.Ready()
	}
	r.lastProgress, r.best = e.Clock.Now(), r.served()
	for {
		r.drain()
		if r.failure == nil && ctx.Err() != nil {
			r.failure = &Failure{Revision: t.Revision, Ordinal: -1, Check: CheckInterrupted, Reason: ctx.Err().Error()}
		}
		if r.failure != nil {
			r.settle()
			r.observe()
			r.balance() // what the operations in flight left
			return r.replicas(), r.failure
		}
		r.observe()
		if r.check(); r.failure != nil {
			continue
		}
		if !r.balance() {
			continue
		}
		if r.complete() {
			return r.replicas(), nil
		}
		r.act()
		r.wait()
	}
}

// replicas lists what exists, sorted by ordinal then revision.
func (r *rollout) replicas() []Replica {
	out := make([]Replica, 0, len(r.ms))
	for _, m := range r.ms {
		out = append(out, m.Replica)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Ordinal != out[j].Ordinal {
			return out[i].Ordinal < out[j].Ordinal
		}
		return out[i].Revision < out[j].Revision
	})
	return out
}

// complete reports whether every ordinal runs exactly one available
// replica of the target revision and nothing else runs.
func (r *rollout) complete() bool {
	if r.inflight > 0 || len(r.ms) != r.t.Replicas {
		return false
	}
	seen := make([]bool, r.t.Replicas)
	for _, m := range r.ms {
		if m.Ordinal >= r.t.Replicas || m.Revision != r.t.Revision || !m.counted || seen[m.Ordinal] {
			return false
		}
		seen[m.Ordinal] = true
	}
	return true
}

// wait sleeps until an operation finishes, the next poll, or the moment
// a ready replica passes min_ready, whichever comes first.
func (r *rollout) wait() {
	if r.q.pending() {
		return
	}
	d := r.e.Poll
	now := r.e.Clock.Now()
	for _, m := range r.ms {
		if m.fresh && !m.counted && m.Ready() && !m.ReadySince.IsZero() {
			if left := m.ReadySince.Add(r.t.MinReady).Sub(now); left > 0 && left < d {
				d = left
			}
		}
	}
	select {
	case <-r.q.notify:
	case <-r.e.Clock.After(d):
	case <-r.ctx.Done():
	}
}
