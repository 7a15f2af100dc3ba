//go:build cgo

package runtime

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// A container whose supervisor does not go after the stop (here: a lock
// held by the test, with no supervisor answering) makes Stop fail once
// the grace period and killedWithin have passed, naming the container
// and the supervisor's log, instead of waiting forever.
func TestStopGivesUpOnStuckContainer(t *testing.T) {
	rt := newRuntime(t)
	id := testID()
	dir := rt.dir(id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	lock, err := lockSupervisor(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	defer func(old time.Duration) { killedWithin = old }(killedWithin)
	killedWithin = 200 * time.Millisecond
	start := time.Now()
	err = rt.stop(context.Background(), id, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "has not exited") || !strings.Contains(err.Error(), supervisorLog) {
		t.Fatalf("stop of a stuck container: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("stop took %s", d)
	}
}
