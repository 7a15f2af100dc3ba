package acceptance

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestNameRaceTwoProcesses: two berth processes, each applying its own
// configuration on one runtime root, create a container of one name at
// the same moment. Exactly one wins; the other fails saying the name is
// taken, and leaves nothing behind.
func TestNameRaceTwoProcesses(t *testing.T) {
	a, b := newWorkspace(t), newWorkspace(t)
	b.root = a.root
	src := fmt.Sprintf(`
container "x" {
  image   = "%s/test/busybox:1"
  name    = "dup"
  command = ["sleep", "300"]
}
`, registryHost)
	a.config(src)
	b.config(src)
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i, w := range []*workspace{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = w.berth("apply", "-auto-approve")
		}()
	}
	wg.Wait()
	a.remember()
	b.remember()
	wins := 0
	for i, res := range results {
		switch {
		case res.code == 0:
			wins++
		case res.code == 1 && strings.Contains(res.stderr, `a container named "dup" already exists`):
		default:
			t.Errorf("apply %d: %s", i, res)
		}
	}
	if wins != 1 {
		t.Errorf("%d applies won the name, want exactly 1:\n%s\n%s", wins, results[0], results[1])
	}
	running := 0
	for _, w := range []*workspace{a, b} {
		running += len(w.containerIDs())
	}
	if running != 1 {
		t.Errorf("%d containers recorded, want 1", running)
	}
	if dirs, _ := filepath.Glob(filepath.Join(a.root, "containers", strings.Repeat("[0-9a-f]", 64))); len(dirs) != 1 {
		t.Errorf("%d containers under the runtime root, want 1: %v", len(dirs), dirs)
	}
	// Destroy both here: they share one root, which each cleanup checks.
	a.ok("destroy", "-auto-approve")
	b.ok("destroy", "-auto-approve")
}
