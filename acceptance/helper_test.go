package acceptance

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func sleeperConfig() string {
	return fmt.Sprintf(`
image "busybox" { ref = "%s/test/busybox:1" }
container "c" {
  image   = image.busybox.id
  command = ["sleep", "100000"]
}
`, registryHost)
}

// supervisorOf is the host PID of the supervisor of the workspace's
// container c.
func supervisorOf(t *testing.T, w *workspace) int {
	t.Helper()
	id, _ := w.stateResource("container.c")["id"].(string)
	data, err := os.ReadFile(filepath.Join(w.root, "containers", id, "status.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		SupervisorPid int `json:"supervisor_pid"`
	}
	if err := json.Unmarshal(data, &st); err != nil || st.SupervisorPid == 0 {
		t.Fatalf("no supervisor in status.json (%v): %s", err, data)
	}
	return st.SupervisorPid
}

// TestRuntimeHelper: berth built as released (scripts/build) runs its
// supervisors from the runtime helper it embeds, written under the
// runtime root and named by its digest; exec goes through the
// supervisor, so the process it starts is the supervisor's child.
func TestRuntimeHelper(t *testing.T) {
	w := newWorkspace(t)
	w.config(sleeperConfig())
	w.ok("apply", "-auto-approve")
	w.remember()
	sup := supervisorOf(t, w)
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", sup))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(w.root, "bin")
	if filepath.Dir(exe) != dir || !strings.HasPrefix(filepath.Base(exe), "berth-runtime-") {
		t.Fatalf("supervisor runs %s, want the helper in %s", exe, dir)
	}
	fi, err := os.Stat(exe)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("helper mode %v, want 0700", fi.Mode().Perm())
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := "berth-runtime-" + hex.EncodeToString(sum[:])[:16]; filepath.Base(exe) != want {
		t.Errorf("helper named %s, its digest says %s", filepath.Base(exe), want)
	}

	// A long exec: its process is a child of the supervisor.
	cli := exec.Command(berthBin, "-chdir="+w.dir, "exec", "container.c", "--", "sleep", "4242")
	if err := cli.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cli.Process.Kill(); _ = cli.Wait() }()
	var pid int
	depWaitFor(t, 10*time.Second, "the exec'd sleep", func() bool { pid = findProcess("sleep\x004242\x00"); return pid != 0 })
	if ppid := parentOf(pid); ppid != sup {
		t.Errorf("exec'd process %d has parent %d, want the supervisor %d", pid, ppid, sup)
	}
	_ = cli.Process.Signal(syscall.SIGKILL)
	_ = cli.Wait()
	depWaitFor(t, 10*time.Second, "the exec'd sleep to die with berth exec", func() bool { return findProcess("sleep\x004242\x00") == 0 })
}

// TestRuntimeHelperNoExec: when the helper cannot be run (the runtime
// root is mounted noexec), berth runs itself as the supervisor.
func TestRuntimeHelperNoExec(t *testing.T) {
	needRoot(t)
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_NOEXEC, "mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) }) // after the workspace's cleanup
	w := newWorkspace(t)
	w.root = filepath.Join(mnt, "runtime")
	w.config(sleeperConfig())
	w.ok("apply", "-auto-approve")
	w.remember()
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", supervisorOf(t, w)))
	if err != nil {
		t.Fatal(err)
	}
	if exe != berthBin {
		t.Errorf("supervisor runs %s, want berth itself (%s)", exe, berthBin)
	}
	if res := w.ok("exec", "container.c", "--", "echo", "hi"); strings.TrimSpace(res.stdout) != "hi" {
		t.Errorf("exec: %s", res)
	}
}

// findProcess is the PID of a process whose command line is cmdline
// (NUL-separated, as in /proc), or 0.
func findProcess(cmdline string) int {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if b, err := os.ReadFile(p); err == nil && string(b) == cmdline {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	return 0
}

// parentOf is the parent PID of pid, or 0.
func parentOf(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "PPid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}
