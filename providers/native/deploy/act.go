package deploy

import (
	"fmt"
	"slices"
)

// act starts the operations the rules allow now: removals first (they
// free names and room), then creations.
func (r *rollout) act() {
	r.removeSurplus()
	r.removeReplaced()
	r.removeWithinBudget()
	r.createMissing()
}

// idle reports whether m is free for a new operation.
func (m *member) idle() bool { return !m.busy && !m.removing }

// removeSurplus removes replicas beyond the desired count, old replicas
// that no longer run, duplicates of the target revision at one ordinal,
// and restores broken replicas of the target revision that the rollout
// found (not made): unhealthy ones are replaced, stopped ones started.
func (r *rollout) removeSurplus() {
	best := map[int]*member{}
	for _, m := range r.ms {
		if !m.idle() {
			continue
		}
		target := m.Revision == r.t.Revision
		switch {
		case m.Ordinal >= r.t.Replicas:
			r.remove(m, "scale down")
		case !target && !m.Up():
			r.remove(m, "not running")
		case target && !m.fresh && m.Health == HealthUnhealthy:
			r.remove(m, "unhealthy")
		case target && !m.fresh && !m.Up():
			r.start(m)
		case target:
			if b := best[m.Ordinal]; b == nil || better(m, b) {
				if b != nil {
					r.remove(b, "duplicate")
				}
				best[m.Ordinal] = m
			} else {
				r.remove(m, "duplicate")
			}
		}
	}
}

// better prefers an available replica, then a ready one, then the newer.
func better(a, b *member) bool {
	if a.counted != b.counted {
		return a.counted
	}
	if a.Ready() != b.Ready() {
		return a.Ready()
	}
	return a.ReadySince.Before(b.ReadySince)
}

// removeReplaced removes old replicas whose ordinal's new replica is
// available.
func (r *rollout) removeReplaced() {
	done := map[int]bool{}
	for _, m := range r.ms {
		if m.Revision == r.t.Revision && m.counted && !m.removing {
			done[m.Ordinal] = true
		}
	}
	for _, m := range r.ms {
		if m.idle() && m.Revision != r.t.Revision && done[m.Ordinal] {
			r.remove(m, "replaced")
		}
	}
}

// removeWithinBudget removes old replicas of ordinals that have no new
// replica yet: those not available at once, available ones while at
// least replicas - max_unavailable ordinals stay served.
func (r *rollout) removeWithinBudget() {
	hasNew := r.ordinalsWith(func(m *member) bool { return m.Revision == r.t.Revision })
	served := r.ordinalsWith(func(m *member) bool { return r.available(m) })
	allowed := len(served) - (r.t.Replicas - r.t.Budget.Unavailable)
	for _, m := range r.byOrdinal() {
		if !m.idle() || m.Revision == r.t.Revision || hasNew[m.Ordinal] {
			continue
		}
		switch {
		case !r.available(m):
			r.remove(m, "not ready")
		case allowed > 0:
			allowed--
			r.remove(m, "replaced")
		}
	}
}

// byOrdinal lists the members by ordinal.
func (r *rollout) byOrdinal() []*member {
	out := slices.Clone(r.ms)
	slices.SortStableFunc(out, func(a, b *member) int { return a.Ordinal - b.Ordinal })
	return out
}

// available reports whether m serves: a new replica once counted, an
// old one while ready.
func (r *rollout) available(m *member) bool {
	if m.removing {
		return false
	}
	if m.Revision == r.t.Revision {
		return m.counted
	}
	return m.Ready()
}

// ordinalsWith is the set of ordinals below the desired count with a
// replica (not being removed) that satisfies f.
func (r *rollout) ordinalsWith(f func(*member) bool) map[int]bool {
	out := map[int]bool{}
	for _, m := range r.ms {
		if !m.removing && m.Ordinal < r.t.Replicas && f(m) {
			out[m.Ordinal] = true
		}
	}
	return out
}

// createMissing creates a new replica for every ordinal without one,
// empty ordinals first, while at most replicas + max_surge run.
func (r *rollout) createMissing() {
	live := 0
	for _, m := range r.ms {
		if !m.removing {
			live++
		}
	}
	hasNew := r.ordinalsWith(func(m *member) bool { return m.Revision == r.t.Revision })
	occupied := r.ordinalsWith(func(*member) bool { return true })
	for _, wantEmpty := range []bool{true, false} {
		for k := 0; k < r.t.Replicas && live < r.t.Replicas+r.t.Budget.Surge; k++ {
			if hasNew[k] || occupied[k] == wantEmpty {
				continue
			}
			r.create(k)
			hasNew[k] = true
			live++
		}
	}
}

func (r *rollout) create(ordinal int) {
	m := &member{Replica: Replica{Ordinal: ordinal, Revision: r.t.Revision, State: StateCreated}, busy: true, fresh: true}
	r.ms = append(r.ms, m)
	r.run(m, "create", func() (Replica, error) { return r.e.Ops.Create(r.ctx, r.t.Revision, ordinal) })
}

func (r *rollout) start(m *member) {
	m.busy, m.fresh, m.counted = true, true, false
	rep := m.Replica
	r.run(m, "start", func() (Replica, error) { return r.e.Ops.Start(r.ctx, rep) })
}

// remove takes m out of the balancer first, if it took connections, and
// then, after the drain time, stops and removes it. When the balancer
// fails m stays as it is (the rollout fails).
func (r *rollout) remove(m *member, why string) {
	if r.failure != nil {
		return
	}
	took := r.serving[m.ID]
	m.busy, m.removing = true, true
	if !r.balance() {
		m.busy, m.removing = false, false
		return
	}
	rep := m.Replica
	r.e.Progress(fmt.Sprintf("%s: stopping revision %d (%s; %s)", r.e.Label(m.Ordinal), m.Revision, m.Name, why))
	r.run(m, "remove:"+why, func() (Replica, error) {
		if took && r.e.Drain > 0 {
			select {
			case <-r.e.Clock.After(r.e.Drain):
			case <-r.ctx.Done():
			}
		}
		return rep, r.e.Ops.Remove(r.ctx, rep)
	})
}

// run dispatches one operation; its result arrives through the queue.
func (r *rollout) run(m *member, op string, f func() (Replica, error)) {
	r.inflight++
	r.e.Dispatch(func() {
		rep, err := f()
		r.q.push(result{m: m, op: op, rep: rep, err: err})
	})
}

// drain applies the results of finished operations.
func (r *rollout) drain() {
	for _, res := range r.q.take() {
		r.inflight--
		r.finish(res)
	}
}

func (r *rollout) finish(res result) {
	m := res.m
	m.busy = false
	label := r.e.Label(m.Ordinal)
	switch {
	case res.op == "create" && res.err != nil:
		r.drop(m)
		r.setFailure(&Failure{Revision: m.Revision, Ordinal: m.Ordinal, Check: CheckCreate, Reason: res.err.Error()})
	case res.op == "create" || res.op == "start":
		if res.err != nil {
			r.setFailure(&Failure{Revision: m.Revision, Ordinal: m.Ordinal, Check: CheckStart, Reason: res.err.Error()})
		}
		if res.rep.ID != "" {
			res.rep.Ordinal, res.rep.Revision = m.Ordinal, m.Revision
			m.Replica = res.rep
		}
		switch {
		case res.err != nil:
		case res.op == "start":
			r.e.Progress(fmt.Sprintf("%s: started %s again (revision %d)", label, m.Name, m.Revision))
		default:
			r.e.Progress(fmt.Sprintf("%s: started revision %d as %s", label, m.Revision, m.Name))
		}
	case res.err != nil:
		m.removing = false
		r.setFailure(&Failure{Revision: m.Revision, Ordinal: m.Ordinal, Check: CheckRemove, Reason: res.err.Error()})
	default:
		r.drop(m)
		r.e.Progress(fmt.Sprintf("%s: removed revision %d (%s)", label, m.Revision, m.Name))
	}
}

func (r *rollout) setFailure(f *Failure) {
	if f.Ordinal >= 0 && f.Label == "" {
		f.Label = r.e.Label(f.Ordinal)
	}
	if r.failure == nil {
		r.failure = f
	}
}

func (r *rollout) drop(m *member) {
	for i, x := range r.ms {
		if x == m {
			r.ms = append(r.ms[:i], r.ms[i+1:]...)
			return
		}
	}
}
