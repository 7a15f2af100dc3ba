package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// Attach gives a container its networking: addresses on each network
// (recorded at once, so that parallel attaches never share one), a
// network namespace with a veth per network, a default route through
// the first network that is not internal, and its published ports; and
// it checks berth's way past the host's iptables FORWARD chain (see
// checkForwardAccept). The container is then started in Endpoint.NetNS.
// On error nothing of it is left.
func (m *Manager) Attach(ctx context.Context, cfg EndpointConfig) (*Endpoint, error) {
	if err := checkEndpointConfig(cfg); err != nil {
		return nil, err
	}
	if err := m.ensureDirs(); err != nil {
		return nil, err
	}
	ep, nets, err := m.reserve(ctx, cfg)
	if err != nil {
		return nil, err
	}
	err = m.checkForwardAccept()
	if err == nil {
		err = m.plumb(ctx, ep, nets, cfg.Ports)
	}
	if err != nil {
		if _, derr := m.Detach(context.WithoutCancel(ctx), cfg.ContainerID); derr != nil {
			err = errors.Join(err, fmt.Errorf("clean up: %w", derr))
		}
		return nil, err
	}
	return ep, nil
}

// reserve records the container on its networks with its addresses, and
// its endpoint record, under the root lock. The default network is made
// here when an attachment needs it.
func (m *Manager) reserve(ctx context.Context, cfg EndpointConfig) (*Endpoint, []*netRecord, error) {
	needDefault := slices.ContainsFunc(cfg.Attachments, func(a Attachment) bool { return a.Network == DefaultNetwork })
	unlock, err := m.lockRoot(needDefault)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	if _, err := m.st.readEndpoint(cfg.ContainerID); err == nil {
		return nil, nil, fmt.Errorf("%w: container %s is attached already", ErrInvalid, cfg.ContainerID)
	}
	ep := &Endpoint{ContainerID: cfg.ContainerID, Name: cfg.Name, NetNS: m.netnsPath(cfg.ContainerID), Transient: cfg.Transient}
	var nets []*netRecord
	for i, a := range cfg.Attachments {
		rec, err := m.networkFor(a.Network)
		if err != nil {
			return nil, nil, err
		}
		used := map[netip.Addr]string{}
		for _, mb := range rec.Members {
			used[mb.IP] = mb.Name
		}
		ip, err := allocateAddr(rec.Subnet, a.IPv4, rec.Last, used)
		if err != nil {
			return nil, nil, fmt.Errorf("network %s: %w", rec.Name, err)
		}
		ifc := Interface{Network: rec.Name, IfName: ifName(i), HostVeth: vethName(cfg.ContainerID, i), IP: ip, MAC: newMAC().String()}
		ep.Interfaces = append(ep.Interfaces, ifc)
		nets = append(nets, rec)
		rec.Last = ip
		rec.Members[cfg.ContainerID] = &member{Name: cfg.Name, Hostname: cfg.Hostname, Aliases: a.Aliases,
			Groups: cfg.Groups, IP: ip, MAC: ifc.MAC, Veth: ifc.HostVeth}
	}
	// The endpoint first: whatever is recorded on a network, Detach finds.
	if err := m.st.writeEndpoint(ep); err != nil {
		return nil, nil, err
	}
	for _, rec := range nets {
		if err := m.st.writeNet(rec); err != nil {
			return nil, nil, err
		}
	}
	return ep, nets, nil
}

// networkFor reads a network's record, making the default network when
// it is the one asked for and missing. The caller holds the root lock
// (and the host lock for the default network).
func (m *Manager) networkFor(name string) (*netRecord, error) {
	rec, err := m.st.readNet(name)
	if err == nil || name != DefaultNetwork || !errors.Is(err, ErrNotFound) {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w: %s (declare network %q and refer to network.%s.name)", ErrNotFound, name, name, name)
		}
		return rec, err
	}
	rec = &netRecord{Network: Network{ID: newID(), Name: DefaultNetwork, Created: time.Now().UTC()}, Default: true}
	if _, err := m.create(rec, netip.Prefix{}); err != nil {
		return nil, fmt.Errorf("create the default network: %w", err)
	}
	return rec, nil
}

// plumb makes the namespace, the veths and the rules of a reserved
// endpoint.
func (m *Manager) plumb(ctx context.Context, ep *Endpoint, nets []*netRecord, ports []Port) error {
	if err := createNetNS(ep.NetNS); err != nil {
		return err
	}
	ns, err := netns.GetFromPath(ep.NetNS)
	if err != nil {
		return err
	}
	defer ns.Close()
	h, err := m.handle()
	if err != nil {
		return err
	}
	defer h.Delete()
	ch, err := netlink.NewHandleAt(ns)
	if err != nil {
		return err
	}
	defer ch.Delete()
	if err := setUp(ch, "lo"); err != nil {
		return err
	}
	gw := defaultRouteIndex(nets)
	var entries []fwdEntry
	for i, ifc := range ep.Interfaces {
		e, err := addVeth(h, ch, ns, ifc, &nets[i].Network, i == gw)
		if err != nil {
			return fmt.Errorf("network %s: %w", ifc.Network, err)
		}
		entries = append(entries, e)
	}
	return m.publish(ctx, ep, nets, gw, entries, ports)
}

// defaultRouteIndex is the attachment that carries the default route:
// the first network that is not internal; -1 if there is none.
func defaultRouteIndex(nets []*netRecord) int {
	for i, n := range nets {
		if !n.Internal {
			return i
		}
	}
	return -1
}

// addVeth creates one veth pair with its peer made directly inside the
// container's namespace (so no interface ever appears there under a
// temporary name), enslaves the host end and configures the peer.
func addVeth(h, ch *netlink.Handle, ns netns.NsHandle, ifc Interface, n *Network, defaultRoute bool) (fwdEntry, error) {
	br, err := h.LinkByName(n.Bridge)
	if err != nil {
		return fwdEntry{}, fmt.Errorf("bridge %s: %w (apply again to recreate the network)", n.Bridge, err)
	}
	mac, err := net.ParseMAC(ifc.MAC)
	if err != nil {
		return fwdEntry{}, err
	}
	la := netlink.NewLinkAttrs()
	la.Name, la.MasterIndex = ifc.HostVeth, br.Attrs().Index
	veth := &netlink.Veth{LinkAttrs: la, PeerName: ifc.IfName, PeerHardwareAddr: mac, PeerNamespace: netlink.NsFd(int(ns))}
	err = retryBusy(func() error { return h.LinkAdd(veth) })
	if errors.Is(err, os.ErrExist) {
		// Left by an interrupted attach of this very container.
		if err = deleteLink(h, ifc.HostVeth); err == nil {
			err = retryBusy(func() error { return h.LinkAdd(veth) })
		}
	}
	if err != nil {
		return fwdEntry{}, fmt.Errorf("create veth %s: %w", ifc.HostVeth, err)
	}
	host, err := h.LinkByName(ifc.HostVeth)
	if err != nil {
		return fwdEntry{}, err
	}
	if err := h.LinkSetUp(host); err != nil {
		return fwdEntry{}, err
	}
	if err := configurePeer(ch, ifc, n, defaultRoute); err != nil {
		return fwdEntry{}, err
	}
	return fwdEntry{netID: n.ID, mac: mac, veth: ifc.HostVeth, index: host.Attrs().Index}, nil
}

// configurePeer gives the container's interface its address, brings it
// up and, for the default route's network, routes through the gateway.
func configurePeer(ch *netlink.Handle, ifc Interface, n *Network, defaultRoute bool) error {
	peer, err := ch.LinkByName(ifc.IfName)
	if err != nil {
		return err
	}
	addr := &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(ifc.IP, n.Subnet.Bits()))}
	if err := ch.AddrAdd(peer, addr); err != nil {
		return fmt.Errorf("address %s: %w", ifc.IP, err)
	}
	if err := ch.LinkSetUp(peer); err != nil {
		return err
	}
	if !defaultRoute {
		return nil
	}
	gw := n.Gateway.As4()
	route := &netlink.Route{LinkIndex: peer.Attrs().Index, Gw: net.IP(gw[:])}
	if err := ch.RouteAdd(route); err != nil {
		return fmt.Errorf("default route via %s: %w", n.Gateway, err)
	}
	return nil
}

func setUp(h *netlink.Handle, name string) error {
	l, err := h.LinkByName(name)
	if err != nil {
		return err
	}
	return h.LinkSetUp(l)
}
