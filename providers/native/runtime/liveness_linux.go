//go:build cgo

package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// A live supervisor holds an open-file-description write lock on
// <dir>/supervisor.lock for its whole life, and writes its PID into the
// file. The kernel drops the lock when the process dies however it dies
// (kill -9 included), so "locked" means "supervised": no PID reuse, no
// stale PID files.

var errSupervised = errors.New("container already has a live supervisor")

// lockSupervisor takes the lock for the calling process, which must keep
// the returned file open.
func lockSupervisor(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &lk); err != nil {
		f.Close()
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
			return nil, errSupervised
		}
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// supervisorAlive reports whether some process holds the lock, without
// taking it.
func supervisorAlive(dir string) (bool, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_GETLK, &lk); err != nil {
		return false, fmt.Errorf("query lock %s: %w", f.Name(), err)
	}
	return lk.Type != unix.F_UNLCK, nil
}

// supervisorPid is the PID recorded in the lock file if that process is
// still a supervisor of this container, else 0.
func supervisorPid(dir, id string) int {
	data, err := os.ReadFile(filepath.Join(dir, lockFile))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0
	}
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return 0
	}
	args := bytes.Split(bytes.TrimRight(cmdline, "\x00"), []byte{0})
	if len(args) == 4 && string(args[1]) == supervisorArg && string(args[3]) == id {
		return pid
	}
	return 0
}
