//go:build cgo

package runtime

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"
)

// mountRootfs mounts the container's overlay on <dir>/rootfs unless it is
// mounted already (after a host reboot it is not).
func mountRootfs(dir string, lowers []string) error {
	target := filepath.Join(dir, rootfsDir)
	upper, work := filepath.Join(dir, upperDir), filepath.Join(dir, workDir)
	for _, d := range []string{target, upper, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if mounted, err := mountinfo.Mounted(target); err != nil || mounted {
		return err
	}
	layers := slices.Clone(lowers)
	if len(layers) == 0 {
		empty := filepath.Join(dir, emptyDir)
		if err := os.MkdirAll(empty, 0o755); err != nil {
			return err
		}
		layers = []string{empty}
	}
	slices.Reverse(layers) // overlay wants the topmost layer first
	opts := "lowerdir=" + strings.Join(layers, ":") + ",upperdir=" + upper + ",workdir=" + work
	if overlayHasIndex() {
		opts += ",index=off"
	}
	if len(opts) < os.Getpagesize()-1 {
		if err := unix.Mount("overlay", target, "overlay", 0, opts); err != nil {
			return fmt.Errorf("mount overlay rootfs on %s: %w", target, err)
		}
		return nil
	}
	if err := mountOverlayFsconfig(target, layers, upper, work); err != nil {
		return fmt.Errorf("mount overlay rootfs on %s (%d layers, with lowerdir+): %w", target, len(layers), err)
	}
	return nil
}

// overlayHasIndex: the kernel knows the index option (turned off, so that
// layers can be shared by any number of mounts as Docker does).
func overlayHasIndex() bool {
	_, err := os.Stat("/sys/module/overlay/parameters/index")
	return err == nil
}

// mountOverlayFsconfig mounts an overlay whose options exceed a page,
// adding layers one by one (lowerdir+, Linux 6.8).
func mountOverlayFsconfig(target string, layers []string, upper, work string) error {
	fsfd, err := unix.Fsopen("overlay", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return err
	}
	defer unix.Close(fsfd)
	for _, l := range layers {
		if err := unix.FsconfigSetString(fsfd, "lowerdir+", l); err != nil {
			return err
		}
	}
	if err := unix.FsconfigSetString(fsfd, "upperdir", upper); err != nil {
		return err
	}
	if err := unix.FsconfigSetString(fsfd, "workdir", work); err != nil {
		return err
	}
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return err
	}
	mfd, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(mfd)
	return unix.MoveMount(mfd, "", unix.AT_FDCWD, target, unix.MOVE_MOUNT_F_EMPTY_PATH)
}

// unmountAll unmounts everything mounted at or below dir, deepest first,
// and fails if anything is left: dir may then be removed safely.
func unmountAll(dir string) error {
	for range 3 {
		mounts, err := mountinfo.GetMounts(mountinfo.PrefixFilter(dir))
		if err != nil {
			return err
		}
		if len(mounts) == 0 {
			return nil
		}
		slices.SortFunc(mounts, func(a, b *mountinfo.Info) int { return len(b.Mountpoint) - len(a.Mountpoint) })
		for _, m := range mounts {
			unmount(m.Mountpoint)
		}
	}
	mounts, err := mountinfo.GetMounts(mountinfo.PrefixFilter(dir))
	if err == nil && len(mounts) > 0 {
		err = fmt.Errorf("%s is still mounted", mounts[0].Mountpoint)
	}
	return err
}

// unmount tries a plain unmount a few times, then detaches.
func unmount(path string) {
	for range 5 {
		err := unix.Unmount(path, unix.UMOUNT_NOFOLLOW)
		if err == nil || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOENT) {
			return
		}
		if !errors.Is(err, unix.EBUSY) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = unix.Unmount(path, unix.MNT_DETACH|unix.UMOUNT_NOFOLLOW)
}
