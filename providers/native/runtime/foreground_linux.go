//go:build cgo

package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/opencontainers/runc/libcontainer/seccomp"
	"golang.org/x/sys/unix"
)

// RunForeground runs a container in the calling process, without a
// supervisor, like docker run without -d: it creates the container with
// the same hardening as Create, runs the main process with its standard
// streams connected to fio, forwards fio.Signals to it, waits for it and
// returns its exit code (128+N when killed by signal N).
//
// While it runs, the container is listed by Status and List as running
// (the calling process holds the supervisor lock), and Stop, Kill and
// Remove with force work on it through the control socket. Cancelling
// ctx kills it.
//
// Afterwards its cgroups, libcontainer state and rootfs mount are gone.
// With Spec.AutoRemove so is everything else; otherwise a record stays
// that Status reports as exited with the exit code (the output went to
// fio: no logs are kept), and that Start can run again under a
// supervisor.
//
// A command that cannot be found or executed returns 127 or 126 and an
// *ExecError (the record, without AutoRemove, says so); any other failure
// to start returns -1 and the error, and leaves nothing behind. A
// container that ran but could not be cleaned up after returns its exit
// code with the error.
func (r *Runtime) RunForeground(ctx context.Context, s Spec, fio ForegroundIO) (int, error) {
	if !seccomp.Enabled {
		return -1, ErrNoSeccomp
	}
	PrimeStart()
	s.Tty = fio.Tty
	s, err := s.withDefaults()
	if err != nil {
		return -1, err
	}
	dir := r.dir(s.ID)
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, os.ErrExist) {
			return -1, fmt.Errorf("%w: %s", ErrExists, s.ID)
		}
		return -1, fmt.Errorf("create container %s: %w", s.ID, err)
	}
	f := &foreground{dir: dir, spec: s, fio: fio, stops: make(chan time.Duration, 4), done: make(chan struct{})}
	if err := f.start(); err != nil {
		return f.startFailed(err)
	}
	code := f.wait(ctx)
	return code, f.finish(code)
}

// foreground is one container run by RunForeground.
type foreground struct {
	dir  string
	spec Spec
	fio  ForegroundIO
	lock *os.File // the supervisor lock, held until the end
	mu   sync.Mutex
	st   Status // guarded by mu
	run  *run
	io   *foregroundStreams
	// detached is closed once the host's mount of the rootfs is gone
	// (unmounted: nothing of the container is mounted on the host).
	detached  chan struct{}
	unmounted bool
	ctl       *foregroundControl
	stops     chan time.Duration // stop requests from the control socket
	done      chan struct{}      // closed once finished and recorded
}

// start makes the container and starts its main process.
func (f *foreground) start() error {
	var err error
	if f.lock, err = lockSupervisor(f.dir); err != nil {
		return err
	}
	now := time.Now().UTC()
	f.st = Status{ID: f.spec.ID, Name: f.spec.Name, Labels: f.spec.Labels, State: StateCreated, CreatedAt: now, Spec: f.spec}
	if err := writeJSONQuick(filepath.Join(f.dir, configFile), f.spec); err != nil {
		return err
	}
	if err := f.save(); err != nil {
		return err
	}
	if err := writeEtcFiles(f.dir, f.spec); err != nil {
		return fmt.Errorf("write /etc files: %w", err)
	}
	if f.run, err = newRun(f.dir, f.spec); err != nil {
		return err
	}
	if f.io, err = attachForeground(f.run.p, f.fio); err != nil {
		_ = f.run.c.Destroy()
		return err
	}
	if err := f.run.runProcess(f.run.p); err != nil {
		f.io.close()
		_ = f.run.c.Destroy()
		return classifyStartError(f.spec.Args, fmt.Errorf("start %s: %w", strings.Join(f.spec.Args, " "), err))
	}
	f.run.started = time.Now()
	f.run.pid, _ = f.run.p.Pid()
	go f.reap()
	f.detachRootfs()
	if err := f.io.started(); err != nil {
		_ = f.run.signal(unix.SIGKILL)
	}
	f.ctl = listenForeground(f)
	f.mu.Lock()
	f.st.State, f.st.Pid, f.st.StartedAt = StateRunning, f.run.pid, f.run.started.UTC()
	f.mu.Unlock()
	// The process runs: a record that failed to say so is no reason to
	// kill it, and the record at the end is written anyway.
	_ = f.save()
	return nil
}

// detachRootfs takes the rootfs off the host in the background, now
// that the container has its own mount of it (its init has pivoted into
// it): the container runs on, and the unmount, which can wait for an RCU
// grace period, is done by the time it exits instead of after.
func (f *foreground) detachRootfs() {
	f.detached = make(chan struct{})
	go func() {
		defer close(f.detached)
		err := unix.Unmount(filepath.Join(f.dir, rootfsDir), unix.MNT_DETACH|unix.UMOUNT_NOFOLLOW)
		f.unmounted = err == nil || errors.Is(err, unix.EINVAL)
	}()
}

// reap waits for the main process and records its exit.
func (f *foreground) reap() {
	ps, err := f.run.p.Wait()
	f.run.exitCode = exitStatus(ps, err)
	f.run.finished = time.Now()
	close(f.run.done)
}

// wait serves signals, stop requests and ctx until the main process has
// exited, then waits for its output to drain.
func (f *foreground) wait(ctx context.Context) int {
	k := &stopper{r: f.run, sig: f.stopSignal(), kill: make(chan struct{}, 1)}
	defer k.cancel()
	ctxDone := ctx.Done()
	for {
		select {
		case <-f.run.done:
			f.io.drain(2 * time.Second)
			return f.run.exitCode
		case sig := <-f.fio.Signals:
			_ = f.run.signal(toSyscallSignal(sig))
		case grace := <-f.stops:
			k.stop(grace)
		case <-k.kill:
			_ = f.run.signal(unix.SIGKILL)
		case <-ctxDone:
			ctxDone = nil
			_ = f.run.signal(unix.SIGKILL)
		}
	}
}

func (f *foreground) stopSignal() unix.Signal {
	if sig, err := ParseSignal(f.spec.StopSignal); err == nil {
		return sig
	}
	return unix.SIGTERM
}

// finish releases the container's cgroups, state and mounts, then
// removes it (AutoRemove) or records its exit, and lets go of the lock.
func (f *foreground) finish(code int) error {
	defer f.release()
	f.io.close()
	<-f.detached
	err := f.run.c.Destroy()
	if f.spec.AutoRemove {
		return errors.Join(err, f.remove())
	}
	if !f.unmounted {
		if uerr := unmountAll(f.dir); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}
	f.mu.Lock()
	f.st.State, f.st.Pid, f.st.ExitCode, f.st.FinishedAt = StateExited, 0, code, f.run.finished.UTC()
	werr := writeStatus(f.dir, &f.st)
	f.mu.Unlock()
	if werr != nil {
		err = errors.Join(err, werr)
	}
	if err != nil {
		return fmt.Errorf("clean up container %s: %w", f.spec.ID, err)
	}
	return nil
}

// startFailed cleans up after a failed start. A command that could not
// be run leaves a record (without AutoRemove), as Docker does; anything
// else leaves nothing.
func (f *foreground) startFailed(err error) (int, error) {
	defer f.release()
	var ee *ExecError
	if !errors.As(err, &ee) || f.spec.AutoRemove {
		if rerr := f.remove(); rerr != nil {
			err = errors.Join(err, rerr)
		}
		if ee != nil {
			return ee.ExitCode(), err
		}
		return -1, fmt.Errorf("create container %s: %w", f.spec.ID, err)
	}
	_ = unmountAll(f.dir)
	now := time.Now().UTC()
	f.st.State, f.st.ExitCode, f.st.Error, f.st.StartedAt, f.st.FinishedAt = StateExited, ee.ExitCode(), ee.Error(), now, now
	if werr := writeStatus(f.dir, &f.st); werr != nil {
		return ee.ExitCode(), errors.Join(err, werr)
	}
	return ee.ExitCode(), err
}

// remove deletes the container's mounts and directory.
func (f *foreground) remove() error {
	if !f.unmounted {
		if err := unmountAll(f.dir); err != nil {
			return err
		}
	}
	return os.RemoveAll(f.dir)
}

// release answers pending stop requests and drops the supervisor lock.
func (f *foreground) release() {
	close(f.done)
	if f.ctl != nil {
		f.ctl.close()
	}
	if f.lock != nil {
		f.lock.Close()
	}
}

// save records f.st. A foreground container's record lives as long as
// the run and is rewritten at its end (durably, when it is kept), so the
// records on the way need no fsync.
func (f *foreground) save() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return writeJSONQuick(filepath.Join(f.dir, statusFile), &f.st)
}

// writeJSONQuick writes v as JSON through a temporary file and a rename,
// so that readers never see half a file, without fsync.
func writeJSONQuick(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func toSyscallSignal(sig os.Signal) unix.Signal {
	if s, ok := sig.(unix.Signal); ok {
		return s
	}
	return unix.SIGTERM
}
