package native

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
)

// transientGrace is how long a one-off container's endpoint may exist
// without its container before ReleaseGoneRuns takes it back: berth run
// attaches first and creates the container a few milliseconds later.
const transientGrace = 10 * time.Second

// AttachRun gives a one-off container (berth run) its networking on one
// network, publishing ports, and points spec at it. The endpoint is
// transient: once its container is gone, ReleaseGoneRuns removes it.
func (e *Engine) AttachRun(ctx context.Context, spec *runtime.Spec, netName string, ports []network.Port) error {
	cfg := network.EndpointConfig{
		ContainerID: spec.ID, Name: spec.Name, Hostname: spec.Hostname,
		Attachments: []network.Attachment{{Network: netName}},
		Ports:       ports, Transient: true,
	}
	ep, err := e.Networks.Attach(ctx, cfg)
	if err != nil {
		return err
	}
	if err := useEndpoint(e, spec, ep); err != nil {
		return errors.Join(err, e.DetachRun(context.WithoutCancel(ctx), spec.ID))
	}
	// Tell the others on the network its name; should that fail, they
	// just lack the line: no reason not to run it.
	_ = syncHosts(ctx, e, ep.Networks())
	return nil
}

// DetachRun removes a one-off container's networking (nothing when it
// has none).
func (e *Engine) DetachRun(ctx context.Context, id string) error {
	return detachContainer(ctx, e, id)
}

// ReleaseGoneRuns removes the networking of one-off containers that no
// longer exist (a run -d --rm container removes itself when it exits,
// and its supervisor knows nothing of networks), giving their addresses
// and published ports back. It returns the IDs it released.
func (e *Engine) ReleaseGoneRuns(ctx context.Context) ([]string, error) {
	eps, err := e.Networks.Endpoints()
	if err != nil {
		return nil, fmt.Errorf("list network endpoints: %w", err)
	}
	var released []string
	var errs []error
	for _, ep := range eps {
		if !ep.Transient || time.Since(ep.Created) < transientGrace {
			continue
		}
		if _, err := e.Runtime.Status(ep.ContainerID); !errors.Is(err, runtime.ErrNotFound) {
			continue
		}
		if err := detachContainer(ctx, e, ep.ContainerID); err != nil {
			errs = append(errs, err)
			continue
		}
		released = append(released, ep.ContainerID)
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
