//go:build cgo

package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/opencontainers/cgroups"
	"github.com/opencontainers/cgroups/manager"
	"golang.org/x/sys/unix"
)

// Stop sends the stop signal, waits up to timeout (<= 0: the spec's
// StopTimeout) and then kills the container; the restart policy does
// not bring it back. It returns once the supervisor has recorded the
// exit and gone. Stopping a stopped container does nothing.
func (r *Runtime) Stop(ctx context.Context, id string, timeout time.Duration) error {
	st, err := r.Status(id)
	if err != nil {
		return err
	}
	if timeout <= 0 {
		timeout = st.Spec.StopTimeout
	}
	return r.stop(ctx, id, timeout)
}

// stop asks the supervisor to stop (grace 0: SIGKILL at once) and waits
// for it to go; a dead container's leftovers are reaped instead.
func (r *Runtime) stop(ctx context.Context, id string, grace time.Duration) error {
	dir := r.dir(id)
	alive, err := supervisorAlive(dir)
	if err != nil {
		return err
	}
	if alive {
		err = callSupervisor(ctx, dir, controlRequest{Op: opStop, Timeout: grace})
		if errors.Is(err, errSupervisorGone) {
			err = nil
		}
		// Past the grace period the container gets SIGKILL; a container
		// still there long after that is stuck in the kernel, and waiting
		// longer helps nobody (Remove then kills the supervisor).
		wctx, cancel := context.WithTimeout(ctx, grace+killedWithin)
		werr := waitSupervisorGone(wctx, dir)
		cancel()
		if werr != nil && ctx.Err() == nil {
			werr = fmt.Errorf("it has not exited %s after SIGKILL; its supervisor's log: %s", killedWithin, filepath.Join(dir, supervisorLog))
		}
		if werr != nil {
			return fmt.Errorf("stop container %s: %w", id, errors.Join(err, werr))
		}
	}
	st, serr := r.Status(id)
	if serr == nil && st.State == StateDead {
		r.reap(id)
		st.State, st.Stopped, st.FinishedAt = StateExited, true, time.Now().UTC()
		return writeStatus(dir, st)
	}
	return nil
}

// killedWithin is how long after SIGKILL a container may take to be gone
// before Stop gives up on it.
var killedWithin = 30 * time.Second

// waitSupervisorGone polls the supervisor lock until it is free.
func waitSupervisorGone(ctx context.Context, dir string) error {
	for {
		alive, err := supervisorAlive(dir)
		if err != nil || !alive {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Kill sends sig to the container's main process. SIGKILL and the stop
// signal also keep the restart policy from restarting it (as in Docker).
func (r *Runtime) Kill(id string, sig syscall.Signal) error {
	dir := r.dir(id)
	if _, err := r.Status(id); err != nil {
		return err
	}
	alive, err := supervisorAlive(dir)
	if err != nil {
		return err
	}
	if !alive {
		return fmt.Errorf("%w: %s", ErrNotRunning, id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := callSupervisor(ctx, dir, controlRequest{Op: opKill, Signal: sig}); err != nil {
		if errors.Is(err, ErrNotRunning) || errors.Is(err, errSupervisorGone) {
			return fmt.Errorf("%w: %s", ErrNotRunning, id) // it finished meanwhile
		}
		return fmt.Errorf("kill container %s: %w", id, err)
	}
	return nil
}

// Remove deletes the container: with force it kills a running one first
// (else ErrRunning); then its processes, cgroups, libcontainer state,
// rootfs mount and directory go. Removing a missing container succeeds.
func (r *Runtime) Remove(ctx context.Context, id string, force bool) error {
	if !ValidID(id) {
		return fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	dir := r.dir(id)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	alive, err := supervisorAlive(dir)
	if err != nil {
		return err
	}
	if alive && !force {
		return fmt.Errorf("%w: %s (stop it first or force)", ErrRunning, id)
	}
	if alive {
		if err := r.stop(ctx, id, 0); err != nil {
			r.killSupervisor(id)
		}
	}
	r.reap(id)
	if err := unmountAll(dir); err != nil {
		return fmt.Errorf("remove container %s: %w", id, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove container %s: %w", id, err)
	}
	return nil
}

// killSupervisor is the last resort for a supervisor that does not stop.
func (r *Runtime) killSupervisor(id string) {
	dir := r.dir(id)
	if pid := supervisorPid(dir, id); pid > 0 {
		_ = unix.Kill(pid, unix.SIGKILL)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = waitSupervisorGone(ctx, dir)
	}
}

// reap kills and removes what an unsupervised container left: its
// libcontainer state, processes and cgroups.
func (r *Runtime) reap(id string) {
	destroyLeftover(filepath.Join(r.dir(id), libcontainerDir), id)
	destroyCgroup(id)
}

// destroyCgroup kills every process in /berth/<id> and removes the
// cgroup in every hierarchy, whether or not libcontainer knows of it.
func destroyCgroup(id string) {
	m, err := manager.New(&cgroups.Cgroup{Path: cgroupPath(id), Resources: &cgroups.Resources{}})
	if err != nil {
		return
	}
	if !m.Exists() {
		_ = m.Destroy()
		return
	}
	_ = m.Freeze(cgroups.Thawed)
	for range 100 {
		pids, err := m.GetAllPids()
		if err != nil || len(pids) == 0 {
			break
		}
		for _, pid := range pids {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = m.Destroy()
}

// Update changes what can change on a live container (see Update); the
// supervisor applies it at once when the container runs.
func (r *Runtime) Update(ctx context.Context, id string, u Update) error {
	st, err := r.Status(id)
	if err != nil {
		return err
	}
	spec, err := u.apply(st.Spec)
	if err != nil {
		return err
	}
	dir := r.dir(id)
	if err := writeSpec(dir, spec); err != nil {
		return err
	}
	if alive, _ := supervisorAlive(dir); alive {
		err := callSupervisor(ctx, dir, controlRequest{Op: opReload})
		if !errors.Is(err, errSupervisorGone) {
			if err != nil {
				return fmt.Errorf("update container %s: %w", id, err)
			}
			return nil
		}
		// It finished meanwhile, recording the old spec.
		if err := waitSupervisorGone(ctx, dir); err != nil {
			return err
		}
	}
	if st, err = readStatus(dir); err != nil {
		return err
	}
	st.Spec = spec
	return writeStatus(dir, st)
}

// WriteHosts rewrites the container's /etc/hosts: the default entries
// and the container's hostname, then extra. A running container sees the
// change at once.
func (r *Runtime) WriteHosts(id string, extra []HostEntry) error {
	st, err := r.Status(id)
	if err != nil {
		return err
	}
	return rewriteInPlace(filepath.Join(r.dir(id), etcDir, hostsFile), hostsContent(st.Spec.Hostname, extra))
}

// WriteResolvConf rewrites the container's /etc/resolv.conf.
func (r *Runtime) WriteResolvConf(id string, rc ResolvConf) error {
	if _, err := r.Status(id); err != nil {
		return err
	}
	return rewriteInPlace(filepath.Join(r.dir(id), etcDir, resolvFile), rc.Bytes())
}
