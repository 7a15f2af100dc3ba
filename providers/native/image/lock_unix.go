//go:build unix

package image

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// fileLock is an exclusive flock(2) on a file. flock locks belong to the
// open file description, so they exclude other goroutines of this process
// as well as other processes.
//
// A transient lock file is removed by its holder on unlock. A waiter may
// then hold a lock on a file no longer at the path; it checks, after
// locking, that the path still names the file it locked, and starts over
// when it does not.
type fileLock struct {
	f         *os.File
	path      string
	transient bool
}

// lockFile takes the lock at path, waiting (polling, so ctx can cancel)
// while another holder has it.
func lockFile(ctx context.Context, path string, transient bool) (*fileLock, error) {
	for {
		l, ok, err := tryLock(path, transient)
		if err != nil || ok {
			return l, err
		}
		if err := sleepCtx(ctx, 20*time.Millisecond); err != nil {
			return nil, fmt.Errorf("wait for lock %s: %w", path, err)
		}
	}
}

// tryLock takes the lock at path if it is free.
func tryLock(path string, transient bool) (*fileLock, bool, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", path, err)
		}
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, false, nil
		}
		if err != nil {
			f.Close()
			return nil, false, fmt.Errorf("lock %s: %w", path, err)
		}
		if !transient || samePath(f, path) {
			return &fileLock{f: f, path: path, transient: transient}, true, nil
		}
		f.Close() // the previous holder removed it: lock the new one
	}
}

func samePath(f *os.File, path string) bool {
	var a, b unix.Stat_t
	if unix.Fstat(int(f.Fd()), &a) != nil || unix.Stat(path, &b) != nil {
		return false
	}
	return a.Dev == b.Dev && a.Ino == b.Ino
}

// unlock releases the lock, removing a transient lock file first (while
// still holding it).
func (l *fileLock) unlock() {
	if l.transient {
		os.Remove(l.path)
	}
	l.f.Close()
}
