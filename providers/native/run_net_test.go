package native

import (
	"errors"
	"os"
	"os/exec"
	"testing"
)

// A run container's lock keeps others off until it is let go,
// and goes with the process holding it.
func TestLockRun(t *testing.T) {
	e := &Engine{Root: t.TempDir()}
	const id = "0123456789abcdef"
	held, err := e.lockRun(id, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.lockRun(id, false); !errors.Is(err, errRunBusy) {
		t.Fatalf("second lock while held: %v, want errRunBusy", err)
	}
	held.unlock()
	again, err := e.lockRun(id, false)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again.remove()
	if _, err := os.Stat(e.runLockPath(id)); !os.IsNotExist(err) {
		t.Errorf("lock file after remove: %v", err)
	}

	// Held by a process that dies: free again.
	path := e.runLockPath(id)
	cmd := exec.Command("flock", path, "true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("flock(1) is not usable here: %v %s", err, out)
	}
	if l, err := e.lockRun(id, false); err != nil {
		t.Errorf("lock after its holder died: %v", err)
	} else {
		l.remove()
	}
}
