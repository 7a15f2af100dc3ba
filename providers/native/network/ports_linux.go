package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// publish adds the endpoint's map entries, ingress chains and published
// ports, choosing free host ports where none is given, and records the
// ports on the endpoint. Ports are checked and published under the
// host lock, so two containers never get one port.
func (m *Manager) publish(ctx context.Context, ep *Endpoint, nets []*netRecord, gw int, entries []fwdEntry, ports []Port) error {
	unlock, err := m.lockHost(len(ports) == 0)
	if err != nil {
		return err
	}
	defer unlock()
	var rules []ruleSpec
	if len(ports) > 0 {
		if gw < 0 {
			return fmt.Errorf("%w: ports cannot be published from a container that is only on internal networks", ErrInvalid)
		}
		published, err := m.nft.publishedPorts()
		if err != nil {
			return fmt.Errorf("list published ports: %w", err)
		}
		for _, p := range ports {
			if p.HostPort == 0 {
				if p.HostPort, err = m.freePort(p, published); err != nil {
					return err
				}
			} else if err := m.checkPort(p, ep.ContainerID, published); err != nil {
				return err
			}
			published = append(published, PublishedPort{Port: p, ContainerID: ep.ContainerID, Name: ep.Name})
			ep.Ports = append(ep.Ports, p)
			rules = append(rules, portRule(p, ep.Interfaces[gw].IP, ep.ContainerID, ep.Name))
		}
	}
	if err := m.nft.addEndpoint(entries, rules); err != nil {
		return err
	}
	if len(ep.Ports) == 0 {
		return nil // recorded as it is by reserve
	}
	return m.st.writeEndpoint(ep)
}

// CheckPort reports whether p could be published for owners (IDs of
// containers or services that may hold it already: the one publishing
// it, or ones that give it up first) on this host: not published by
// another berth container or service (any root), and bindable (no
// program listens on it). The error wraps ErrPortInUse and says who
// holds the port.
func (m *Manager) CheckPort(p Port, owners ...string) error {
	published, err := m.nft.publishedPorts()
	if err != nil {
		published = nil // without the privilege to read rules, the bind test still tells
	}
	others := published[:0:0]
	for _, pp := range published {
		if !slices.Contains(owners, pp.owner()) {
			others = append(others, pp)
		}
	}
	return m.checkPort(p, "", others)
}

// CheckPort is Manager.CheckPort for the calling process's namespace,
// without a runtime root.
func CheckPort(p Port, owners ...string) error {
	m := &Manager{nsFd: -1, nft: nft{nsFd: -1}}
	return m.CheckPort(p, owners...)
}

func (m *Manager) checkPort(p Port, owner string, published []PublishedPort) error {
	for _, pp := range published {
		if pp.owner() == owner || !portsClash(pp.Port, p) {
			continue
		}
		what := "container"
		if pp.ServiceID != "" {
			what = "deployment"
		}
		return fmt.Errorf("%w: %s/%d on %s is published by berth %s %s (%s)", ErrPortInUse,
			p.Protocol, p.HostPort, p.HostIP, what, pp.Name, shortID(pp.owner()))
	}
	err := inNetNS(m.hostNS, func() error { return bindTest(p) })
	switch {
	case errors.Is(err, unix.EADDRINUSE):
		return fmt.Errorf("%w: %s/%d on %s is in use by another program on this host", ErrPortInUse, p.Protocol, p.HostPort, p.HostIP)
	case errors.Is(err, unix.EADDRNOTAVAIL):
		return fmt.Errorf("%w: host_ip %s is not an address of this host", ErrInvalid, p.HostIP)
	}
	return err
}

// portsClash: see Port.Clashes.
func portsClash(a, b Port) bool { return a.Clashes(b) }

// bindTest binds p's address and port for a moment.
func bindTest(p Port) error {
	addr := net.JoinHostPort(p.HostIP.String(), strconv.Itoa(int(p.HostPort)))
	if p.Protocol == "udp" {
		c, err := net.ListenPacket("udp4", addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
	l, err := net.Listen("tcp4", addr)
	if err != nil {
		return err
	}
	return l.Close()
}

// freePort picks a host port for p: one the kernel gives out as free
// that no berth container publishes.
func (m *Manager) freePort(p Port, published []PublishedPort) (uint16, error) {
	for range 20 {
		var port uint16
		err := inNetNS(m.hostNS, func() error {
			var err error
			port, err = ephemeralPort(p)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("choose a host port: %w", err)
		}
		cand := p
		cand.HostPort = port
		if m.checkPort(cand, "", published) == nil {
			return port, nil
		}
	}
	return 0, fmt.Errorf("%w: found no free host port for %s", ErrPortInUse, p)
}

func ephemeralPort(p Port) (uint16, error) {
	addr := net.JoinHostPort(p.HostIP.String(), "0")
	if p.Protocol == "udp" {
		c, err := net.ListenPacket("udp4", addr)
		if err != nil {
			return 0, err
		}
		defer c.Close()
		return netip.MustParseAddrPort(c.LocalAddr().String()).Port(), nil
	}
	l, err := net.Listen("tcp4", addr)
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return netip.MustParseAddrPort(l.Addr().String()).Port(), nil
}

// PublishedPorts lists the ports berth containers and services publish
// on this host.
func (m *Manager) PublishedPorts() ([]PublishedPort, error) { return m.nft.publishedPorts() }

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
