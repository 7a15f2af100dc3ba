package network

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// ensureBridge makes the network's bridge with its gateway address, up,
// unless it exists; it reports whether it made it.
func (m *Manager) ensureBridge(h *netlink.Handle, n *Network) (bool, error) {
	if l, err := h.LinkByName(n.Bridge); err == nil {
		if _, ok := l.(*netlink.Bridge); !ok {
			return false, fmt.Errorf("%s exists and is not a bridge", n.Bridge)
		}
		return false, m.configureBridge(h, l, n)
	}
	la := netlink.NewLinkAttrs()
	la.Name = n.Bridge
	// A fixed address: a bridge left to pick its own takes its lowest
	// port's, and changes it as containers come and go.
	la.HardwareAddr = newMAC()
	br := &netlink.Bridge{LinkAttrs: la}
	if err := retryBusy(func() error { return h.LinkAdd(br) }); err != nil && !errors.Is(err, unix.EEXIST) {
		return false, fmt.Errorf("create bridge %s: %w", n.Bridge, err)
	}
	l, err := h.LinkByName(n.Bridge)
	if err != nil {
		return false, fmt.Errorf("create bridge %s: %w", n.Bridge, err)
	}
	return true, m.configureBridge(h, l, n)
}

// configureBridge gives the bridge its gateway address, lets it route
// 127.0.0.1 (for published ports on loopback; the guard rule keeps
// containers from using it) and brings it up.
func (m *Manager) configureBridge(h *netlink.Handle, l netlink.Link, n *Network) error {
	addr := &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(n.Gateway, n.Subnet.Bits()))}
	if err := h.AddrReplace(l, addr); err != nil {
		return fmt.Errorf("address %s on %s: %w", n.Gateway, n.Bridge, err)
	}
	if err := writeSysctl(m.hostNS, "net.ipv4.conf."+n.Bridge+".route_localnet", "1"); err != nil {
		return fmt.Errorf("route_localnet on %s: %w", n.Bridge, err)
	}
	if err := h.LinkSetUp(l); err != nil {
		return fmt.Errorf("bring %s up: %w", n.Bridge, err)
	}
	return nil
}

// deleteLink deletes an interface; a missing one is fine.
func deleteLink(h *netlink.Handle, name string) error {
	l, err := h.LinkByName(name)
	if err != nil {
		var nf netlink.LinkNotFoundError
		if errors.As(err, &nf) || errors.Is(err, unix.ENODEV) {
			return nil
		}
		return err
	}
	err = retryBusy(func() error { return h.LinkDel(l) })
	if errors.Is(err, unix.ENODEV) {
		return nil
	}
	return err
}

// retryBusy retries f a few times while the kernel answers EBUSY or
// EAGAIN (an interface still being torn down), for at most ~2 s.
func retryBusy(f func() error) error {
	var err error
	for i := 0; i < 40; i++ {
		err = f()
		if !errors.Is(err, unix.EBUSY) && !errors.Is(err, unix.EAGAIN) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// takenSubnet is a subnet a new network must not overlap, and what holds it.
type takenSubnet struct {
	prefix netip.Prefix
	what   string
}

// takenSubnets are this root's networks' subnets and every IPv4 route of
// the host's main table except the default route.
func (m *Manager) takenSubnets() ([]takenSubnet, error) {
	recs, err := m.st.listNets()
	if err != nil {
		return nil, err
	}
	var out []takenSubnet
	for _, r := range recs {
		if r.Subnet.IsValid() {
			out = append(out, takenSubnet{r.Subnet, "network " + r.Name})
		}
	}
	h, err := m.handle()
	if err != nil {
		return nil, err
	}
	defer h.Delete()
	routes, err := h.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		return nil, fmt.Errorf("list routes: %w", err)
	}
	for _, rt := range routes {
		if rt.Dst == nil {
			continue
		}
		p, ok := prefixOf(rt.Dst)
		if !ok || p.Bits() == 0 {
			continue
		}
		dev := ""
		if l, err := h.LinkByIndex(rt.LinkIndex); err == nil {
			dev = " on " + l.Attrs().Name
		}
		out = append(out, takenSubnet{p, "the route to " + p.String() + dev})
	}
	return out, nil
}

func overlapping(p netip.Prefix, taken []takenSubnet) *takenSubnet {
	for i := range taken {
		if p.Overlaps(taken[i].prefix) {
			return &taken[i]
		}
	}
	return nil
}

func prefixes(taken []takenSubnet) []netip.Prefix {
	out := make([]netip.Prefix, len(taken))
	for i, t := range taken {
		out[i] = t.prefix
	}
	return out
}

func ipNet(p netip.Prefix) *net.IPNet {
	a := p.Addr().As4()
	return &net.IPNet{IP: net.IP(a[:]), Mask: net.CIDRMask(p.Bits(), 32)}
}

func prefixOf(n *net.IPNet) (netip.Prefix, bool) {
	a, ok := netip.AddrFromSlice(n.IP.To4())
	if !ok {
		return netip.Prefix{}, false
	}
	ones, bits := n.Mask.Size()
	if bits != 32 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, ones).Masked(), true
}
