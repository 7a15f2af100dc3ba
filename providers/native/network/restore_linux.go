package network

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Restore makes a container's networking again from its record when its
// namespace is gone (a reboot clears every mount and interface, but not
// the records): its networks' bridges and rules, then its namespace,
// veths, addresses and published ports, as Attach made them. A container
// whose namespace is there, or that has no endpoint, is left alone.
func (m *Manager) Restore(ctx context.Context, containerID string) (*Endpoint, error) {
	ep, err := m.st.readEndpoint(containerID)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if isNetNS(ep.NetNS) {
		return ep, nil
	}
	nets, err := m.restoreNetworks(ep)
	if err != nil {
		return nil, err
	}
	if err := m.unplumb(ep); err != nil { // whatever half is left
		return nil, err
	}
	ports := ep.Ports
	ep.Ports = nil
	if err := m.plumb(ctx, ep, nets, ports); err != nil {
		return nil, fmt.Errorf("restore the networking of %s: %w", shortID(containerID), err)
	}
	return ep, m.st.writeEndpoint(ep)
}

// restoreNetworks makes the endpoint's networks' kernel objects again.
func (m *Manager) restoreNetworks(ep *Endpoint) ([]*netRecord, error) {
	unlock, err := m.lockRoot(true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var nets []*netRecord
	for _, name := range ep.Networks() {
		rec, err := m.st.readNet(name)
		if err != nil {
			return nil, err
		}
		if err := m.setupNetwork(rec); err != nil {
			return nil, err
		}
		nets = append(nets, rec)
	}
	return nets, nil
}

// isNetNS reports whether path is a mounted network namespace.
func isNetNS(path string) bool {
	var st unix.Statfs_t
	return unix.Statfs(path, &st) == nil && st.Type == unix.NSFS_MAGIC
}
