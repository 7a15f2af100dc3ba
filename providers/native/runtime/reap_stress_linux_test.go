//go:build cgo

package runtime

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestStopDuringHealthChecks: a container stops while health checks and
// execs keep joining it. A process that joins the container as its init
// exits can fail midway, and libcontainer then waits for neither of runc
// init's later stages: one left in the container's PID namespace kept
// the init from finishing its exit, and the stop hung (see reapStrays).
// The window is narrow: this catches a regression now and then, not
// every time (BERTH_STRESS_ROUNDS=N for more rounds).
func TestStopDuringHealthChecks(t *testing.T) {
	rt := newRuntime(t)
	rounds := 8
	if n, err := strconv.Atoi(os.Getenv("BERTH_STRESS_ROUNDS")); err == nil {
		rounds = n
	}
	for i := 0; i < rounds; i++ {
		s := shSpec(`trap 'exit 0' TERM; sleep 1000 & wait`)
		s.Health = &Health{Command: []string{"true"}, Interval: 10 * time.Millisecond}
		create(t, rt, s)
		waitFor(t, rt, s.ID, "healthy", func(st *Status) bool { return st.Health == HealthHealthy })
		// Execs through the supervisor race the exit too.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					_, _ = rt.Exec(context.Background(), s.ID, ExecOptions{Args: []string{"true"}})
				}
			}()
		}
		time.Sleep(time.Duration(i%5) * 7 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := rt.Stop(ctx, s.ID, 10*time.Second)
		cancel()
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatalf("round %d: stop: %v", i, err)
		}
		st, err := rt.Status(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.State != StateExited {
			t.Fatalf("round %d: state %s after stop", i, st.State)
		}
		if err := rt.Remove(context.Background(), s.ID, true); err != nil {
			t.Fatal(err)
		}
	}
}
