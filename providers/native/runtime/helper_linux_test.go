//go:build cgo

package runtime

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestPruneHelpers: writing a new helper removes the helpers of earlier
// versions, but not one a process still runs, nor other files.
func TestPruneHelpers(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command")
	}
	bin, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	dir := filepath.Join(base, helperDir)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := write(helperPrefix+"0000000000000001", []byte("old helper"))
	running := write(helperPrefix+"0000000000000002", bin)
	other := write("not-a-helper", []byte("x"))
	cmd := exec.Command(running, "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if exe, _ := os.Readlink("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/exe"); exe == running {
			break
		}
	}

	UseHelper([]byte("the new helper"), "00000000000000030000")
	defer UseHelper(nil, "")
	r := &Runtime{root: filepath.Join(base, "containers")}
	path := r.supervisorPath()
	if want := filepath.Join(dir, helperPrefix+"0000000000000003"); path != want {
		t.Fatalf("supervisorPath = %s, want %s", path, want)
	}
	for _, tc := range []struct {
		path string
		want bool
	}{{old, false}, {running, true}, {other, true}, {path, true}} {
		_, err := os.Stat(tc.path)
		if got := err == nil; got != tc.want {
			t.Errorf("%s present = %v, want %v", filepath.Base(tc.path), got, tc.want)
		}
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != "the new helper" {
		t.Errorf("new helper holds %q (%v)", data, err)
	}
}
