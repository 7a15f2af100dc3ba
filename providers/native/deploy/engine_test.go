package deploy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestResolveBudget(t *testing.T) {
	tests := []struct {
		name        string
		replicas    int
		surge, unav string
		want        Budget
		err         string
	}{
		{"defaults of 10", 10, "", "", Budget{3, 2}, ""},
		{"defaults of 4", 4, "", "", Budget{1, 1}, ""},
		{"defaults of 1", 1, "", "", Budget{1, 0}, ""},
		{"counts", 4, "1", "0", Budget{1, 0}, ""},
		{"surge rounds up", 10, "15%", "0", Budget{2, 0}, ""},
		{"unavailable rounds down", 10, "0", "19%", Budget{0, 1}, ""},
		{"percentages both zero", 3, "0%", "10%", Budget{0, 1}, ""},
		{"unavailable capped", 2, "0", "5", Budget{0, 2}, ""},
		{"zero replicas", 0, "", "", Budget{0, 1}, ""},
		{"literal zeros", 3, "0", "0", Budget{}, "both zero"},
		{"zero percent and zero", 3, "0%", "0", Budget{}, "both zero"},
		{"bad syntax", 3, "two", "0", Budget{}, "neither a whole number"},
		{"unavailable over 100%", 3, "1", "150%", Budget{}, "over 100%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveBudget(tc.replicas, tc.surge, tc.unav)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		name     string
		from, to int
		events   []string
	}{
		{"up 2 to 5", 2, 5, []string{"create 2 r1", "create 3 r1", "create 4 r1"}},
		{"down 5 to 1", 5, 1, []string{"remove 1 r1", "remove 2 r1", "remove 3 r1", "remove 4 r1"}},
		{"to zero", 2, 0, []string{"remove 0 r1", "remove 1 r1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := Target{Replicas: tc.to, Revision: 1, Budget: Budget{1, 0}, MinReady: time.Second, Deadline: time.Minute}
			f := newFake(t, target, map[int]behaviour{1: {health: true, readyAt: 300 * time.Millisecond}})
			out := f.engine(nil).Run(context.Background(), Plan{Target: target}, f.existing(tc.from, 1))
			if out.Failure != nil {
				t.Fatal(out.Failure)
			}
			wantAll(t, out.Replicas, tc.to, 1)
			got := slices.Clone(f.events)
			slices.Sort(got)
			if !slices.Equal(got, tc.events) {
				t.Errorf("events %q, want %q", got, tc.events)
			}
		})
	}
}

func TestRollingUpdateBudget(t *testing.T) {
	tests := []struct {
		name     string
		replicas int
		budget   Budget
		waves    int // health gates passed one after another
	}{
		{"one at a time", 4, Budget{1, 0}, 4},
		{"surge 2 of 10", 10, Budget{2, 0}, 5},
		{"surge and unavailable", 10, Budget{3, 2}, 2},
		{"unavailable only", 4, Budget{0, 1}, 4},
		{"everything at once", 3, Budget{3, 0}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := Target{Replicas: tc.replicas, Revision: 2, Budget: tc.budget, MinReady: time.Second, Deadline: time.Minute}
			gate := 300*time.Millisecond + time.Second
			f := newFake(t, target, map[int]behaviour{
				1: {health: true, readyAt: 0},
				2: {health: true, readyAt: 300 * time.Millisecond},
			})
			var progress []string
			start := f.clock.now
			out := f.engine(&progress).Run(context.Background(), Plan{Target: target, Previous: 1}, f.existing(tc.replicas, 1))
			if out.Failure != nil {
				t.Fatal(out.Failure)
			}
			wantAll(t, out.Replicas, tc.replicas, 2)
			if max := tc.replicas + tc.budget.Surge; f.maxLive > max {
				t.Errorf("%d replicas ran at once, want at most %d", f.maxLive, max)
			}
			if min := tc.replicas - tc.budget.Unavailable; f.minServe < min {
				t.Errorf("only %d ordinals served at one point, want at least %d", f.minServe, min)
			}
			took := f.clock.now.Sub(start)
			if lo, hi := time.Duration(tc.waves)*gate, time.Duration(tc.waves)*(gate+100*time.Millisecond); took < lo || took > hi {
				t.Errorf("rollout took %s on the fake clock, want %s..%s (%d health gates)", took, lo, hi, tc.waves)
			}
			if last := progress[len(progress)-1]; !strings.Contains(last, "(") && !strings.Contains(last, "removed") {
				t.Errorf("last progress line %q", last)
			}
			if tc.budget.Surge == 0 && f.tempName > 0 {
				t.Errorf("%d replicas needed a temporary name without surge", f.tempName)
			}
		})
	}
}

// TestOrdering: with max_unavailable 0 an old replica goes only once the
// new replica of its ordinal has been healthy for min_ready.
func TestOrdering(t *testing.T) {
	target := Target{Replicas: 2, Revision: 2, Budget: Budget{1, 0}, MinReady: 2 * time.Second, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {}, 2: {health: true, readyAt: time.Second}})
	var progress []string
	out := f.engine(&progress).Run(context.Background(), Plan{Target: target}, f.existing(2, 1))
	if out.Failure != nil {
		t.Fatal(out.Failure)
	}
	want := []string{"create 0 r2", "remove 0 r1", "create 1 r2", "remove 1 r1"}
	if !slices.Equal(f.events, want) {
		t.Errorf("events %q, want %q", f.events, want)
	}
	joined := strings.Join(progress, "\n")
	for _, line := range []string{"#0: started revision 2 as web-0-r2", "#0: revision 2 healthy (1/2)", "#0: stopping revision 1 (web-0; replaced)", "#0: removed revision 1 (web-0)", "#1: revision 2 healthy (2/2)"} {
		if !strings.Contains(joined, line) {
			t.Errorf("progress lacks %q:\n%s", line, joined)
		}
	}
}

// TestMinReady: a new replica counts once ready for min_ready, even
// when the runtime remembers less than min_ready of health checks.
func TestMinReady(t *testing.T) {
	target := Target{Replicas: 1, Revision: 2, Budget: Budget{1, 0}, MinReady: 3 * time.Second, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {}, 2: {health: true, readyAt: 500 * time.Millisecond, window: 500 * time.Millisecond}})
	start := f.clock.now
	out := f.engine(nil).Run(context.Background(), Plan{Target: target}, f.existing(1, 1))
	if out.Failure != nil {
		t.Fatal(out.Failure)
	}
	if took := f.clock.now.Sub(start); took < 3500*time.Millisecond || took > 4*time.Second {
		t.Errorf("old replica removed after %s, want once the new one was ready for min_ready (3.5s)", took)
	}
}

func TestDeadline(t *testing.T) {
	target := Target{Replicas: 3, Revision: 2, Budget: Budget{1, 0}, MinReady: time.Second, Deadline: 10 * time.Second}
	f := newFake(t, target, map[int]behaviour{1: {health: true}, 2: {health: true, readyAt: -1}})
	start := f.clock.now
	out := f.engine(nil).Run(context.Background(), Plan{Target: target, Previous: 1}, f.existing(3, 1))
	if out.Failure == nil || out.Failure.Check != CheckDeadline || out.Failure.Ordinal != 0 {
		t.Fatalf("failure %+v, want the progress deadline on replica 0", out.Failure)
	}
	if took := f.clock.now.Sub(start); took < 10*time.Second || took > 11*time.Second {
		t.Errorf("failed after %s, want just after the 10s deadline", took)
	}
	if !strings.Contains(out.Failure.Error(), "health starting") || len(out.Failure.Logs) == 0 {
		t.Errorf("failure lacks state or logs: %v %q", out.Failure, out.Failure.Logs)
	}
	// Without auto_rollback the partial rollout stays: every old replica,
	// and the new one that never got ready.
	if got := revisions(out.Replicas); !slices.Equal(got[0], []int{1, 2}) || len(got[1]) != 1 || len(got[2]) != 1 {
		t.Errorf("replicas left %v", got)
	}
}

func TestFailureRollsBack(t *testing.T) {
	for _, auto := range []bool{true, false} {
		t.Run(map[bool]string{true: "auto_rollback", false: "no rollback"}[auto], func(t *testing.T) {
			target := Target{Replicas: 4, Revision: 2, Budget: Budget{1, 1}, MinReady: time.Second, Deadline: time.Minute}
			f := newFake(t, target, map[int]behaviour{
				1: {health: true},
				2: {health: true, readyAt: -1, unhealthy: 600 * time.Millisecond},
			})
			out := f.engine(nil).Run(context.Background(), Plan{Target: target, Previous: 1, AutoRollback: auto}, f.existing(4, 1))
			if out.Failure == nil || out.Failure.Check != CheckHealth {
				t.Fatalf("failure %+v, want a health check failure", out.Failure)
			}
			if !strings.Contains(out.Failure.Error(), "failed its health check: unhealthy; last check: exit 1") || out.Failure.Replica == nil {
				t.Errorf("failure says %q", out.Failure.Error())
			}
			if f.minServe < 3 {
				t.Errorf("only %d ordinals served at one point, want at least 3", f.minServe)
			}
			if !auto {
				if out.RolledBack || out.Revision != 2 {
					t.Errorf("rolled back without auto_rollback: %+v", out)
				}
				return
			}
			if !out.RolledBack || out.Revision != 1 || out.RollbackFailure != nil {
				t.Fatalf("outcome %+v, want rolled back to 1", out)
			}
			wantAll(t, out.Replicas, 4, 1)
		})
	}
}

func TestRepair(t *testing.T) {
	target := Target{Replicas: 3, Revision: 1, Budget: Budget{1, 0}, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {}})
	reps := f.existing(3, 1)
	f.reps[reps[1].ID].forced = StateExited
	delete(f.reps, reps[2].ID) // deleted behind berth's back
	out := f.engine(nil).Run(context.Background(), Plan{Target: target}, reps)
	if out.Failure != nil {
		t.Fatal(out.Failure)
	}
	wantAll(t, out.Replicas, 3, 1)
	if want := []string{"start 1 r1", "create 2 r1"}; !slices.Equal(f.events, want) {
		t.Errorf("events %q, want %q", f.events, want)
	}
	if out.Replicas[1].ID != reps[1].ID {
		t.Errorf("stopped replica replaced (%s -> %s), want started in place", reps[1].ID, out.Replicas[1].ID)
	}
}

func TestCreateErrorAndInterrupt(t *testing.T) {
	target := Target{Replicas: 2, Revision: 2, Budget: Budget{1, 0}, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {}, 2: {createErr: errBoom}})
	out := f.engine(nil).Run(context.Background(), Plan{Target: target}, f.existing(2, 1))
	if out.Failure == nil || out.Failure.Check != CheckCreate || !errors.Is(errBoom, errBoom) || !strings.Contains(out.Failure.Error(), "boom") {
		t.Fatalf("failure %+v, want the create error", out.Failure)
	}
	wantAll(t, out.Replicas, 2, 1)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f = newFake(t, target, map[int]behaviour{1: {}, 2: {}})
	out = f.engine(nil).Run(ctx, Plan{Target: target, Previous: 1, AutoRollback: true}, f.existing(2, 1))
	if out.Failure == nil || out.Failure.Check != CheckInterrupted || out.RolledBack {
		t.Fatalf("outcome %+v, want interrupted without rollback", out)
	}
}

// TestExitFailsAtOnce: a new replica that exits fails the rollout
// without waiting for the deadline.
func TestExitFailsAtOnce(t *testing.T) {
	target := Target{Replicas: 2, Revision: 2, Budget: Budget{1, 0}, MinReady: time.Second, Deadline: time.Hour}
	f := newFake(t, target, map[int]behaviour{1: {}, 2: {readyAt: -1, exitAt: 200 * time.Millisecond}})
	start := f.clock.now
	out := f.engine(nil).Run(context.Background(), Plan{Target: target}, f.existing(2, 1))
	if out.Failure == nil || out.Failure.Check != CheckStart || !strings.Contains(out.Failure.Error(), "exited with code 1") {
		t.Fatalf("failure %v", out.Failure)
	}
	if took := f.clock.now.Sub(start); took > time.Second {
		t.Errorf("failed after %s", took)
	}
}

// TestProvenReplicaDiesLater: a new replica that has been available and
// dies while the rollout goes on is started again, not a failure.
func TestProvenReplicaDiesLater(t *testing.T) {
	target := Target{Replicas: 4, Revision: 2, Budget: Budget{1, 0}, MinReady: 500 * time.Millisecond, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {}, 2: {readyAt: 100 * time.Millisecond, exitAt: 2 * time.Second}})
	out := f.engine(nil).Run(context.Background(), Plan{Target: target, Previous: 1, AutoRollback: true}, f.existing(4, 1))
	if out.Failure != nil {
		t.Fatalf("rollout failed: %v", out.Failure)
	}
	wantAll(t, out.Replicas, 4, 2)
	if !slices.Contains(f.events, "start 0 r2") {
		t.Errorf("replica 0 was not started again: %q", f.events)
	}
}

// TestFlappingFailsAtDeadline: replicas that keep dying after becoming
// available never let every ordinal be served; the rollout fails at the
// progress deadline instead of going on for ever.
func TestFlappingFailsAtDeadline(t *testing.T) {
	target := Target{Replicas: 4, Revision: 2, Budget: Budget{1, 0}, MinReady: 500 * time.Millisecond, Deadline: 10 * time.Second}
	f := newFake(t, target, map[int]behaviour{1: {}, 2: {readyAt: 100 * time.Millisecond, exitAt: 900 * time.Millisecond, flap: true}})
	start := f.clock.now
	out := f.engine(nil).Run(context.Background(), Plan{Target: target}, f.existing(4, 1))
	if out.Failure == nil || out.Failure.Check != CheckDeadline {
		t.Fatalf("failure %v, want the progress deadline", out.Failure)
	}
	if took := f.clock.now.Sub(start); took > time.Minute {
		t.Errorf("failed after %s", took)
	}
}

// TestConcurrentOperations runs operations in goroutines, as the
// provider does (go test -race checks the engine's bookkeeping).
func TestConcurrentOperations(t *testing.T) {
	target := Target{Replicas: 6, Revision: 2, Budget: Budget{2, 1}, MinReady: time.Second, Deadline: time.Minute}
	f := newFake(t, target, map[int]behaviour{1: {health: true}, 2: {health: true, readyAt: 300 * time.Millisecond}})
	var mu sync.Mutex
	var progress []string
	e := &Engine{Ops: f, Clock: f.clock, Poll: 50 * time.Millisecond, Progress: func(s string) {
		mu.Lock()
		defer mu.Unlock()
		progress = append(progress, s)
	}}
	out := e.Run(context.Background(), Plan{Target: target, Previous: 1, AutoRollback: true}, f.existing(6, 1))
	if out.Failure != nil {
		t.Fatal(out.Failure)
	}
	wantAll(t, out.Replicas, 6, 2)
	if f.minServe < 5 {
		t.Errorf("only %d ordinals served at one point, want at least 5", f.minServe)
	}
	if len(progress) == 0 {
		t.Error("no progress lines")
	}
}
