//go:build linux

package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// create makes the entry base in dir, replacing whatever is there unless
// both are directories (then the directory's metadata is updated).
func (x *extractor) create(dir int, base string, comps []string, hdr *tar.Header, r io.Reader) error {
	var st unix.Stat_t
	err := unix.Fstatat(dir, base, &st, unix.AT_SYMLINK_NOFOLLOW)
	exists := err == nil
	if err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("layer entry %q: %w", hdr.Name, err)
	}
	isDir := exists && st.Mode&unix.S_IFMT == unix.S_IFDIR
	if exists && !(hdr.Typeflag == tar.TypeDir && isDir) {
		if err := removeAt(dir, base, isDir); err != nil {
			return fmt.Errorf("layer entry %q: replace: %w", hdr.Name, err)
		}
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		return x.mkdir(dir, base, comps, hdr, isDir)
	case tar.TypeReg, tar.TypeGNUSparse, '\x00':
		return x.writeFile(dir, base, hdr, r)
	case tar.TypeSymlink:
		return x.symlink(dir, base, hdr)
	case tar.TypeLink:
		return x.hardlink(dir, base, hdr)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return x.mknod(dir, base, hdr)
	}
	return &UnsafeEntryError{Name: hdr.Name, Reason: fmt.Sprintf("unsupported entry type %q", hdr.Typeflag)}
}

func (x *extractor) mkdir(dir int, base string, comps []string, hdr *tar.Header, exists bool) error {
	if !exists {
		if err := unix.Mkdirat(dir, base, 0o700); err != nil {
			return fmt.Errorf("layer entry %q: mkdir: %w", hdr.Name, err)
		}
	}
	fd, err := openChildDir(dir, base)
	if err != nil {
		return fmt.Errorf("layer entry %q: open: %w", hdr.Name, err)
	}
	defer unix.Close(fd)
	if err := x.fdMeta(fd, hdr); err != nil {
		return err
	}
	x.deferTimes(comps, hdr)
	return nil
}

func (x *extractor) rootDir(hdr *tar.Header) error {
	if err := x.fdMeta(x.root, hdr); err != nil {
		return err
	}
	x.deferTimes(nil, hdr)
	return nil
}

func (x *extractor) writeFile(dir int, base string, hdr *tar.Header, r io.Reader) error {
	fd, err := unix.Openat(dir, base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("layer entry %q: create: %w", hdr.Name, err)
	}
	f := os.NewFile(uintptr(fd), hdr.Name)
	defer f.Close()
	n, err := io.CopyBuffer(writerOnly{f}, r, x.buf)
	x.size += n
	if err != nil {
		return fmt.Errorf("layer entry %q: %w", hdr.Name, err)
	}
	if err := x.fdMeta(fd, hdr); err != nil {
		return err
	}
	return x.setTimes(dir, base, hdr)
}

// writerOnly hides os.File's ReadFrom so that io.CopyBuffer uses our
// large buffer.
type writerOnly struct{ io.Writer }

func (x *extractor) symlink(dir int, base string, hdr *tar.Header) error {
	if hdr.Linkname == "" {
		return &UnsafeEntryError{Name: hdr.Name, Reason: "symlink without a target"}
	}
	// The target is stored as written: it is resolved later inside the
	// container's root, and never followed here.
	if err := unix.Symlinkat(hdr.Linkname, dir, base); err != nil {
		return fmt.Errorf("layer entry %q: symlink: %w", hdr.Name, err)
	}
	if err := x.pathMeta(dir, base, hdr, true); err != nil {
		return err
	}
	return x.setTimes(dir, base, hdr)
}

// hardlink links base to an earlier entry of this layer. The target must
// be a file of this layer reached without symlinks, and not a symlink that
// leads outside. A hardlink entry's own metadata is ignored: the inode
// already has its target's, and changing it would change the target.
func (x *extractor) hardlink(dir int, base string, hdr *tar.Header) error {
	unsafe := func(reason string) error { return &UnsafeEntryError{Name: hdr.Name, Reason: reason} }
	tcomps, err := splitEntryPath(hdr.Linkname)
	if err != nil {
		return unsafe("hardlink target: " + err.Error())
	}
	if len(tcomps) == 0 {
		return unsafe("hardlink to the layer root")
	}
	tdir, err := x.openDir(tcomps[:len(tcomps)-1], false, hdr.Name)
	if errors.Is(err, unix.ENOENT) {
		return unsafe(fmt.Sprintf("hardlink target %q is not in the layer", hdr.Linkname))
	}
	if err != nil {
		return err
	}
	defer unix.Close(tdir)
	tbase := tcomps[len(tcomps)-1]
	var st unix.Stat_t
	if err := unix.Fstatat(tdir, tbase, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return unsafe(fmt.Sprintf("hardlink target %q is not in the layer", hdr.Linkname))
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return unsafe("hardlink to a directory")
	case unix.S_IFLNK:
		target, err := readlinkAt(tdir, tbase)
		if err != nil {
			return fmt.Errorf("layer entry %q: %w", hdr.Name, err)
		}
		if symlinkEscapes(tcomps[:len(tcomps)-1], target) {
			return unsafe(fmt.Sprintf("hardlink to symlink %q, which points outside the layer (%s)", hdr.Linkname, target))
		}
	}
	if err := unix.Linkat(tdir, tbase, dir, base, 0); err != nil {
		return fmt.Errorf("layer entry %q: link: %w", hdr.Name, err)
	}
	return nil
}

func readlinkAt(dir int, name string) (string, error) {
	buf := make([]byte, unix.PathMax)
	n, err := unix.Readlinkat(dir, name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// symlinkEscapes reports whether a symlink in directory parent with the
// given target leads outside the layer root when read lexically. It is a
// policy check for hardlinks, not a resolver: nothing follows symlinks.
func symlinkEscapes(parent []string, target string) bool {
	if strings.HasPrefix(target, "/") {
		return true
	}
	depth := len(parent)
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

func (x *extractor) mknod(dir int, base string, hdr *tar.Header) error {
	var kind uint32
	switch hdr.Typeflag {
	case tar.TypeChar:
		kind = unix.S_IFCHR
	case tar.TypeBlock:
		kind = unix.S_IFBLK
	default:
		kind = unix.S_IFIFO
	}
	if kind != unix.S_IFIFO && !x.privileged {
		return nil // device nodes only as root, like Docker
	}
	dev := unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))
	if err := unix.Mknodat(dir, base, kind|0o600, int(dev)); err != nil {
		return fmt.Errorf("layer entry %q: mknod: %w", hdr.Name, err)
	}
	if err := x.pathMeta(dir, base, hdr, false); err != nil {
		return err
	}
	return x.setTimes(dir, base, hdr)
}

// whiteout turns ".wh.NAME" into a 0:0 character device NAME and
// ".wh..wh..opq" into trusted.overlay.opaque=y on its directory. A
// whiteout only hides lower layers, so an entry of this layer with the
// same name wins.
func (x *extractor) whiteout(hdr *tar.Header, comps []string) error {
	dir, err := x.openDir(comps[:len(comps)-1], true, hdr.Name)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	base := comps[len(comps)-1]
	if base == whiteoutOpaque {
		if err := unix.Fsetxattr(dir, overlayOpaque, []byte("y"), 0); err != nil {
			return fmt.Errorf("layer entry %q: mark opaque: %w", hdr.Name, err)
		}
		return nil
	}
	target := strings.TrimPrefix(base, whiteoutPrefix)
	if strings.HasPrefix(target, whiteoutPrefix) {
		return nil // other ".wh..wh." names are AUFS metadata
	}
	if target == "" || target == "." || target == ".." {
		return &UnsafeEntryError{Name: hdr.Name, Reason: "whiteout names no file"}
	}
	var st unix.Stat_t
	if err := unix.Fstatat(dir, target, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil {
		return nil
	}
	if err := unix.Mknodat(dir, target, unix.S_IFCHR, 0); err != nil {
		return fmt.Errorf("layer entry %q: whiteout: %w", hdr.Name, err)
	}
	return nil
}
