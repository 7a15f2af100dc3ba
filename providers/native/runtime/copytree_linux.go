//go:build cgo

package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"

	"github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

// copier copies a tree from one place to another one component at a
// time: every entry is opened with O_NOFOLLOW relative to its parent's
// file descriptor, and everything is created with the *at calls relative
// to the destination directory's descriptor. No path is ever resolved
// again after its first component, so a symlink on either side (even one
// swapped in meanwhile by a running container) is copied as a link and
// never followed, neither to read nor to write.
//
// Regular files, directories, symlinks and FIFOs are copied with their
// mode and times; device nodes and sockets are skipped.
type copier struct {
	// owner, when set, is the UID and GID given to everything created
	// (0:0 into a container, as docker cp does); else the caller's.
	owner *[2]int
}

// entry is an open O_PATH descriptor of something to copy, and its stat.
type entry struct {
	f  *os.File
	st unix.Stat_t
}

// openEntry opens name in dir without following it.
func openEntry(dir *os.File, name string) (*entry, error) {
	fd, err := unix.Openat(int(dir.Fd()), name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	return statEntry(os.NewFile(uintptr(fd), name))
}

func statEntry(f *os.File) (*entry, error) {
	e := &entry{f: f}
	if err := unix.Fstat(int(f.Fd()), &e.st); err != nil {
		f.Close()
		return nil, &os.PathError{Op: "stat", Path: f.Name(), Err: err}
	}
	return e, nil
}

func (e *entry) close()      { e.f.Close() }
func (e *entry) isDir() bool { return e.st.Mode&unix.S_IFMT == unix.S_IFDIR }

// copy copies src to name in dst; rel names it in errors.
func (c *copier) copy(src *entry, dst *os.File, name, rel string) error {
	var err error
	switch src.st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		err = c.file(src, dst, name)
	case unix.S_IFDIR:
		err = c.dir(src, dst, name, rel)
	case unix.S_IFLNK:
		err = c.link(src, dst, name)
	case unix.S_IFIFO:
		err = c.fifo(src, dst, name)
	default:
		return nil // device or socket
	}
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	return nil
}

// file copies a regular file's contents and attributes.
func (c *copier) file(src *entry, dst *os.File, name string) error {
	in, err := pathrs.Reopen(src.f, unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := c.replace(dst, name); err != nil {
		return err
	}
	fd, err := unix.Openat(int(dst.Fd()), name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return err
	}
	out := os.NewFile(uintptr(fd), name)
	_, err = io.Copy(out, in)
	if err == nil {
		err = c.attributes(src, out)
	}
	return errors.Join(err, out.Close())
}

// dir creates (or reuses) the directory, copies its contents, then sets
// its attributes.
func (c *copier) dir(src *entry, dst *os.File, name, rel string) error {
	if err := unix.Mkdirat(int(dst.Fd()), name, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
		return err
	}
	fd, err := unix.Openat(int(dst.Fd()), name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("%w (something other than a directory is in the way)", err)
	}
	out := os.NewFile(uintptr(fd), name)
	defer out.Close()
	err = eachChild(src, func(child *entry, n string) error {
		return c.copy(child, out, n, path.Join(rel, n))
	})
	if err != nil {
		return err
	}
	return c.attributes(src, out)
}

// eachChild calls fn on every entry of the directory dir, each opened
// with openEntry (never following a symlink) and closed after; entries
// removed meanwhile are skipped.
func eachChild(dir *entry, fn func(child *entry, name string) error) error {
	in, err := pathrs.Reopen(dir.f, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return err
	}
	defer in.Close()
	names, err := in.Readdirnames(-1)
	if err != nil {
		return err
	}
	for _, n := range names {
		child, err := openEntry(in, n)
		if errors.Is(err, os.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return err
		}
		err = fn(child, n)
		child.close()
		if err != nil {
			return err
		}
	}
	return nil
}

// link recreates a symlink with the same target, never following it.
func (c *copier) link(src *entry, dst *os.File, name string) error {
	buf := make([]byte, unix.PathMax)
	n, err := unix.Readlinkat(int(src.f.Fd()), "", buf)
	if err != nil {
		return err
	}
	if err := c.replace(dst, name); err != nil {
		return err
	}
	dfd := int(dst.Fd())
	if err := unix.Symlinkat(string(buf[:n]), dfd, name); err != nil {
		return err
	}
	if c.owner != nil {
		if err := unix.Fchownat(dfd, name, c.owner[0], c.owner[1], unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
	}
	return unix.UtimesNanoAt(dfd, name, []unix.Timespec{src.st.Atim, src.st.Mtim}, unix.AT_SYMLINK_NOFOLLOW)
}

// fifo creates a named pipe.
func (c *copier) fifo(src *entry, dst *os.File, name string) error {
	if err := c.replace(dst, name); err != nil {
		return err
	}
	if err := unix.Mkfifoat(int(dst.Fd()), name, 0o600); err != nil {
		return err
	}
	made, err := openEntry(dst, name)
	if err != nil {
		return err
	}
	defer made.close()
	if made.st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return errors.New("replaced while being created")
	}
	return c.attributes(src, made.f)
}

// replace removes what is at name unless it is a directory (which a
// non-directory cannot replace).
func (c *copier) replace(dst *os.File, name string) error {
	var st unix.Stat_t
	err := unix.Fstatat(int(dst.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
	switch {
	case errors.Is(err, unix.ENOENT):
		return nil
	case err != nil:
		return err
	case st.Mode&unix.S_IFMT == unix.S_IFDIR:
		return errors.New("a directory is in the way")
	}
	return unix.Unlinkat(int(dst.Fd()), name, 0)
}

// attributes gives the object open as f (never a symlink) the owner,
// mode and times of src: through the descriptor, so that nothing swapped
// in at its name meanwhile is touched. The owner goes first, since a
// chown clears the set-user-ID bits.
func (c *copier) attributes(src *entry, f *os.File) error {
	fd := int(f.Fd())
	if c.owner != nil {
		if err := unix.Fchownat(fd, "", c.owner[0], c.owner[1], unix.AT_EMPTY_PATH); err != nil {
			return err
		}
	}
	self := "/proc/self/fd/" + strconv.Itoa(fd)
	if err := unix.Fchmodat(unix.AT_FDCWD, self, src.st.Mode&0o7777, 0); err != nil {
		return err
	}
	return unix.UtimesNanoAt(unix.AT_FDCWD, self, []unix.Timespec{src.st.Atim, src.st.Mtim}, 0)
}
