//go:build linux

package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// mode is the entry's permission bits with setuid, setgid and sticky
// kept, as Docker keeps them.
func mode(hdr *tar.Header) uint32 { return uint32(hdr.Mode) & 0o7777 }

// fdMeta applies owner, mode and xattrs through an open descriptor of the
// entry itself. Owner first: chown clears setuid bits and capabilities.
func (x *extractor) fdMeta(fd int, hdr *tar.Header) error {
	if x.privileged {
		if err := unix.Fchown(fd, hdr.Uid, hdr.Gid); err != nil {
			return fmt.Errorf("layer entry %q: chown: %w", hdr.Name, err)
		}
	}
	if err := unix.Fchmod(fd, mode(hdr)); err != nil {
		return fmt.Errorf("layer entry %q: chmod: %w", hdr.Name, err)
	}
	for _, xa := range x.xattrs(hdr) {
		if err := ignoreUnsupported(unix.Fsetxattr(fd, xa.name, []byte(xa.value), 0)); err != nil {
			return fmt.Errorf("layer entry %q: xattr %s: %w", hdr.Name, xa.name, err)
		}
	}
	return nil
}

// pathMeta applies owner, mode (not to symlinks: Linux has no lchmod) and
// xattrs to base in dir without following it.
func (x *extractor) pathMeta(dir int, base string, hdr *tar.Header, symlink bool) error {
	if x.privileged {
		if err := unix.Fchownat(dir, base, hdr.Uid, hdr.Gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return fmt.Errorf("layer entry %q: chown: %w", hdr.Name, err)
		}
	}
	if !symlink {
		if err := chmodNoFollow(dir, base, mode(hdr)); err != nil {
			return fmt.Errorf("layer entry %q: chmod: %w", hdr.Name, err)
		}
	}
	xas := x.xattrs(hdr)
	if len(xas) == 0 {
		return nil
	}
	// lsetxattr does not follow the last component; the directory is
	// reached through its descriptor's /proc entry.
	p := "/proc/self/fd/" + strconv.Itoa(dir) + "/" + base
	for _, xa := range xas {
		if err := ignoreUnsupported(unix.Lsetxattr(p, xa.name, []byte(xa.value), 0)); err != nil {
			return fmt.Errorf("layer entry %q: xattr %s: %w", hdr.Name, xa.name, err)
		}
	}
	return nil
}

// chmodNoFollow uses fchmodat2(AT_SYMLINK_NOFOLLOW) (Linux 6.6+); older
// kernels get fchmodat after checking the entry is not a symlink, which is
// race-free here because only the extractor writes into the layer.
func chmodNoFollow(dir int, base string, m uint32) error {
	err := unix.Fchmodat(dir, base, m, unix.AT_SYMLINK_NOFOLLOW)
	if !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.ENOSYS) {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstatat(dir, base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return nil
	}
	return unix.Fchmodat(dir, base, m, 0)
}

func ignoreUnsupported(err error) error {
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
		return nil
	}
	return err
}

type xattr struct{ name, value string }

// xattrs lists the entry's extended attributes from its PAX records
// (SCHILY.xattr.*), sorted. overlayfs's own attributes are dropped: only
// the extractor says what is opaque. Unprivileged, only user.* is kept.
func (x *extractor) xattrs(hdr *tar.Header) []xattr {
	var out []xattr
	for k, v := range hdr.PAXRecords {
		name, ok := strings.CutPrefix(k, "SCHILY.xattr.")
		if !ok || strings.HasPrefix(name, "trusted.overlay.") || strings.HasPrefix(name, "user.overlay.") {
			continue
		}
		if !x.privileged && !strings.HasPrefix(name, "user.") {
			continue
		}
		out = append(out, xattr{name, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func entryTimes(hdr *tar.Header) []unix.Timespec {
	if hdr.ModTime.IsZero() {
		return nil
	}
	atime := hdr.AccessTime
	if atime.IsZero() {
		atime = hdr.ModTime
	}
	return []unix.Timespec{unix.NsecToTimespec(atime.UnixNano()), unix.NsecToTimespec(hdr.ModTime.UnixNano())}
}

func (x *extractor) setTimes(dir int, base string, hdr *tar.Header) error {
	ts := entryTimes(hdr)
	if ts == nil {
		return nil
	}
	if err := unix.UtimesNanoAt(dir, base, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("layer entry %q: set times: %w", hdr.Name, err)
	}
	return nil
}

func (x *extractor) deferTimes(comps []string, hdr *tar.Header) {
	if ts := entryTimes(hdr); ts != nil {
		x.dirs = append(x.dirs, dirTimes{comps: comps, times: ts})
	}
}

// removeAt removes name from dir, recursively when it is a directory,
// never following a symlink.
func removeAt(dir int, name string, isDir bool) error {
	if !isDir {
		return unix.Unlinkat(dir, name, 0)
	}
	fd, err := openChildDir(dir, name)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), name)
	names, err := f.Readdirnames(-1)
	if err == nil {
		for _, n := range names {
			var st unix.Stat_t
			if err = unix.Fstatat(fd, n, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				break
			}
			if err = removeAt(fd, n, st.Mode&unix.S_IFMT == unix.S_IFDIR); err != nil {
				break
			}
		}
	}
	f.Close()
	if err != nil {
		return err
	}
	return unix.Unlinkat(dir, name, unix.AT_REMOVEDIR)
}
