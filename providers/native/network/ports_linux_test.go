package network

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
)

func publishOn(ip string, host, ctr uint16) Port {
	return Port{Protocol: "tcp", HostIP: netip.MustParseAddr(ip), HostPort: host, ContainerPort: ctr}
}

func TestPublishedPorts(t *testing.T) {
	h := newTestHost(t)
	n, err := h.m.Create(ctx, Config{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	out := h.outside()
	client := h.attach("c1bbbbbbbbbbbbbb", "client", "web")
	srv, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "c2bbbbbbbbbbbbbb", Name: "server",
		Attachments: []Attachment{{Network: "web"}},
		Ports:       []Port{publishOn("127.0.0.1", 18080, 8080), publishOn("0.0.0.0", 18081, 8080), publishOn("0.0.0.0", 0, 8080)}})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, srv.NetNS, ":8080")
	gw := n.Gateway.String()
	if srv.Ports[2].HostPort == 0 {
		t.Fatalf("no host port chosen: %v", srv.Ports)
	}
	tests := []struct{ name, from, to, want string }{
		{"host on 127.0.0.1", h.ns, "127.0.0.1:18080", "from " + gw},
		{"host on the bridge address", h.ns, gw + ":18081", "from " + gw},
		{"host on a chosen port", h.ns, "127.0.0.1:" + itoa(srv.Ports[2].HostPort), "from " + gw},
		{"another host", out, "198.18.0.1:18081", "from 198.18.0.2"},
		{"hairpin from the same network", client.NetNS, gw + ":18081", "from " + gw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dial(tc.from, tc.to)
			if err != nil || got != tc.want {
				t.Errorf("dial %s: %q, %v; want %q", tc.to, got, err, tc.want)
			}
		})
	}
	if got, err := dial(out, "198.18.0.1:18080"); err == nil {
		t.Errorf("port published on 127.0.0.1 answered another host: %q", got)
	}

	// Who holds a port.
	if err := h.m.CheckPort(publishOn("0.0.0.0", 18080, 1), "c9"); !errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), "server") {
		t.Errorf("port of another container: %v", err)
	}
	if err := h.m.CheckPort(publishOn("127.0.0.1", 18080, 1), srv.ContainerID); err != nil {
		t.Errorf("port of the same container: %v", err)
	}
	if err := h.m.CheckPort(publishOn("127.0.0.1", 18080, 1), "c9", srv.ContainerID); err != nil {
		t.Errorf("port of a container that gives it up first: %v", err)
	}
	serve(t, h.ns, "127.0.0.1:18090")
	if err := h.m.CheckPort(publishOn("0.0.0.0", 18090, 1), "c9"); !errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), "another program") {
		t.Errorf("port a program listens on: %v", err)
	}
	if _, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "c3bbbbbbbbbbbbbb", Name: "late",
		Attachments: []Attachment{{Network: "web"}}, Ports: []Port{publishOn("127.0.0.1", 18080, 80)}}); !errors.Is(err, ErrPortInUse) {
		t.Errorf("attach with a taken port: %v", err)
	}
	if _, err := h.m.Endpoint("c3bbbbbbbbbbbbbb"); !errors.Is(err, ErrNotFound) {
		t.Errorf("failed attach left an endpoint: %v", err)
	}
	for _, id := range []string{client.ContainerID, srv.ContainerID} {
		if _, err := h.m.Detach(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if pp, _ := h.m.PublishedPorts(); len(pp) != 0 {
		t.Errorf("ports left: %v", pp)
	}
	if err := h.m.Remove(ctx, "web", nil); err != nil {
		t.Fatal(err)
	}
	assertNoTables(t, h)
}

func itoa(p uint16) string {
	return netip.AddrPortFrom(netip.IPv4Unspecified(), p).String()[len("0.0.0.0:"):]
}

// dockerForwardDrop gives the test host what Docker installs: an "ip
// filter" table whose FORWARD chain drops by default, jumping to an
// empty DOCKER-USER chain first.
func dockerForwardDrop(t *testing.T, h *testHost) {
	t.Helper()
	c, err := h.m.nft.conn()
	if err != nil {
		t.Fatal(err)
	}
	filter := c.AddTable(&nftables.Table{Name: "filter", Family: nftables.TableFamilyIPv4})
	drop := nftables.ChainPolicyDrop
	fwd := c.AddChain(&nftables.Chain{Name: "FORWARD", Table: filter, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookForward, Priority: nftables.ChainPriorityFilter, Policy: &drop})
	user := c.AddChain(&nftables.Chain{Name: "DOCKER-USER", Table: filter})
	c.AddRule(&nftables.Rule{Table: filter, Chain: fwd, Exprs: []expr.Any{&expr.Verdict{Kind: expr.VerdictJump, Chain: user.Name}}})
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestDockerForwardDrop(t *testing.T) {
	h := newTestHost(t)
	dockerForwardDrop(t, h)
	if _, err := h.m.Create(ctx, Config{Name: "app"}); err != nil {
		t.Fatal(err)
	}
	out := h.outside()
	serve(t, out, "198.18.0.2:7000")
	a := h.attach("c1cccccccccccccc", "a", "app")
	b, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "c2cccccccccccccc", Name: "b",
		Attachments: []Attachment{{Network: "app"}}, Ports: []Port{publishOn("0.0.0.0", 18080, 8080)}})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, b.NetNS, ":8080")
	bIP := b.Interfaces[0].IP.String()
	if got, err := dial(a.NetNS, bIP+":8080"); err != nil || !strings.HasPrefix(got, "from ") {
		t.Errorf("container to container despite FORWARD DROP: %q, %v", got, err)
	}
	if got, err := dial(h.ns, "127.0.0.1:18080"); err != nil || !strings.HasPrefix(got, "from ") {
		t.Errorf("host to published port: %q, %v", got, err)
	}
	// Routed traffic meets Docker's policy; berth's BERTH-FORWARD chain
	// (made with the iptables command) accepts it.
	if got, err := dial(a.NetNS, "198.18.0.2:7000"); findIPTables() != "" && (err != nil || got != "from 198.18.0.1") {
		t.Errorf("outbound despite Docker's FORWARD DROP: %q, %v", got, err)
	}
	for _, id := range []string{a.ContainerID, b.ContainerID} {
		if _, err := h.m.Detach(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.m.Remove(ctx, "app", nil); err != nil {
		t.Fatal(err)
	}
}

func TestPublishedUDPPort(t *testing.T) {
	h := newTestHost(t)
	if _, err := h.m.Create(ctx, Config{Name: "dns"}); err != nil {
		t.Fatal(err)
	}
	p := Port{Protocol: "udp", HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: 15353, ContainerPort: 53}
	ep, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "u1uuuuuuuuuuuuuu", Name: "dns",
		Attachments: []Attachment{{Network: "dns"}}, Ports: []Port{p}})
	if err != nil {
		t.Fatal(err)
	}
	var conn net.PacketConn
	if err := inNetNS(ep.NetNS, func() error {
		var err error
		conn, err = net.ListenPacket("udp4", ":53")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		buf := make([]byte, 64)
		for i := 0; i < 5; i++ { // bounded: the test sends one datagram
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = conn.WriteTo(append([]byte("echo "), buf[:n]...), from)
		}
	}()
	var reply string
	err = inNetNS(h.ns, func() error {
		c, err := net.Dial("udp4", "127.0.0.1:15353")
		if err != nil {
			return err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Write([]byte("ping")); err != nil {
			return err
		}
		buf := make([]byte, 64)
		n, err := c.Read(buf)
		reply = string(buf[:n])
		return err
	})
	if err != nil || reply != "echo ping" {
		t.Errorf("udp to 127.0.0.1:15353: %q, %v", reply, err)
	}
	if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
		t.Fatal(err)
	}
	if err := h.m.Remove(ctx, "dns", nil); err != nil {
		t.Fatal(err)
	}
}
