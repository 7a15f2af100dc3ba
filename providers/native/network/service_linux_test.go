package network

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func TestServiceComment(t *testing.T) {
	p := Port{Protocol: "tcp", HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: 8080, ContainerPort: 80}
	a := []target{{netip.MustParseAddr("10.88.0.3"), 80}, {netip.MustParseAddr("10.88.0.2"), 80}}
	b := []target{{netip.MustParseAddr("10.88.0.2"), 80}, {netip.MustParseAddr("10.88.0.3"), 80}}
	sortTargets(a)
	c := svcComment("dep1", "web", p, a)
	if c != svcComment("dep1", "web", p, b) {
		t.Errorf("the digest depends on the order of the backends: %q", c)
	}
	if c == svcComment("dep1", "web", p, b[:1]) || c == svcComment("dep1", "web", p, []target{b[0], {b[1].addr, 81}}) {
		t.Errorf("the digest does not change with the backends: %q", c)
	}
	pp, ok := parsePortComment(c)
	if !ok || pp.ServiceID != "dep1" || pp.ContainerID != "" || pp.Name != "web" || pp.Port.HostPort != 8080 || pp.owner() != "dep1" {
		t.Errorf("parsed %#v, %v from %q", pp, ok, c)
	}
	if !strings.HasPrefix(c, svcTag("dep1")) || strings.HasPrefix(c, svcTag("dep")) {
		t.Errorf("%q and the service's tag %q", c, svcTag("dep1"))
	}
	for _, bad := range []string{"berth svc=dep1 name=web port=tcp/127.0.0.1:8080", "berth ctr=c1 name=web port=tcp/127.0.0.1:8080 eps=0"} {
		if _, ok := parsePortComment(bad); ok {
			t.Errorf("parsed %q", bad)
		}
	}
}

func TestStaleUDP(t *testing.T) {
	f := staleUDP{port: Port{Protocol: "udp", HostIP: netip.IPv4Unspecified(), HostPort: 5353},
		keep: map[netip.Addr]bool{netip.MustParseAddr("10.88.0.2"): true}}
	flow := func(proto uint8, dst string, dport uint16, replySrc string) *netlink.ConntrackFlow {
		return &netlink.ConntrackFlow{
			Forward: netlink.IPTuple{Protocol: proto, SrcIP: net.ParseIP("127.0.0.1"), DstIP: net.ParseIP(dst), DstPort: dport},
			Reverse: netlink.IPTuple{Protocol: proto, SrcIP: net.ParseIP(replySrc)},
		}
	}
	tests := []struct {
		name string
		flow *netlink.ConntrackFlow
		want bool
	}{
		{"to a removed replica", flow(unix.IPPROTO_UDP, "127.0.0.1", 5353, "10.88.0.3"), true},
		{"to a kept replica", flow(unix.IPPROTO_UDP, "127.0.0.1", 5353, "10.88.0.2"), false},
		{"another port", flow(unix.IPPROTO_UDP, "127.0.0.1", 5354, "10.88.0.3"), false},
		{"tcp", flow(unix.IPPROTO_TCP, "127.0.0.1", 5353, "10.88.0.3"), false},
		{"not translated", flow(unix.IPPROTO_UDP, "127.0.0.1", 5353, "127.0.0.1"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.MatchConntrackFlow(tc.flow); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

// serveNamed answers every line received on a connection with name and
// the line, until the client closes; it stops with the test.
func serveNamed(t *testing.T, nsPath, addr, name string) {
	t.Helper()
	var l net.Listener
	if err := inNetNS(nsPath, func() (err error) { l, err = net.Listen("tcp4", addr); return err }); err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					fmt.Fprintf(c, "%s %s\n", name, sc.Text())
				}
			}()
		}
	}()
}

// conn is a client connection from the test host, one line at a time.
type conn struct {
	c net.Conn
	r *bufio.Reader
}

func connect(nsPath, addr string) (*conn, error) {
	var c net.Conn
	err := inNetNS(nsPath, func() (err error) { c, err = net.DialTimeout("tcp4", addr, 2*time.Second); return err })
	if err != nil {
		return nil, err
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	return &conn{c: c, r: bufio.NewReader(c)}, nil
}

// ask sends a line and returns the server's name from the answer.
func (c *conn) ask(line string) (string, error) {
	if _, err := fmt.Fprintln(c.c, line); err != nil {
		return "", err
	}
	s, err := c.r.ReadString('\n')
	name, _, _ := strings.Cut(s, " ")
	return name, err
}

// whoAnswers connects n times to addr and counts the answers by server.
func whoAnswers(t *testing.T, nsPath, addr string, n int) map[string]int {
	t.Helper()
	got := map[string]int{}
	for range n {
		c, err := connect(nsPath, addr)
		if err != nil {
			got["error: "+err.Error()]++
			continue
		}
		name, err := c.ask("hi")
		c.c.Close()
		if err != nil {
			name = "error: " + err.Error()
		}
		got[name]++
	}
	return got
}

func TestService(t *testing.T) {
	h := newTestHost(t)
	if _, err := h.m.Create(ctx, Config{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	eps := map[string]*Endpoint{}
	for _, name := range []string{"a", "b", "c"} {
		ep := h.attach("c"+name+"dddddddddddddd", name, "web")
		eps[name] = ep
		serveNamed(t, ep.NetNS, ":80", name)
	}
	serveNamed(t, eps["c"].NetNS, ":9090", "c9090")
	backends := func(names ...string) []Backend {
		var out []Backend
		for _, n := range names {
			out = append(out, Backend{ContainerID: eps[n].ContainerID})
		}
		return out
	}
	lo := publishOn("127.0.0.1", 18100, 80)
	set := func(ports ...ServicePort) []Port {
		t.Helper()
		got, err := h.m.SetService(ctx, Service{ID: "dep1", Name: "web", Ports: ports})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	addr := "127.0.0.1:18100"

	set(ServicePort{Port: lo, Backends: backends("a", "b")})
	if got := whoAnswers(t, h.ns, addr, 40); got["a"] == 0 || got["b"] == 0 || got["a"]+got["b"] != 40 {
		t.Errorf("40 connections to two backends: %v", got)
	}

	// Who holds the port: the service, for everyone else.
	if err := h.m.CheckPort(publishOn("0.0.0.0", 18100, 1), "other"); !errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), "deployment web") {
		t.Errorf("port of a service: %v", err)
	}
	if err := h.m.CheckPort(lo, "dep1"); err != nil {
		t.Errorf("the service's own port: %v", err)
	}
	if _, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "cxdddddddddddddd", Name: "x",
		Attachments: []Attachment{{Network: "web"}}, Ports: []Port{publishOn("127.0.0.1", 18100, 80)}}); !errors.Is(err, ErrPortInUse) {
		t.Errorf("a container publishing the service's port: %v", err)
	}
	if _, err := h.m.SetService(ctx, Service{ID: "dep2", Name: "other", Ports: []ServicePort{{Port: lo}}}); !errors.Is(err, ErrPortInUse) {
		t.Errorf("a second service on the port: %v", err)
	}

	// An established connection keeps its backend when the rule changes.
	held, err := connect(h.ns, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.c.Close()
	first, err := held.ask("one")
	if err != nil {
		t.Fatal(err)
	}
	other := map[string]string{"a": "b", "b": "a"}[first]
	before := ruleHandles(t, h)
	set(ServicePort{Port: lo, Backends: backends(other)})
	if again, err := held.ask("two"); err != nil || again != first {
		t.Errorf("established connection after the change: answered by %q, %v; want %q", again, err, first)
	}
	if got := whoAnswers(t, h.ns, addr, 10); got[other] != 10 {
		t.Errorf("new connections after leaving only %s: %v", other, got)
	}
	after := ruleHandles(t, h)
	set(ServicePort{Port: lo, Backends: backends(other)})
	if again := ruleHandles(t, h); !equalHandles(after, again) || equalHandles(before, after) {
		t.Errorf("rule handles %v -> %v -> %v: a change must replace the rule, no change must keep it", before, after, again)
	}

	// Backends on their own container ports; a second port chosen.
	ports := set(ServicePort{Port: lo, Backends: []Backend{{ContainerID: eps["c"].ContainerID, Port: 9090}}},
		ServicePort{Port: publishOn("0.0.0.0", 0, 80), Backends: backends("a")})
	if got := whoAnswers(t, h.ns, addr, 5); got["c9090"] != 5 {
		t.Errorf("backend on its own port: %v", got)
	}
	if ports[1].HostPort == 0 {
		t.Fatalf("no host port chosen: %v", ports)
	}
	chosen := fmt.Sprintf("127.0.0.1:%d", ports[1].HostPort)
	if got := whoAnswers(t, h.ns, chosen, 5); got["a"] != 5 {
		t.Errorf("chosen port %s: %v", chosen, got)
	}

	// No backends: the port stays the service's and translates nothing.
	set(ServicePort{Port: lo}, ServicePort{Port: ports[1], Backends: backends("a")})
	if _, err := connect(h.ns, addr); err == nil {
		t.Error("a port without backends accepted a connection")
	}
	if err := h.m.CheckPort(lo, "other"); !errors.Is(err, ErrPortInUse) {
		t.Errorf("a port without backends is not held: %v", err)
	}
	if maps := serviceMapNames(t, h); len(maps) != 1 || maps[0] != svcMapName("dep1", ports[1]) {
		t.Errorf("maps %v, want only the one of %s", maps, ports[1])
	}

	// A port left out is unpublished.
	set(ServicePort{Port: ports[1], Backends: backends("a")})
	if err := h.m.CheckPort(lo, "other"); err != nil {
		t.Errorf("port left out of the service is still held: %v", err)
	}
	if err := h.m.RemoveService(ctx, "dep1"); err != nil {
		t.Fatal(err)
	}
	if pp, _ := h.m.PublishedPorts(); len(pp) != 0 {
		t.Errorf("ports left after RemoveService: %v", pp)
	}
	if got := ruleHandles(t, h); len(got) != 0 {
		t.Errorf("rules left in %s: %v", chainPublished, got)
	}
	if maps := serviceMapNames(t, h); len(maps) != 0 {
		t.Errorf("maps left: %v", maps)
	}
	for _, ep := range eps {
		if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.m.Remove(ctx, "web", nil); err != nil {
		t.Fatal(err)
	}
	assertNoTables(t, h)
}

// TestServiceWithoutNetworks: with no berth network on the host and no
// backends, SetService makes no table (and chooses a port all the same).
func TestServiceWithoutNetworks(t *testing.T) {
	h := newTestHost(t)
	ports, err := h.m.SetService(ctx, Service{ID: "dep1", Name: "web", Ports: []ServicePort{{Port: publishOn("127.0.0.1", 0, 80)}}})
	if err != nil || len(ports) != 1 || ports[0].HostPort == 0 {
		t.Fatalf("SetService: %v, %v", ports, err)
	}
	assertNoTables(t, h)
	if err := h.m.RemoveService(ctx, "dep1"); err != nil {
		t.Errorf("RemoveService without tables: %v", err)
	}
}

// ruleHandles lists the handles of the published chain's rules.
func ruleHandles(t *testing.T, h *testHost) []uint64 {
	t.Helper()
	rules, _, err := h.m.nft.serviceRules("dep1")
	if err != nil {
		t.Fatal(err)
	}
	var out []uint64
	for _, r := range rules {
		out = append(out, r.Handle)
	}
	return out
}

func equalHandles(a, b []uint64) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// serviceMapNames lists the maps of service dep1.
func serviceMapNames(t *testing.T, h *testHost) []string {
	t.Helper()
	c, err := h.m.nft.conn()
	if err != nil {
		t.Fatal(err)
	}
	maps, err := serviceMaps(c, "dep1")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for name := range maps {
		out = append(out, name)
	}
	return out
}
