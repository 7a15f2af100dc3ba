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
// network, publishing ports, and points spec at it. The endpoint is
// transient: once its container is gone, ReleaseGoneRuns removes it.
//
// Until release is called, the endpoint is held as being set up (a lock
// under the runtime root), so that ReleaseGoneRuns, run by a berth next
// to this one, leaves it alone although its container does not exist
// yet: call release once the container exists, or once it is gone and
// DetachRun has run. A berth killed meanwhile releases it too.
func (e *Engine) AttachRun(ctx context.Context, spec *runtime.Spec, netName string, ports []network.Port) (release func(), err error) {
	lock, err := e.lockRun(spec.ID, true)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.release()
		}
	}()
	cfg := network.EndpointConfig{
		ContainerID: spec.ID, Name: spec.Name, Hostname: spec.Hostname,
		Attachments: []network.Attachment{{Network: netName}},
		Ports:       ports, Transient: true,
	}
	ep, err := e.Networks.Attach(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := useEndpoint(e, spec, ep); err != nil {
		return nil, errors.Join(err, e.DetachRun(context.WithoutCancel(ctx), spec.ID))
	}
	// Tell the others on the network its name; should that fail, they
	// just lack the line: no reason not to run it.
	_ = syncHosts(ctx, e, ep.Networks())
	return lock.release, nil
}

// DetachRun removes a one-off container's networking (nothing when it
// has none).
func (e *Engine) DetachRun(ctx context.Context, id string) error {
	return detachContainer(ctx, e, id)
}

// ReleaseGoneRuns removes the networking of one-off containers that no
// longer exist and are not being set up (a run -d --rm container removes
// itself when it exits, and its supervisor knows nothing of networks),
// giving their addresses and published ports back. It returns the IDs it
// released.
func (e *Engine) ReleaseGoneRuns(ctx context.Context) ([]string, error) {
	eps, err := e.Networks.Endpoints()
	if err != nil {
		return nil, fmt.Errorf("list network endpoints: %w", err)
	}
	var released []string
	var errs []error
	for _, ep := range eps {
		if !ep.Transient {
			continue
		}
		lock, err := e.lockRun(ep.ContainerID, false)
		if errors.Is(err, errRunBusy) {
			continue // its berth run is making it
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := e.Runtime.Status(ep.ContainerID); errors.Is(err, runtime.ErrNotFound) {
			if err := detachContainer(ctx, e, ep.ContainerID); err != nil {
				errs = append(errs, err)
			} else {
				released = append(released, ep.ContainerID)
			}
		}
		lock.release()
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

// errRunBusy: another berth holds the lock of that run container.
var errRunBusy = errors.New("run container being set up")

// runLock is the lock file of one run container's setup.
type runLock struct{ f *os.File }

// lockRun takes the setup lock of run container id: waiting for it when
// wait is set, else failing with errRunBusy when another process holds
// it.
func (e *Engine) lockRun(id string, wait bool) (*runLock, error) {
	dir := filepath.Join(e.Root, "run-locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, id), os.O_RDWR|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
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

// release removes the lock file and lets the lock go. Whoever opened the
// file meanwhile finds it unlocked and its container made or gone.
func (l *runLock) release() {
	_ = os.Remove(l.f.Name())
	l.f.Close()
}
