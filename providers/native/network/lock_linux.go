package network

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// flock is a flock(2) lock on a file. flock locks belong to the open file
// description, so they exclude other goroutines of this process as well
// as other processes. Holders keep the lock briefly, so waiting blocks.
type flock struct{ f *os.File }

// lockPath takes an exclusive (or, with shared, a shared) lock on path.
func lockPath(path string, shared bool) (*flock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	how := unix.LOCK_EX
	if shared {
		how = unix.LOCK_SH
	}
	for {
		err = unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &flock{f: f}, nil
}

func (l *flock) unlock() { l.f.Close() }
