package network

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

var ctx = context.Background()

// needRoot skips a test that makes namespaces, bridges and rules.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: makes network namespaces, bridges and nftables rules")
	}
}

// testHost is a throwaway network namespace standing in for the host:
// everything a test's Manager makes lives in it and dies with it.
type testHost struct {
	t    *testing.T
	ns   string
	root string
	m    *Manager
}

func newTestHost(t *testing.T) *testHost {
	t.Helper()
	needRoot(t)
	dir := t.TempDir()
	ns := filepath.Join(dir, "hostns")
	if err := createNetNS(ns); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = removeNetNS(ns) })
	h := &testHost{t: t, ns: ns, root: filepath.Join(dir, "root")}
	nl := h.handle()
	defer nl.Delete()
	if err := setUp(nl, "lo"); err != nil {
		t.Fatal(err)
	}
	// A new namespace copies the host's IPv4 settings; start from the
	// kernel's default so that the tests see berth change and restore it.
	if err := writeSysctl(ns, "net.ipv4.ip_forward", "0"); err != nil {
		t.Fatal(err)
	}
	m, err := Open(h.root, Options{HostNetNS: ns, RunDir: filepath.Join(dir, "run")})
	if err != nil {
		t.Fatal(err)
	}
	h.m = m
	return h
}

// handle is a netlink handle in the test host namespace.
func (h *testHost) handle() *netlink.Handle {
	h.t.Helper()
	ns, err := netns.GetFromPath(h.ns)
	if err != nil {
		h.t.Fatal(err)
	}
	defer ns.Close()
	nl, err := netlink.NewHandleAt(ns)
	if err != nil {
		h.t.Fatal(err)
	}
	return nl
}

// links lists the interface names of a namespace.
func links(t *testing.T, nsPath string) []string {
	t.Helper()
	ns, err := netns.GetFromPath(nsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	nl, err := netlink.NewHandleAt(ns)
	if err != nil {
		t.Fatal(err)
	}
	defer nl.Delete()
	ls, err := nl.LinkList()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		out = append(out, l.Attrs().Name)
	}
	return out
}

// attach attaches a container to networks, failing the test on error.
func (h *testHost) attach(id, name string, nets ...string) *Endpoint {
	h.t.Helper()
	cfg := EndpointConfig{ContainerID: id, Name: name}
	for _, n := range nets {
		cfg.Attachments = append(cfg.Attachments, Attachment{Network: n})
	}
	ep, err := h.m.Attach(ctx, cfg)
	if err != nil {
		h.t.Fatalf("attach %s: %v", name, err)
	}
	return ep
}

// serve listens on TCP port in the namespace at nsPath and answers every
// connection with the peer's address; it stops with the test.
func serve(t *testing.T, nsPath, addr string) {
	t.Helper()
	var l net.Listener
	err := inNetNS(nsPath, func() error {
		var err error
		l, err = net.Listen("tcp4", addr)
		return err
	})
	if err != nil {
		t.Fatalf("listen on %s in %s: %v", addr, nsPath, err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "from %s\n", c.RemoteAddr().(*net.TCPAddr).IP)
			c.Close()
		}
	}()
}

// dial connects from the namespace at nsPath to addr and returns what the
// server said ("" and the error when it could not connect in time).
func dial(nsPath, addr string) (string, error) {
	var c net.Conn
	err := inNetNS(nsPath, func() error {
		var err error
		c, err = net.DialTimeout("tcp4", addr, 2*time.Second)
		return err
	})
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	b, err := io.ReadAll(c)
	return strings.TrimSpace(string(b)), err
}

// outside makes a namespace connected to the test host by a veth,
// 198.18.0.1/30 on the host side and 198.18.0.2/30 outside, standing in
// for the world beyond the host.
func (h *testHost) outside() string {
	h.t.Helper()
	path := filepath.Join(filepath.Dir(h.ns), "outside")
	if err := createNetNS(path); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { _ = removeNetNS(path) })
	ons, err := netns.GetFromPath(path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer ons.Close()
	nl := h.handle()
	defer nl.Delete()
	la := netlink.NewLinkAttrs()
	la.Name = "uplink"
	if err := nl.LinkAdd(&netlink.Veth{LinkAttrs: la, PeerName: "eth0", PeerNamespace: netlink.NsFd(int(ons))}); err != nil {
		h.t.Fatal(err)
	}
	configure(h.t, nl, "uplink", "198.18.0.1/30")
	onl, err := netlink.NewHandleAt(ons)
	if err != nil {
		h.t.Fatal(err)
	}
	defer onl.Delete()
	configure(h.t, onl, "eth0", "198.18.0.2/30")
	if err := setUp(onl, "lo"); err != nil {
		h.t.Fatal(err)
	}
	return path
}

func configure(t *testing.T, nl *netlink.Handle, name, cidr string) {
	t.Helper()
	l, err := nl.LinkByName(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := nl.AddrAdd(l, &netlink.Addr{IPNet: ipNet(netip.MustParsePrefix(cidr))}); err != nil {
		t.Fatal(err)
	}
	if err := nl.LinkSetUp(l); err != nil {
		t.Fatal(err)
	}
}
