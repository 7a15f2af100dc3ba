package runtime

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// zombieNamed starts /bin/true under the name given (the name of the
// link it is run through) without waiting for it, and returns its pid
// once it is a zombie.
func zombieNamed(t *testing.T, name string) int {
	t.Helper()
	link := filepath.Join(t.TempDir(), name)
	if err := os.Symlink("/bin/true", link); err != nil {
		t.Fatal(err)
	}
	pid, err := syscall.ForkExec(link, []string{name}, &syscall.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if comm, _, state, ok := readStat("/proc/" + strconv.Itoa(pid) + "/stat"); ok && state == 'Z' && comm == name {
			return pid
		}
	}
	t.Fatalf("%s (pid %d) did not become a zombie", name, pid)
	return 0
}

func exists(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// The zombies runc init's stages leave are reaped; other zombie
// children, and the one keep names, are left to their owners.
func TestReapStrays(t *testing.T) {
	child := zombieNamed(t, "runc:[1:CHILD]")
	stage2 := zombieNamed(t, "runc:[2:INIT]")
	kept := zombieNamed(t, "runc:[2:INIT]")
	other := zombieNamed(t, "true")
	reapStraysOnce(os.Getpid(), func(pid int) bool { return pid == kept })
	if exists(child) || exists(stage2) {
		t.Errorf("strays left: runc:[1:CHILD] %v, runc:[2:INIT] %v", exists(child), exists(stage2))
	}
	for _, pid := range []int{kept, other} {
		if !exists(pid) {
			t.Errorf("pid %d was reaped, but it is not a stray", pid)
		}
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil {
			t.Errorf("wait for %d: %v", pid, err)
		}
	}
}

// Without the children files, the children are found from every
// process's parent pid.
func TestChildrenByScan(t *testing.T) {
	pid := zombieNamed(t, "true")
	defer syscall.Wait4(pid, nil, 0, nil)
	got := childrenByScan(os.Getpid())
	for _, c := range got {
		if c == pid {
			return
		}
	}
	t.Errorf("children of %d by scan: %v, want %d among them", os.Getpid(), got, pid)
}
