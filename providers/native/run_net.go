package native

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
)

// AttachRun gives a one-off container (berth run) its networking on one
// network, publishing ports, points spec at it and returns the endpoint
// (with the host ports chosen). The endpoint is transient: once its
// container is gone, DetachRun or ReleaseGoneRuns removes it.
//
// Every run container with networking has a lock file under the runtime
// root (run-locks/ID) until DetachRun; that directory is what
// ReleaseGoneRuns looks through. Until release is called the lock is
// held, so that ReleaseGoneRuns, run by a berth next to this one, leaves
// the endpoint alone although its container does not exist yet: call
// release once the container exists, or once it is gone and DetachRun
// has run. A berth killed meanwhile releases it too.
func (e *Engine) AttachRun(ctx context.Context, spec *runtime.Spec, netName string, ports []network.Port) (ep *network.Endpoint, release func(), err error) {
	lock, err := e.lockRun(spec.ID, true)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			lock.remove()
		}
	}()
	cfg := network.EndpointConfig{
		ContainerID: spec.ID, Name: spec.Name, Hostname: spec.Hostname,
		Attachments: []network.Attachment{{Network: netName}},
		Ports:       ports, Transient: true,
	}
	if ep, err = e.Networks.Attach(ctx, cfg); err != nil {
		return nil, nil, err
	}
	if err := useEndpoint(e, spec, ep); err != nil {
		return nil, nil, errors.Join(err, detachContainer(context.WithoutCancel(ctx), e, spec.ID))
	}
	// Tell the others on the network its name; should that fail, they
	// just lack the line: no reason not to run it.
	_ = syncHosts(ctx, e, ep.Networks())
	return ep, lock.unlock, nil
}

// DetachRun removes a one-off container's networking (nothing when it
// has none) and its lock file.
func (e *Engine) DetachRun(ctx context.Context, id string) error {
	if err := detachContainer(ctx, e, id); err != nil {
		return err
	}
	err := os.Remove(e.runLockPath(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// ReleaseGoneRuns removes the networking of one-off containers that no
// longer exist and are not being set up (a run -d --rm container removes
// itself when it exits, and its supervisor knows nothing of networks),
// giving their addresses and published ports back. It returns the IDs it
// released. It reads only the run containers' lock files, and takes a
// lock only for a container that is gone.
func (e *Engine) ReleaseGoneRuns(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(e.Root, runLocksDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("list run containers: %w", err)
	}
	gone := func(id string) bool {
		_, err := e.Runtime.Status(id)
		return errors.Is(err, runtime.ErrNotFound)
	}
	var released []string
	var errs []error
	for _, ent := range entries {
		id := ent.Name()
		if !runtime.ValidID(id) || !gone(id) {
			continue
		}
		lock, err := e.lockRun(id, false)
		if errors.Is(err, errRunBusy) {
			continue // its berth run is making it
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if gone(id) { // not made meanwhile
			if err := e.DetachRun(ctx, id); err != nil {
				errs = append(errs, err)
			} else {
				released = append(released, id)
			}
		}
		lock.unlock()
	}
	return released, errors.Join(errs...)
}

// RemoveIdleDefaultNetwork removes the default network when no container
// is on it (one-off containers leave it behind for the next one).
func (e *Engine) RemoveIdleDefaultNetwork(ctx context.Context) error {
	err := e.Networks.Remove(ctx, network.DefaultNetwork, nil)
	if errors.Is(err, network.ErrInUse) {
		return nil
	}
	return err
}

// runLocksDir, under the runtime root, holds a lock file per run
// container with networking.
const runLocksDir = "run-locks"

func (e *Engine) runLockPath(id string) string { return filepath.Join(e.Root, runLocksDir, id) }

// errRunBusy: another berth holds the lock of that run container.
var errRunBusy = errors.New("run container being set up")

// runLock is the lock on one run container's lock file.
type runLock struct{ f *os.File }

// lockRun takes the lock of run container id, making its file when
// missing: waiting for it when wait is set, else failing with errRunBusy
// when another process holds it.
func (e *Engine) lockRun(id string, wait bool) (*runLock, error) {
	if err := os.MkdirAll(filepath.Join(e.Root, runLocksDir), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(e.runLockPath(id), os.O_RDWR|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errRunBusy
		}
		return nil, fmt.Errorf("lock run container %s: %w", id, err)
	}
	return &runLock{f: f}, nil
}

// unlock lets the lock go; the file stays for the container's life.
func (l *runLock) unlock() { l.f.Close() }

// remove deletes the lock file and lets the lock go.
func (l *runLock) remove() {
	_ = os.Remove(l.f.Name())
	l.f.Close()
}
