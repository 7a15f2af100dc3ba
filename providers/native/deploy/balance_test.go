package deploy

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// fakeBalancer records what the engine tells it and checks, on every
// call, that it only ever sends connections to ready replicas, and on
// every removal that the replica was taken out (Drain earlier).
type fakeBalancer struct {
	f       *fakeOps
	drain   time.Duration
	err     error
	calls   int
	current map[string]bool
	everIn  map[string]bool
	leftAt  map[string]time.Time // when a replica last left the set
	drained map[string]bool      // it left while still ready: to be drained
	reps    map[string]Replica
	sets    [][]string // every set, as sorted names
}

func newFakeBalancer(f *fakeOps, drain time.Duration) *fakeBalancer {
	lb := &fakeBalancer{f: f, drain: drain, current: map[string]bool{}, everIn: map[string]bool{}, leftAt: map[string]time.Time{},
		drained: map[string]bool{}, reps: map[string]Replica{}}
	f.lb = lb
	return lb
}

func (lb *fakeBalancer) Serve(ctx context.Context, reps []Replica) error {
	lb.calls++
	if lb.err != nil {
		return lb.err
	}
	f := lb.f
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	next := map[string]bool{}
	var names []string
	for _, r := range reps {
		if o := f.observe(r); !o.Ready() {
			f.t.Errorf("balancer sent connections to %s (revision %d), which is %s", r.Name, r.Revision, describe(o))
		}
		next[r.ID] = true
		lb.everIn[r.ID], lb.reps[r.ID] = true, r
		names = append(names, r.Name)
	}
	for id := range lb.current {
		if !next[id] {
			lb.leftAt[id], lb.drained[id] = now, f.observe(lb.reps[id]).Ready()
		}
	}
	sort.Strings(names)
	lb.current, lb.sets = next, append(lb.sets, names)
	return nil
}

// removed checks a removal: the replica no longer takes connections,
// and left the balancer at least Drain ago if it left while still ready
// (taking connections until then).
func (lb *fakeBalancer) removed(r Replica, now time.Time) {
	if lb.current[r.ID] {
		lb.f.t.Errorf("%s removed while the balancer still sent it connections", r.Name)
	}
	if lb.drained[r.ID] && now.Sub(lb.leftAt[r.ID]) < lb.drain {
		lb.f.t.Errorf("%s removed %s after it left the balancer, want at least the drain time %s", r.Name, now.Sub(lb.leftAt[r.ID]), lb.drain)
	}
}

// TestBalancerRollingUpdate: during a rolling update with max_unavailable
// 0, connections only ever go to ready replicas, never none, new
// replicas join once healthy, old ones leave before they are stopped,
// and at the end exactly the new replicas take connections.
func TestBalancerRollingUpdate(t *testing.T) {
	target := Target{Replicas: 4, Revision: 2, Budget: Budget{1, 0}, MinReady: time.Second, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {health: true}, 2: {health: true, readyAt: 300 * time.Millisecond}})
	lb := newFakeBalancer(f, 2*time.Second)
	e := f.engine(nil)
	e.Balancer, e.Drain = lb, lb.drain
	out := e.Run(context.Background(), Plan{Target: target, Previous: 1}, f.existing(4, 1))
	if out.Failure != nil {
		t.Fatal(out.Failure)
	}
	wantAll(t, out.Replicas, 4, 2)
	for i, set := range lb.sets {
		if len(set) < 4 {
			t.Errorf("set %d took %d replicas (%v), want at least 4 with max_unavailable 0", i, len(set), set)
		}
	}
	var want []string
	for _, r := range out.Replicas {
		want = append(want, r.Name)
		if !lb.current[r.ID] {
			t.Errorf("%s does not take connections after the rollout", r.Name)
		}
	}
	sort.Strings(want)
	if last := lb.sets[len(lb.sets)-1]; !slices.Equal(last, want) {
		t.Errorf("last set %v, want %v", last, want)
	}
	if len(f.events) != 8 {
		t.Errorf("events %q", f.events)
	}
}

// TestBalancerUnhealthy: a replica that turns unhealthy leaves the set
// at the next observation, and is replaced.
func TestBalancerUnhealthy(t *testing.T) {
	target := Target{Replicas: 3, Revision: 1, Budget: Budget{1, 0}, MinReady: time.Second, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {health: true, readyAt: 2 * time.Second}})
	reps := f.existing(2, 1) // scale 2 -> 3: the rollout waits for #2
	sick := f.reps[reps[1].ID]
	sick.sickAt = f.clock.now.Add(500 * time.Millisecond)
	lb := newFakeBalancer(f, time.Second)
	e := f.engine(nil)
	e.Balancer, e.Drain = lb, lb.drain
	out := e.Run(context.Background(), Plan{Target: target}, reps)
	if out.Failure != nil {
		t.Fatal(out.Failure)
	}
	wantAll(t, out.Replicas, 3, 1)
	if lb.current[sick.ID] || !lb.everIn[sick.ID] {
		t.Errorf("the sick replica: in the set at the end %v, ever %v", lb.current[sick.ID], lb.everIn[sick.ID])
	}
	if !slices.Contains(f.events, "remove 1 r1") {
		t.Errorf("the sick replica was not replaced: %q", f.events)
	}
	// It left without a drain wait for connections it no longer took:
	// well before the replacement was ready.
	if left := lb.leftAt[sick.ID].Sub(sick.sickAt); left < 0 || left > 100*time.Millisecond {
		t.Errorf("left the balancer %s after turning unhealthy, want within one poll", left)
	}
}

// TestBalancerFails: when the balancer cannot take a change the rollout
// fails and nothing is removed.
func TestBalancerFails(t *testing.T) {
	target := Target{Replicas: 2, Revision: 2, Budget: Budget{1, 0}, MinReady: time.Second, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {health: true}, 2: {health: true}})
	lb := newFakeBalancer(f, 0)
	lb.err = errBoom
	e := f.engine(nil)
	e.Balancer = lb
	out := e.Run(context.Background(), Plan{Target: target, Previous: 1}, f.existing(2, 1))
	if out.Failure == nil || out.Failure.Check != CheckBalance || !strings.Contains(out.Failure.Error(), "could not publish its port: boom") {
		t.Fatalf("failure %v, want the balancer's", out.Failure)
	}
	for _, ev := range f.events {
		if strings.HasPrefix(ev, "remove") {
			t.Errorf("removed a replica although the balancer failed: %q", f.events)
		}
	}
}
