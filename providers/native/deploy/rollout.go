package deploy

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"
)

// member is one replica as one rollout tracks it.
type member struct {
	Replica
	busy     bool // an operation on it is in flight
	removing bool // its removal has started: it counts for nothing
	// fresh replicas were created or started by this rollout and have
	// not been available yet: they must pass min_ready, and failing
	// before that fails the rollout.
	fresh   bool
	counted bool // available and announced as such
}

// rollout is the working memory of one converge call.
type rollout struct {
	e            *Engine
	t            Target
	ctx          context.Context
	ms           []*member
	q            *queue
	inflight     int
	lastProgress time.Time // when best last grew
	best         int       // the most ordinals served so far
	failure      *Failure
	// serving is the set of replica IDs the balancer last took; nil
	// until the first call.
	serving map[string]bool
}

// observe refreshes every idle replica; a missing one is dropped (its
// ordinal is then empty and gets a new replica).
func (r *rollout) observe() {
	now := r.e.Clock.Now()
	kept := r.ms[:0]
	for _, m := range r.ms {
		if !m.busy && !m.removing {
			wasReady, since := m.Ready(), m.ReadySince
			o := r.e.Ops.Observe(m.Replica)
			o.Ordinal, o.Revision = m.Ordinal, m.Revision
			m.Replica = o
			m.ReadySince = readySince(m.Replica, wasReady, since, now)
			if m.State == StateMissing {
				continue
			}
		}
		kept = append(kept, m)
	}
	r.ms = kept
}

// readySince keeps the earliest moment a replica that stayed ready was
// seen ready: the runtime may only remember its recent health checks.
func readySince(r Replica, wasReady bool, since, now time.Time) time.Time {
	switch {
	case !r.Ready():
		return time.Time{}
	case wasReady && !since.IsZero() && (r.ReadySince.IsZero() || since.Before(r.ReadySince)):
		return since
	case r.ReadySince.IsZero():
		return now
	}
	return r.ReadySince
}

// check fails the rollout on a broken new replica or a passed deadline,
// and announces replicas that became available.
func (r *rollout) check() {
	now := r.e.Clock.Now()
	for _, m := range r.ms {
		if m.busy || m.removing || m.Ordinal >= r.t.Replicas || m.Revision != r.t.Revision {
			continue
		}
		if m.fresh {
			if f := r.brokenNew(m); f != nil {
				r.fail(m, f)
				return
			}
		}
		switch {
		case m.counted && !m.Ready():
			m.counted = false
		case !m.counted && m.Ready() && (!m.fresh || now.Sub(m.ReadySince) >= r.t.MinReady):
			// Proven: should it die later, it is restored, not failed.
			m.counted, m.fresh = true, false
			if served := r.served(); served > r.best {
				r.best, r.lastProgress = served, now
			}
			what := "running"
			if m.Health == HealthHealthy {
				what = "healthy"
			}
			r.e.Progress(fmt.Sprintf("%s: revision %d %s (%d/%d)", r.e.Label(m.Ordinal), m.Revision, what, r.served(), r.t.Replicas))
		}
	}
	if r.t.Deadline > 0 && now.Sub(r.lastProgress) > r.t.Deadline {
		r.deadlinePassed()
	}
}

// brokenNew says how a replica this rollout made has failed, or nil.
func (r *rollout) brokenNew(m *member) *Failure {
	f := &Failure{Revision: m.Revision, Ordinal: m.Ordinal}
	switch {
	case m.Health == HealthUnhealthy:
		f.Check, f.Reason = CheckHealth, "unhealthy"
		if m.Check != "" {
			f.Reason += "; last check: " + m.Check
		}
	case m.State == StateExited || m.State == StateDead:
		f.Check, f.Reason = CheckStart, fmt.Sprintf("%s with code %d", m.State, m.ExitCode)
	case m.Restarts >= 3:
		f.Check, f.Reason = CheckStart, fmt.Sprintf("restarted %d times (last exit code %d)", m.Restarts, m.ExitCode)
	default:
		return nil
	}
	return f
}

// deadlinePassed fails the rollout on the first replica of the target
// revision that is not available.
func (r *rollout) deadlinePassed() {
	f := &Failure{Revision: r.t.Revision, Ordinal: -1, Check: CheckDeadline,
		Reason: fmt.Sprintf("only %d of %d replicas available after %s", r.served(), r.t.Replicas, r.t.Deadline)}
	for _, m := range r.ms {
		if m.Revision == r.t.Revision && m.Ordinal < r.t.Replicas && !m.counted && !m.removing {
			f.Ordinal = m.Ordinal
			f.Reason = fmt.Sprintf("not available after %s; it is %s", r.t.Deadline, describe(m.Replica))
			r.fail(m, f)
			return
		}
	}
	r.failure = f
}

// describe says what state a replica is in, for failure reports.
func describe(rep Replica) string {
	s := rep.State
	if rep.Health != HealthNone {
		s += ", health " + rep.Health
	}
	if rep.Check != "" {
		s += "; last check: " + rep.Check
	}
	return s
}

// fail records f about m, with m's log tail.
func (r *rollout) fail(m *member, f *Failure) {
	rep := m.Replica
	f.Replica, f.Label = &rep, r.e.Label(m.Ordinal)
	if rep.ID != "" {
		f.Logs = r.e.Ops.LogTail(rep, r.e.LogLines)
	}
	r.failure = f
}

// served counts the ordinals below the desired count that have an
// available replica of the target revision.
func (r *rollout) served() int {
	seen := map[int]bool{}
	for _, m := range r.ms {
		if m.counted && !m.removing && m.Ordinal < r.t.Replicas && m.Revision == r.t.Revision {
			seen[m.Ordinal] = true
		}
	}
	return len(seen)
}

// result is a finished operation.
type result struct {
	m   *member
	op  string
	rep Replica
	err error
}

// queue collects finished operations.
type queue struct {
	mu     sync.Mutex
	items  []result
	notify chan struct{}
}

func newQueue() *queue { return &queue{notify: make(chan struct{}, 1)} }

func (q *queue) push(res result) {
	q.mu.Lock()
	q.items = append(q.items, res)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *queue) take() []result {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}

func (q *queue) pending() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) > 0
}

// settle waits for every operation in flight to finish.
func (r *rollout) settle() {
	for r.inflight > 0 {
		if !r.q.pending() {
			<-r.q.notify
		}
		r.drain()
	}
}

// serves reports whether m should take new connections: it is ready,
// and no operation (above all no removal) is under way on it.
func (m *member) serves() bool { return m.idle() && m.ID != "" && m.Ready() }

// balance tells the balancer which replicas serve, when that changed
// since it last did. It reports false (and fails the rollout) when the
// balancer could not take the change.
func (r *rollout) balance() bool {
	if r.e.Balancer == nil {
		return true
	}
	var reps []Replica
	ids := map[string]bool{}
	for _, m := range r.ms {
		if m.serves() {
			reps = append(reps, m.Replica)
			ids[m.ID] = true
		}
	}
	if r.serving != nil && maps.Equal(ids, r.serving) {
		return true
	}
	if err := r.e.Balancer.Serve(r.ctx, reps); err != nil {
		r.setFailure(&Failure{Revision: r.t.Revision, Ordinal: -1, Check: CheckBalance, Reason: err.Error()})
		return false
	}
	r.serving = ids
	return true
}
