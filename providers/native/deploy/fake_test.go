package deploy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock advances only when the engine waits.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After moves fake time on at once, but first lets real time pass
// briefly, so that operations running in other goroutines finish before
// fake deadlines run out (they would in real time too).
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	time.Sleep(time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// behaviour is how the replicas of one revision behave, measured from
// their creation.
type behaviour struct {
	health    bool          // the revision has a health check
	readyAt   time.Duration // ready this long after creation; < 0: never
	unhealthy time.Duration // > 0: unhealthy from then on
	exitAt    time.Duration // > 0: the process exits then
	// window > 0: the runtime only remembers checks this recent, so
	// ReadySince slides (as with the supervisor's last 5 results).
	window    time.Duration
	flap      bool // exitAt applies again after each start
	createErr error
}

type fakeRep struct {
	Replica
	created time.Time
	forced  string    // a state set by the test (killed, stopped)
	started bool      // started again by the engine: exitAt no longer applies
	sickAt  time.Time // when set by the test: unhealthy from then on
}

// fakeOps simulates replicas and checks the rollout invariants on every
// operation: at most replicas+surge live, at least replicas-unavailable
// ordinals served (when they were before).
type fakeOps struct {
	mu       sync.Mutex // for engines that run operations concurrently
	t        *testing.T
	clock    *fakeClock
	behave   map[int]behaviour
	reps     map[string]*fakeRep
	seq      int
	events   []string
	target   Target
	maxLive  int
	minServe int
	tempName int // creations whose ordinal still had a live replica
	lb       *fakeBalancer
}

func newFake(t *testing.T, target Target, behave map[int]behaviour) *fakeOps {
	return &fakeOps{t: t, clock: &fakeClock{now: time.Unix(1_000_000, 0)}, behave: behave,
		reps: map[string]*fakeRep{}, target: target, minServe: 1 << 30}
}

// existing makes n ready replicas of revision rev, made an hour ago.
func (f *fakeOps) existing(n, rev int) []Replica {
	var out []Replica
	for k := 0; k < n; k++ {
		out = append(out, f.add(k, rev, f.clock.now.Add(-time.Hour)))
	}
	return out
}

func (f *fakeOps) add(ordinal, rev int, at time.Time) Replica {
	f.seq++
	r := &fakeRep{Replica: Replica{Ordinal: ordinal, Revision: rev, ID: "id" + strconv.Itoa(f.seq),
		Name: fmt.Sprintf("web-%d", ordinal)}, created: at}
	for _, o := range f.reps {
		if o.Ordinal == ordinal && o.Name == r.Name {
			r.Name += "-r" + strconv.Itoa(rev)
			f.tempName++
		}
	}
	f.reps[r.ID] = r
	return f.observe(r.Replica)
}

func (f *fakeOps) Create(ctx context.Context, revision, ordinal int) (Replica, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.behave[revision].createErr; err != nil {
		return Replica{}, err
	}
	if live := len(f.reps) + 1; live > f.maxLive {
		f.maxLive = live
	}
	f.events = append(f.events, fmt.Sprintf("create %d r%d", ordinal, revision))
	return f.add(ordinal, revision, f.clock.Now()), nil
}

func (f *fakeOps) Start(ctx context.Context, r Replica) (Replica, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fr := f.reps[r.ID]
	fr.forced, fr.created, fr.started = "", f.clock.Now(), true
	f.events = append(f.events, fmt.Sprintf("start %d r%d", r.Ordinal, r.Revision))
	return f.observe(r), nil
}

func (f *fakeOps) Remove(ctx context.Context, r Replica) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.reps, r.ID)
	f.events = append(f.events, fmt.Sprintf("remove %d r%d", r.Ordinal, r.Revision))
	if f.lb != nil {
		f.lb.removed(r, f.clock.Now())
	}
	if s := f.served(); s < f.minServe {
		f.minServe = s
	}
	return nil
}

// served counts ordinals below the desired count with an available
// replica: ready, and for the target revision ready for min_ready.
func (f *fakeOps) served() int {
	seen := map[int]bool{}
	now := f.clock.Now()
	for _, r := range f.reps {
		o := f.observe(r.Replica)
		if !o.Ready() || o.Ordinal >= f.target.Replicas {
			continue
		}
		fresh := r.created.After(now.Add(-30 * time.Minute))
		if o.Revision == f.target.Revision && fresh && now.Sub(o.ReadySince) < f.target.MinReady {
			continue
		}
		seen[o.Ordinal] = true
	}
	return len(seen)
}

func (f *fakeOps) Observe(r Replica) Replica {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.observe(r)
}

func (f *fakeOps) observe(r Replica) Replica {
	now := f.clock.Now()
	fr, ok := f.reps[r.ID]
	if !ok {
		r.State = StateMissing
		return r
	}
	o := fr.Replica
	o.State, o.Health, o.ReadySince = StateRunning, HealthNone, time.Time{}
	b, age := f.behave[o.Revision], now.Sub(fr.created)
	switch {
	case fr.forced != "":
		o.State = fr.forced
	case b.exitAt > 0 && age >= b.exitAt && (!fr.started || b.flap):
		o.State, o.ExitCode = StateExited, 1
	case b.unhealthy > 0 && age >= b.unhealthy, !fr.sickAt.IsZero() && !now.Before(fr.sickAt):
		o.Health, o.Check = HealthUnhealthy, "exit 1: no such file"
	case b.readyAt < 0 || age < b.readyAt:
		if b.health {
			o.Health = HealthStarting
		}
	default:
		if b.health {
			o.Health = HealthHealthy
		}
		o.ReadySince = fr.created.Add(b.readyAt)
		if b.window > 0 && o.ReadySince.Before(now.Add(-b.window)) {
			o.ReadySince = now.Add(-b.window)
		}
	}
	return o
}

func (f *fakeOps) LogTail(r Replica, lines int) []string {
	return []string{"log of " + r.Name}
}

// engine is an engine over f, running operations inline.
func (f *fakeOps) engine(progress *[]string) *Engine {
	return &Engine{Ops: f, Clock: f.clock, Poll: 50 * time.Millisecond, Dispatch: func(fn func()) { fn() },
		Progress: func(s string) {
			if progress != nil {
				*progress = append(*progress, s)
			}
		}}
}

// revisions maps each ordinal to the revisions of its replicas.
func revisions(reps []Replica) map[int][]int {
	out := map[int][]int{}
	for _, r := range reps {
		out[r.Ordinal] = append(out[r.Ordinal], r.Revision)
	}
	return out
}

func wantAll(t *testing.T, reps []Replica, n, rev int) {
	t.Helper()
	if len(reps) != n {
		t.Fatalf("%d replicas left, want %d: %v", len(reps), n, revisions(reps))
	}
	for k, revs := range revisions(reps) {
		if k >= n || len(revs) != 1 || revs[0] != rev {
			t.Fatalf("ordinal %d runs revisions %v, want [%d]", k, revs, rev)
		}
	}
}

var errBoom = errors.New("boom")
