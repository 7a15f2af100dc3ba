//go:build cgo

package runtime

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

var errNotDir = errors.New("not a directory")

// CopyFrom copies src in the container (a file, directory, symlink or
// FIFO) to dst on the host, as docker cp does: into dst when it is a
// directory, else to dst, whose parent must exist. src ending in "/." copies
// a directory's contents into dst. Modes and times are kept; what is made
// belongs to the caller.
//
// src is resolved inside the container's root: its symlinks, however
// absolute or full of "..", stay inside the container (openat2's
// RESOLVE_IN_ROOT, or a safe emulation), and the tree is read one
// component at a time without following any symlink, so nothing outside
// the container can be read. A running container is reached through its
// init's /proc/PID/root (its mounts included); a stopped one through its
// root filesystem.
func (r *Runtime) CopyFrom(id, src, dst string) error {
	root, err := r.containerRoot(id)
	if err != nil {
		return err
	}
	defer root.Close()
	from, err := openSource(root, src, func(p string) (*os.File, error) { return pathrs.OpenatInRoot(root, p) })
	if err != nil {
		return fmt.Errorf("%s in container: %w", src, err)
	}
	defer from.close()
	open := func(p string) (*os.File, error) { return os.OpenFile(p, unix.O_PATH|unix.O_CLOEXEC, 0) }
	return (&copier{}).to(from, src, filepath.Clean(dst), strings.HasSuffix(dst, "/"), open)
}

// CopyTo copies src on the host to dst in the container, as docker cp
// does (see CopyFrom); what is made belongs to the container's root user.
// dst is resolved inside the container's root, and everything is created
// relative to the descriptor of a directory inside it without following
// any symlink, so nothing outside the container can be written.
func (r *Runtime) CopyTo(id, src, dst string) error {
	root, err := r.containerRoot(id)
	if err != nil {
		return err
	}
	defer root.Close()
	from, err := openSource(nil, src, func(p string) (*os.File, error) {
		return os.OpenFile(p, unix.O_PATH|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return err
	}
	defer from.close()
	open := func(p string) (*os.File, error) { return pathrs.OpenatInRoot(root, p) }
	c := &copier{owner: &[2]int{0, 0}}
	if err := c.to(from, src, path.Clean("/"+dst), strings.HasSuffix(dst, "/"), open); err != nil {
		return fmt.Errorf("in container: %w", err)
	}
	return nil
}

// containerRoot opens the container's root directory (O_PATH): through
// its init's /proc entry while it runs, else its rootfs, mounted again
// when a foreground run took it off.
func (r *Runtime) containerRoot(id string) (*os.File, error) {
	st, err := r.Status(id)
	if err != nil {
		return nil, err
	}
	p := filepath.Join(r.dir(id), rootfsDir)
	if st.State == StateRunning && st.Pid > 0 {
		p = "/proc/" + strconv.Itoa(st.Pid) + "/root"
	} else if err := mountRootfs(r.dir(id), st.Spec.LowerDirs); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("root of container %s: %w", id, err)
	}
	return f, nil
}

// openSource opens what to copy: its parent resolved by resolve, the
// last component itself not followed (a symlink is copied as one),
// unless p ends in "/" or "/.", which resolves it entirely. nil root
// means host paths.
func openSource(root *os.File, p string, resolve func(string) (*os.File, error)) (*entry, error) {
	follow := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.")
	clean := path.Clean(p)
	if root != nil {
		clean = path.Clean("/" + p)
	}
	parent, base := path.Split(clean)
	if follow || base == "" || base == "." || base == ".." || clean == "/" {
		f, err := resolve(clean)
		if err != nil {
			return nil, err
		}
		e, err := statEntry(f)
		if err == nil && follow && !e.isDir() {
			e.close()
			return nil, errNotDir
		}
		return e, err
	}
	if parent == "" {
		parent = "."
	}
	dir, err := resolve(parent)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	return openEntry(dir, base)
}

// to copies from to dst by docker cp's rules, opening (and following)
// paths on dst's side with open:
//   - dst is a directory: into it, under the source's name; a source
//     ending in "/." has its contents copied into dst itself;
//   - dst is something else: replaced, unless the source is a directory;
//   - dst does not exist: made, in its parent, which must exist; a dst
//     ending in "/" must end up a directory.
func (c *copier) to(from *entry, src, dst string, dstIsDir bool, open func(string) (*os.File, error)) error {
	d, err := open(dst)
	switch {
	case err == nil:
		e, err := statEntry(d)
		if err != nil {
			return err
		}
		defer e.close()
		if e.isDir() {
			if strings.HasSuffix(src, "/.") {
				return c.contents(from, e.f, dst)
			}
			return c.into(from, e.f, path.Base(path.Clean("/"+src)), path.Join(dst, path.Base(src)))
		}
		if from.isDir() {
			return fmt.Errorf("cannot copy directory %s onto %s, which is not a directory", src, dst)
		}
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: %w", dst, err)
	case dstIsDir && !from.isDir():
		return fmt.Errorf("directory %s does not exist", dst)
	}
	parent, err := open(filepath.Dir(dst))
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Dir(dst), err)
	}
	defer parent.Close()
	return c.into(from, parent, filepath.Base(dst), dst)
}

// into copies from to name in the directory open as dir (O_PATH).
func (c *copier) into(from *entry, dir *os.File, name, rel string) error {
	if name == "/" || name == "." || name == ".." {
		return fmt.Errorf("%s: cannot copy to %q", rel, name)
	}
	d, err := pathrs.Reopen(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Dir(rel), err)
	}
	defer d.Close()
	return c.copy(from, d, name, rel)
}

// contents copies what the directory from holds into dir.
func (c *copier) contents(from *entry, dir *os.File, rel string) error {
	return eachChild(from, func(child *entry, n string) error {
		return c.into(child, dir, n, path.Join(rel, n))
	})
}
