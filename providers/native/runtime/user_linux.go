//go:build cgo

package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cyphar/filepath-securejoin/pathrs-lite"
	"github.com/moby/sys/user"
	"golang.org/x/sys/unix"
)

// execUser is the resolved identity of the container's processes.
type execUser struct {
	uid, gid int
	groups   []int
	home     string
}

const maxUserDBSize = 4 << 20

// lookupUser resolves spec ("", "name", "uid", "name:group", "uid:gid")
// against the image's /etc/passwd and /etc/group, read inside rootfs
// without following any link out of it.
func lookupUser(rootfs, spec string) (execUser, error) {
	passwd, closePasswd := openUserDB(rootfs, "/etc/passwd")
	defer closePasswd()
	group, closeGroup := openUserDB(rootfs, "/etc/group")
	defer closeGroup()
	eu, err := user.GetExecUser(spec, &user.ExecUser{Home: "/"}, passwd, group)
	if err != nil {
		return execUser{}, fmt.Errorf("user %q: %w", spec, err)
	}
	return execUser{uid: eu.Uid, gid: eu.Gid, groups: eu.Sgids, home: eu.Home}, nil
}

// openUserDB opens a regular file inside rootfs; nil when there is none.
func openUserDB(rootfs, path string) (io.Reader, func()) {
	noop := func() {}
	h, err := pathrs.OpenInRoot(rootfs, path)
	if err != nil {
		return nil, noop
	}
	defer h.Close()
	f, err := pathrs.Reopen(h, unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return nil, noop
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, noop
	}
	return io.LimitReader(f, maxUserDBSize), func() { f.Close() }
}

// ensureWorkdir creates the working directory inside rootfs, owned by
// the container's user, when the image lacks it (as Docker does).
func ensureWorkdir(rootfs, wd string, u execUser) error {
	if h, err := pathrs.OpenInRoot(rootfs, wd); err == nil {
		h.Close()
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("working directory %s: %w", wd, err)
	}
	root, err := os.OpenFile(filepath.Clean(rootfs), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer root.Close()
	h, err := pathrs.MkdirAllHandle(root, wd, 0o755)
	if err != nil {
		return fmt.Errorf("create working directory %s: %w", wd, err)
	}
	defer h.Close()
	return unix.Fchownat(int(h.Fd()), "", u.uid, u.gid, unix.AT_EMPTY_PATH)
}
