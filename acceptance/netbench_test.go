package acceptance

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// TestBenchNetworkApply measures applying 50 containers on one network
// against 50 with network_mode = "none", side by side in one run
// (alternating, three rounds each). BERTH_BENCH=1 runs it.
func TestBenchNetworkApply(t *testing.T) {
	if os.Getenv("BERTH_BENCH") != "1" {
		t.Skip("a benchmark: set BERTH_BENCH=1 to run it")
	}
	const n, rounds = 50, 3
	config := func(networked bool) string {
		body := `network_mode = "none"`
		net := ""
		if networked {
			body = `network { name = network.bench.name }`
			net = `network "bench" {}`
		}
		return busyboxImage() + fmt.Sprintf(`
%s
container "c" {
  count   = %d
  image   = image.busybox.id
  command = ["sleep", "1000"]
  %s
}
`, net, n, body)
	}
	measure := func(networked bool) time.Duration {
		w := newWorkspace(t)
		w.config(config(networked))
		w.ok("apply", "-auto-approve", "-target=image.busybox") // the pull is not what we measure
		start := time.Now()
		w.ok("apply", "-auto-approve")
		d := time.Since(start)
		w.remember()
		w.ok("destroy", "-auto-approve")
		return d
	}
	var none, bridged []time.Duration
	for range rounds {
		none = append(none, measure(false))
		bridged = append(bridged, measure(true))
	}
	best := func(ds []time.Duration) time.Duration {
		b := ds[0]
		for _, d := range ds {
			b = min(b, d)
		}
		return b
	}
	t.Logf("apply of %d containers: network_mode none %v (best %v); one network %v (best %v); ratio of bests %.2f",
		n, none, best(none), bridged, best(bridged), float64(best(bridged))/float64(best(none)))
}
