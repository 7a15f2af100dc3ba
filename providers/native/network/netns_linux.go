package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// createNetNS makes a new network namespace and bind-mounts it at path,
// so that it lives on without a process in it. It runs on a locked
// thread that unshares its namespace and then returns to the original
// one; a thread that cannot return is never reused.
func createNetNS(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDONLY, 0o444)
	if err != nil {
		return fmt.Errorf("network namespace %s: %w", path, err)
	}
	f.Close()
	errc := make(chan error, 1)
	go func() {
		goruntime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			errc <- err
			goruntime.UnlockOSThread()
			return
		}
		defer orig.Close()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("unshare network namespace: %w", err)
			goruntime.UnlockOSThread()
			return
		}
		err = unix.Mount("/proc/thread-self/ns/net", path, "none", unix.MS_BIND, "")
		if serr := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); serr != nil {
			errc <- errors.Join(err, fmt.Errorf("return to the host namespace: %w", serr))
			return // leave the thread locked: it dies with this goroutine
		}
		goruntime.UnlockOSThread()
		errc <- err
	}()
	if err := <-errc; err != nil {
		os.Remove(path)
		return fmt.Errorf("network namespace %s: %w", path, err)
	}
	return nil
}

// removeNetNS unmounts and removes a namespace file; a missing one is
// fine. The kernel frees the namespace once nothing uses it any more.
func removeNetNS(path string) error {
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && err != unix.EINVAL && err != unix.ENOENT {
		return fmt.Errorf("unmount %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// inNetNS runs fn with the calling thread in the network namespace at
// nsPath ("" runs it where we are). Sockets fn opens, and /proc/sys/net
// files, belong to that namespace.
func inNetNS(nsPath string, fn func() error) error {
	if nsPath == "" {
		return fn()
	}
	errc := make(chan error, 1)
	go func() {
		goruntime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			goruntime.UnlockOSThread()
			errc <- err
			return
		}
		defer orig.Close()
		target, err := os.Open(nsPath)
		if err != nil {
			goruntime.UnlockOSThread()
			errc <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			goruntime.UnlockOSThread()
			errc <- fmt.Errorf("enter %s: %w", nsPath, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- errors.Join(ferr, err) // the thread stays locked and dies
			return
		}
		goruntime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// sysctlPath is the /proc/sys file of a dotted sysctl name.
func sysctlPath(name string) string {
	return "/proc/sys/" + strings.ReplaceAll(name, ".", "/")
}

// readSysctl reads a sysctl of the namespace at nsPath.
func readSysctl(nsPath, name string) (string, error) {
	var val string
	err := inNetNS(nsPath, func() error {
		b, err := os.ReadFile(sysctlPath(name))
		val = strings.TrimSpace(string(b))
		return err
	})
	return val, err
}

// writeSysctl sets a sysctl of the namespace at nsPath.
func writeSysctl(nsPath, name, value string) error {
	return inNetNS(nsPath, func() error {
		return os.WriteFile(sysctlPath(name), []byte(value), 0o644)
	})
}
