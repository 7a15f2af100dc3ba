package state

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockInProcessContention(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	l1, err := store.Lock(context.Background(), "berth apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	info, err := readLockInfo(store.LockInfoPath())
	if err != nil || info.ID != l1.Info.ID || info.PID != os.Getpid() || info.Operation != "berth apply" ||
		!strings.Contains(info.Who, "@") || info.Version != BerthVersion || info.Created.IsZero() {
		t.Errorf("lock info on disk = %+v, %v", info, err)
	}
	// a second Lock in this process, through another Store as well
	for _, s := range []*Store{store, Open(store.Path)} {
		_, err := s.Lock(context.Background(), "berth plan", 0)
		var le *LockError
		if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
			t.Fatalf("second Lock = %v, want a *LockError", err)
		}
		if le.Holder.ID != l1.Info.ID || le.Holder.PID != os.Getpid() {
			t.Errorf("LockError names %+v, want the first lock", le.Holder)
		}
	}
	if err := l1.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(store.LockInfoPath()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock info left after Unlock (%v)", err)
	}
	if err := l1.Unlock(); err != nil {
		t.Errorf("second Unlock = %v", err)
	}
	l2, err := store.Lock(context.Background(), "berth plan", 0)
	if err != nil {
		t.Fatalf("Lock after Unlock = %v", err)
	}
	l2.Unlock()
}

func TestLockErrorMessage(t *testing.T) {
	e := &LockError{Holder: LockInfo{
		ID: "9d1c", Path: "/srv/berth.state", Operation: "berth apply", Who: "root@host",
		PID: 1234, Host: "host", Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Version: "0.1.0",
	}}
	want := `state is locked by another berth process
  ID:        9d1c
  Path:      /srv/berth.state
  Operation: berth apply
  Who:       root@host
  PID:       1234
  Created:   2026-01-02T03:04:05Z
  Version:   0.1.0
Wait for it to finish, or if it is gone, run: berth force-unlock 9d1c`
	if got := e.Error(); got != want {
		t.Errorf("LockError:\n%s\nwant:\n%s", got, want)
	}
}

func TestLockTimeoutAndContext(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	l, err := store.Lock(context.Background(), "berth apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	if _, err := store.Lock(context.Background(), "berth plan", 200*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock with a timeout = %v, want ErrLocked", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := store.Lock(ctx, "berth plan", time.Hour); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock with a cancelled context = %v, want ErrLocked", err)
	}
}

// TestLockWaitsForRelease: a Lock with a timeout succeeds once the holder
// lets go.
func TestLockWaitsForRelease(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	l, err := store.Lock(context.Background(), "berth apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		l2, err := store.Lock(context.Background(), "berth plan", time.Minute)
		if err == nil {
			err = l2.Unlock()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // let it try at least once; correctness does not depend on it
	l.Unlock()
	if err := <-done; err != nil {
		t.Errorf("waiting Lock = %v", err)
	}
}

// holder is another process holding the lock: the test binary re-executed
// with holderEnv set (see TestMain).
type holder struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	id    string
}

func startHolder(t *testing.T, path string) *holder {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), holderEnv+"="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	id, ok := strings.CutPrefix(strings.TrimSpace(line), "locked ")
	if err != nil || !ok {
		t.Fatalf("helper process said %q, %v", line, err)
	}
	return &holder{cmd: cmd, stdin: stdin, id: id}
}

func TestLockCrossProcess(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	h := startHolder(t, store.Path)
	_, err := store.Lock(context.Background(), "berth plan", 0)
	var le *LockError
	if !errors.As(err, &le) {
		t.Fatalf("Lock while another process holds it = %v", err)
	}
	if le.Holder.PID != h.cmd.Process.Pid || le.Holder.ID != h.id || le.Holder.Operation != "berth apply" {
		t.Errorf("LockError names %+v, want pid %d id %s", le.Holder, h.cmd.Process.Pid, h.id)
	}
	t.Log(err)
	// the holder finishes; a waiting Lock gets it
	done := make(chan error, 1)
	go func() {
		l, err := store.Lock(context.Background(), "berth plan", time.Minute)
		if err == nil {
			err = l.Unlock()
		}
		done <- err
	}()
	h.stdin.Close()
	if err := h.cmd.Wait(); err != nil {
		t.Fatalf("helper process: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("Lock after the holder exited = %v", err)
	}
}

// TestLockAfterHolderDied: a holder killed without unlocking leaves its
// lock info behind, but the kernel dropped its flock, so Lock succeeds.
func TestLockAfterHolderDied(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	h := startHolder(t, store.Path)
	h.cmd.Process.Kill()
	h.cmd.Wait()
	if info, err := readLockInfo(store.LockInfoPath()); err != nil || info.ID != h.id {
		t.Fatalf("stale lock info = %+v, %v", info, err)
	}
	l, err := store.Lock(context.Background(), "berth apply", 0)
	if err != nil {
		t.Fatalf("Lock after the holder died = %v", err)
	}
	if info, _ := readLockInfo(store.LockInfoPath()); info.ID != l.Info.ID {
		t.Errorf("lock info not replaced: %+v", info)
	}
	l.Unlock()
}

func TestForceUnlock(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	h := startHolder(t, store.Path)

	err := store.ForceUnlock("wrong-id")
	if err == nil || !strings.Contains(err.Error(), h.id) {
		t.Errorf("ForceUnlock with a wrong ID = %v, want it to name %s", err, h.id)
	}
	if _, err := store.Lock(context.Background(), "berth plan", 0); !errors.Is(err, ErrLocked) {
		t.Fatalf("a wrong-ID ForceUnlock released the lock: %v", err)
	}

	if err := store.ForceUnlock(h.id); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{store.LockPath(), store.LockInfoPath()} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left after ForceUnlock (%v)", p, err)
		}
	}
	// the holder is still running, yet the lock is free
	l, err := store.Lock(context.Background(), "berth apply", 0)
	if err != nil {
		t.Fatalf("Lock after ForceUnlock = %v", err)
	}
	// the old holder's Unlock must not remove the new holder's info
	h.stdin.Close()
	if err := h.cmd.Wait(); err != nil {
		t.Fatalf("helper process: %v", err)
	}
	if info, err := readLockInfo(store.LockInfoPath()); err != nil || info.ID != l.Info.ID {
		t.Errorf("lock info after the old holder unlocked = %+v, %v", info, err)
	}
	l.Unlock()

	if err := store.ForceUnlock(l.Info.ID); !errors.Is(err, ErrNotLocked) {
		t.Errorf("ForceUnlock of an unlocked state = %v, want ErrNotLocked", err)
	}
}

func TestLockMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := Open(filepath.Join(dir, "berth.state")).Lock(context.Background(), "berth apply", time.Second)
	if err == nil || !strings.Contains(err.Error(), "directory "+dir+" does not exist") {
		t.Errorf("Lock in a missing directory = %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Error("Lock created the directory")
	}
}
