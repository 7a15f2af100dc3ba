package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
)

// Endpoint returns what Attach recorded for a container; ErrNotFound
// (wrapped) when it has none.
func (m *Manager) Endpoint(containerID string) (*Endpoint, error) {
	ep, err := m.st.readEndpoint(containerID)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: no endpoint for container %s", ErrNotFound, containerID)
	}
	return ep, err
}

// Endpoints returns every endpoint recorded, sorted by container ID.
func (m *Manager) Endpoints() ([]*Endpoint, error) {
	return m.st.listEndpoints()
}

// Detach removes everything Attach made for a container: published
// ports, ingress rules, veths, the namespace mount and its records, and
// the default network when it was its last member. It returns the
// networks the container was on (for SyncHosts). Detaching a container
// without an endpoint does nothing.
func (m *Manager) Detach(ctx context.Context, containerID string) ([]string, error) {
	if !validContainerID.MatchString(containerID) {
		return nil, nil // no container could have had an endpoint under it
	}
	ep, err := m.st.readEndpoint(containerID)
	if errors.Is(err, os.ErrNotExist) {
		return nil, removeNetNS(m.netnsPath(containerID))
	}
	if err != nil {
		return nil, err
	}
	if err := m.unplumb(ep); err != nil {
		return nil, err
	}
	unlock, err := m.lockRoot(m.onDefault(ep))
	if err != nil {
		return nil, err
	}
	defer unlock()
	return ep.Networks(), m.forget(ep)
}

func (m *Manager) onDefault(ep *Endpoint) bool {
	return slices.Contains(ep.Networks(), DefaultNetwork)
}

// detachLocked is Detach for a caller holding the root and host locks.
func (m *Manager) detachLocked(containerID string) error {
	ep, err := m.st.readEndpoint(containerID)
	if errors.Is(err, os.ErrNotExist) {
		return removeNetNS(m.netnsPath(containerID))
	}
	if err != nil {
		return err
	}
	if err := m.unplumbLocked(ep); err != nil {
		return err
	}
	return m.forget(ep)
}

// unplumb deletes the endpoint's kernel objects.
func (m *Manager) unplumb(ep *Endpoint) error {
	unlock, err := m.lockHost(true)
	if err != nil {
		return err
	}
	defer unlock()
	return m.unplumbLocked(ep)
}

func (m *Manager) unplumbLocked(ep *Endpoint) error {
	var entries []fwdEntry
	for _, ifc := range ep.Interfaces {
		mac, _ := net.ParseMAC(ifc.MAC)
		if rec, err := m.st.readNet(ifc.Network); err == nil && mac != nil {
			entries = append(entries, fwdEntry{netID: rec.ID, mac: mac, veth: ifc.HostVeth})
		}
	}
	if err := m.nft.removeEndpoint(ep.ContainerID, entries); err != nil {
		return err
	}
	if ep.Transient {
		// A one-off container is gone with every process of it, so
		// nothing but the mount holds its namespace: the kernel deletes
		// the namespace, and the veths with it, once the mount goes.
		// Deleting a veth here waits for an RCU grace period (~15 ms of
		// a berth run --rm). Addresses are handed out round the subnet,
		// so the one freed is not given again while the kernel finishes.
		return removeNetNS(ep.NetNS)
	}
	h, err := m.handle()
	if err != nil {
		return err
	}
	defer h.Delete()
	for _, ifc := range ep.Interfaces {
		if err := deleteLink(h, ifc.HostVeth); err != nil {
			return fmt.Errorf("delete veth %s: %w", ifc.HostVeth, err)
		}
	}
	return removeNetNS(ep.NetNS)
}

// forget removes the container from its networks' records and drops its
// endpoint record; an emptied default network goes too, unless a
// transient endpoint (berth run's) was its last: one-off containers come
// and go, and making and deleting a bridge each time costs more than the
// container (Docker keeps its docker0 for good; berth prune removes
// it). The caller holds the root lock (and the host lock when the
// default network is involved).
func (m *Manager) forget(ep *Endpoint) error {
	for _, name := range ep.Networks() {
		rec, err := m.st.readNet(name)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		delete(rec.Members, ep.ContainerID)
		if rec.Default && len(rec.Members) == 0 && !ep.Transient {
			if err := m.teardownNetwork(rec); err != nil {
				return err
			}
			continue
		}
		if err := m.st.writeNet(rec); err != nil {
			return err
		}
	}
	return m.st.removeEndpoint(ep.ContainerID)
}
