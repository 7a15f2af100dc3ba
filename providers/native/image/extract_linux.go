//go:build linux

package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// Whiteout names of the OCI image spec (layer.md, "Whiteouts").
const (
	whiteoutPrefix = ".wh."
	whiteoutOpaque = ".wh..wh..opq"
	overlayOpaque  = "trusted.overlay.opaque"
)

// extractor unpacks one layer's tar stream into a directory.
//
// Safety rests on how paths are resolved, never on string checks: an
// entry's name is split into components, ".." is refused, and the parent
// directory is reached from the layer root's file descriptor one
// component at a time with openat(O_NOFOLLOW|O_DIRECTORY). The kernel so
// guarantees that no symlink (created by an earlier entry) is followed and
// that nothing outside the layer is reached. Every change is then made
// relative to that parent descriptor on the final component only, without
// following it: O_CREAT|O_EXCL for files, mkdirat, symlinkat, linkat
// without AT_SYMLINK_FOLLOW, mknodat, fchownat/utimensat/fchmodat with
// AT_SYMLINK_NOFOLLOW, fd-based fchown/fchmod/fsetxattr where a descriptor
// is open.
type extractor struct {
	root       int  // the layer root
	privileged bool // euid 0: chown, device nodes, trusted.* xattrs
	size       int64
	buf        []byte
	dirs       []dirTimes // set last, once their children are written
}

type dirTimes struct {
	comps []string
	times []unix.Timespec
}

// extractTar unpacks the tar stream r into dir, an existing empty
// directory, in overlayfs form (whiteouts as 0:0 character devices, opaque
// directories marked with trusted.overlay.opaque). It returns the bytes of
// file content written.
func extractTar(r io.Reader, dir string) (int64, error) {
	root, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(root)
	x := &extractor{root: root, privileged: os.Geteuid() == 0, buf: make([]byte, 1<<20)}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("read layer tar: %w", err)
		}
		if err := x.entry(hdr, tr); err != nil {
			return 0, err
		}
	}
	return x.size, x.finish()
}

func (x *extractor) entry(hdr *tar.Header, r io.Reader) error {
	comps, err := splitEntryPath(hdr.Name)
	if err != nil {
		return &UnsafeEntryError{Name: hdr.Name, Reason: err.Error()}
	}
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil
	}
	if hdr.Uid < 0 || hdr.Gid < 0 || int64(hdr.Uid) >= math.MaxUint32 || int64(hdr.Gid) >= math.MaxUint32 {
		return &UnsafeEntryError{Name: hdr.Name, Reason: "owner out of range"}
	}
	if len(comps) == 0 {
		if hdr.Typeflag != tar.TypeDir {
			return &UnsafeEntryError{Name: hdr.Name, Reason: "names the layer root but is not a directory"}
		}
		return x.rootDir(hdr)
	}
	base := comps[len(comps)-1]
	if strings.HasPrefix(base, whiteoutPrefix) {
		return x.whiteout(hdr, comps)
	}
	dir, err := x.openDir(comps[:len(comps)-1], true, hdr.Name)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	return x.create(dir, base, comps, hdr, r)
}

// splitEntryPath turns a tar name into path components relative to the
// layer root: an absolute name is taken as relative to the root, empty and
// "." components are dropped, ".." is refused.
func splitEntryPath(name string) ([]string, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return nil, errors.New("name contains a NUL byte")
	}
	var out []string
	for _, c := range strings.Split(name, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			return nil, errors.New(`path contains ".."`)
		}
		out = append(out, c)
	}
	return out, nil
}

// openDir opens the directory comps below the layer root without following
// any symlink, creating missing directories (0755, root-owned) when create
// is set. The caller closes the descriptor.
func (x *extractor) openDir(comps []string, create bool, entry string) (int, error) {
	fd, err := unix.FcntlInt(uintptr(x.root), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	for i, c := range comps {
		next, err := openChildDir(fd, c)
		if errors.Is(err, unix.ENOENT) && create {
			if err = unix.Mkdirat(fd, c, 0o755); err == nil || errors.Is(err, unix.EEXIST) {
				next, err = openChildDir(fd, c)
			}
		}
		unix.Close(fd)
		switch {
		case errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR):
			return -1, &UnsafeEntryError{Name: entry, Reason: fmt.Sprintf(
				"path goes through %q, which is a symlink or not a directory", strings.Join(comps[:i+1], "/"))}
		case err != nil:
			return -1, fmt.Errorf("layer entry %q: open %s: %w", entry, strings.Join(comps[:i+1], "/"), err)
		}
		fd = next
	}
	return fd, nil
}

func openChildDir(dir int, name string) (int, error) {
	for {
		fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// finish sets directory times, deepest last-written first; a directory
// that a later entry replaced is skipped.
func (x *extractor) finish() error {
	for i := len(x.dirs) - 1; i >= 0; i-- {
		d := x.dirs[i]
		if len(d.comps) == 0 {
			if err := unix.UtimesNanoAt(x.root, ".", d.times, 0); err != nil {
				return fmt.Errorf("set times of layer root: %w", err)
			}
			continue
		}
		dir, err := x.openDir(d.comps[:len(d.comps)-1], false, strings.Join(d.comps, "/"))
		if err != nil {
			continue
		}
		err = unix.UtimesNanoAt(dir, d.comps[len(d.comps)-1], d.times, unix.AT_SYMLINK_NOFOLLOW)
		unix.Close(dir)
		if err != nil && !errors.Is(err, unix.ENOENT) {
			return fmt.Errorf("set times of %s: %w", strings.Join(d.comps, "/"), err)
		}
	}
	return nil
}

// syncFS flushes the filesystem holding dir (one syncfs(2) per layer
// rather than an fsync per file), so that the marker written next never
// describes data still in the page cache.
func syncFS(dir string) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	return unix.Syncfs(fd)
}
