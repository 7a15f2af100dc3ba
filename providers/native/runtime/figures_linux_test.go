//go:build cgo

package runtime

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFigures measures; it asserts nothing about time. Run it with
//
//	BERTH_RUNTIME_FIGURES=1 go test -tags seccomp -run TestFigures -v ./providers/native/runtime/
func TestFigures(t *testing.T) {
	if os.Getenv("BERTH_RUNTIME_FIGURES") == "" {
		t.Skip("set BERTH_RUNTIME_FIGURES=1 to measure start/stop times and supervisor memory")
	}
	rt := newRuntime(t)
	for _, n := range []int{1, 20} {
		up, down := cycle(t, rt, n)
		t.Logf("%2d container(s) in parallel: create→running %v (%v each on average), stop+remove %v",
			n, up.Round(time.Millisecond), (up / time.Duration(n)).Round(time.Millisecond), down.Round(time.Millisecond))
	}
	var specs []Spec
	for range 10 {
		s := shSpec(`while :; do sleep 1; done`)
		s.Health = &Health{Command: []string{"true"}, Interval: time.Second}
		create(t, rt, s)
		specs = append(specs, s)
	}
	time.Sleep(3 * time.Second) // a few health checks and GCs
	var rss, pss, private int
	for _, s := range specs {
		st, _ := rt.Status(s.ID)
		m := memoryOf(t, st.SupervisorPid)
		rss, pss, private = rss+m["Rss"], pss+m["Pss"], private+m["Private_Clean"]+m["Private_Dirty"]
	}
	t.Logf("supervisor memory, mean of 10 with health checks: RSS %d KiB, PSS %d KiB, private %d KiB",
		rss/10, pss/10, private/10)
}

// cycle creates n containers in parallel and then stops and removes them
// in parallel, returning both wall times.
func cycle(t *testing.T, rt *Runtime, n int) (up, down time.Duration) {
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = shSpec(`trap 'exit 0' TERM; echo ready; while :; do sleep 0.05; done`)
	}
	each := func(fn func(Spec) error) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for _, s := range specs {
			wg.Go(func() {
				if err := fn(s); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	ctx := context.Background()
	up = each(func(s Spec) error { _, err := rt.Create(ctx, s); return err })
	for _, s := range specs { // the trap is set: stop times are the runtime's
		waitFor(t, rt, s.ID, "ready", func(*Status) bool { return strings.Contains(logText(t, rt, s.ID, ""), "ready") })
	}
	down = each(func(s Spec) error {
		if err := rt.Stop(ctx, s.ID, 5*time.Second); err != nil {
			return err
		}
		return rt.Remove(ctx, s.ID, false)
	})
	return up, down
}

// memoryOf reads /proc/PID/smaps_rollup in KiB.
func memoryOf(t *testing.T, pid int) map[string]int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[2] == "kB" {
			n, _ := strconv.Atoi(f[1])
			m[strings.TrimSuffix(f[0], ":")] = n
		}
	}
	return m
}
