package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// LockInfo says who holds a lock; it is written beside the state as
// <state>.lock.info.
type LockInfo struct {
	ID        string
	Operation string // the command, e.g. "berth apply"
	Who       string // user@host
	PID       int
	Host      string
	Created   time.Time
	Version   string
	Path      string
}

// Lock is a held lock: an open descriptor of <state>.lock carrying an
// exclusive flock(2). The kernel drops it when the process dies, so a
// crashed holder never leaves the state locked.
type Lock struct {
	Info LockInfo

	mu       sync.Mutex
	f        *os.File // nil once unlocked
	infoPath string
}

// LockPath and LockInfoPath are the files of the lock beside the state.
func (s *Store) LockPath() string     { return s.Path + ".lock" }
func (s *Store) LockInfoPath() string { return s.Path + ".lock.info" }

// Lock takes the lock for the whole operation (e.g. "berth apply"). While
// another holder has it, Lock retries every 50-250ms until timeout has
// passed (0: one try) or ctx is done, and then returns a *LockError naming
// the holder. A second Lock in the same process fails as well.
func (s *Store) Lock(ctx context.Context, operation string, timeout time.Duration) (*Lock, error) {
	if err := s.checkDir(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	wait := 50 * time.Millisecond
	for {
		l, err := s.tryLock(operation)
		if !errors.Is(err, ErrLocked) {
			return l, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, s.lockError()
		}
		t := time.NewTimer(min(wait/2+rand.N(wait/2), left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, s.lockError()
		case <-t.C:
		}
		wait = min(2*wait, 250*time.Millisecond)
	}
}

func (s *Store) checkDir() error {
	dir := filepath.Dir(s.Path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot lock state %s: directory %s does not exist", s.Path, dir)
	case err != nil:
		return fmt.Errorf("cannot lock state %s: %w", s.Path, err)
	case !info.IsDir():
		return fmt.Errorf("cannot lock state %s: %s is not a directory", s.Path, dir)
	}
	return nil
}

// tryLock makes one attempt; ErrLocked means someone else holds the lock.
func (s *Store) tryLock(operation string) (*Lock, error) {
	f, err := s.openLocked()
	if err != nil {
		return nil, err
	}
	info := newLockInfo(operation, s.Path)
	data, _ := json.MarshalIndent(info, "", "  ")
	if err := writeInfo(s.LockInfoPath(), append(data, '\n')); err != nil {
		unflock(f)
		f.Close()
		return nil, fmt.Errorf("write lock info %s: %w", s.LockInfoPath(), err)
	}
	return &Lock{Info: info, f: f, infoPath: s.LockInfoPath()}, nil
}

// openLocked opens the lock file and flocks it. A force-unlock may unlink
// the file between open and flock; a lock on an unlinked file guards
// nothing, so then it tries again with the new file.
func (s *Store) openLocked() (*os.File, error) {
	path := s.LockPath()
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open lock file: %w", err)
		}
		if err := tryFlock(f); err != nil {
			f.Close()
			return nil, err
		}
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return f, nil
		}
		unflock(f)
		f.Close()
	}
	return nil, ErrLocked
}

func newLockInfo(operation, path string) LockInfo {
	host, _ := os.Hostname()
	who := strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return LockInfo{
		ID:        uuid.NewString(),
		Operation: operation,
		Who:       who + "@" + host,
		PID:       os.Getpid(),
		Host:      host,
		Created:   time.Now().UTC().Truncate(time.Millisecond),
		Version:   BerthVersion,
		Path:      path,
	}
}

// lockError describes the current holder from its lock info, as far as
// that file can be read.
func (s *Store) lockError() *LockError {
	info, err := readLockInfo(s.LockInfoPath())
	if err != nil {
		info = LockInfo{Path: s.Path}
	}
	return &LockError{Holder: info}
}

func readLockInfo(path string) (LockInfo, error) {
	var info LockInfo
	data, err := os.ReadFile(path)
	if err != nil {
		return info, err
	}
	if err := json.Unmarshal(data, &info); err != nil {
		return info, fmt.Errorf("lock info %s: %w", path, err)
	}
	return info, nil
}

// Unlock releases the lock: it removes the lock info (unless a force-unlock
// already gave the lock to someone else), then drops the flock. Calling it
// again does nothing.
func (l *Lock) Unlock() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	var errs []error
	if info, err := readLockInfo(l.infoPath); err == nil && info.ID == l.Info.ID {
		if err := os.Remove(l.infoPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, unflock(l.f), l.f.Close())
	l.f = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("unlock state: %w", err)
	}
	return nil
}

// ForceUnlock removes the lock whose ID is id, whoever holds it. flock
// cannot be broken from outside, so it removes the lock file as well as
// the lock info: the next Lock creates a fresh file and succeeds. A holder
// that is still running keeps its flock on the unlinked file and no longer
// excludes anyone — that is what forcing means; use it only when the
// holder is gone.
func (s *Store) ForceUnlock(id string) error {
	info, err := readLockInfo(s.LockInfoPath())
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state %s is not locked: no %s: %w", s.Path, s.LockInfoPath(), ErrNotLocked)
	}
	if err != nil {
		return fmt.Errorf("cannot force-unlock: %w; if no berth is running, remove %s and %s by hand",
			err, s.LockInfoPath(), s.LockPath())
	}
	if info.ID != id {
		return fmt.Errorf("cannot force-unlock: the lock on %s has ID %s, not %s", s.Path, info.ID, id)
	}
	for _, p := range []string{s.LockInfoPath(), s.LockPath()} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("force-unlock: %w", err)
		}
	}
	return nil
}
