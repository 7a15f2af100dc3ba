package network

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/nftables"
)

func TestNetworkLifecycle(t *testing.T) {
	h := newTestHost(t)
	n, err := h.m.Create(ctx, Config{Name: "backend"})
	if err != nil {
		t.Fatal(err)
	}
	if n.Subnet.String() != "10.89.0.0/24" || n.Gateway.String() != "10.89.0.1" || !n.Allocated {
		t.Errorf("network = %+v", n)
	}
	if !slices.Contains(links(t, h.ns), n.Bridge) {
		t.Fatalf("no bridge %s in %v", n.Bridge, links(t, h.ns))
	}
	if v, _ := readSysctl(h.ns, "net.ipv4.ip_forward"); v != "1" {
		t.Errorf("ip_forward = %q", v)
	}
	// Again with the same settings: the same network.
	again, err := h.m.Create(ctx, Config{Name: "backend"})
	if err != nil || again.ID != n.ID {
		t.Errorf("create again: %v, %v", again, err)
	}
	if _, err := h.m.Create(ctx, Config{Name: "backend", Internal: true}); !errors.Is(err, ErrInvalid) {
		t.Errorf("create with other settings: %v", err)
	}
	// The next network takes the next subnet; an explicit one that
	// overlaps is refused.
	n2, err := h.m.Create(ctx, Config{Name: "other"})
	if err != nil || n2.Subnet.String() != "10.89.1.0/24" {
		t.Fatalf("second network: %+v, %v", n2, err)
	}
	if _, err := h.m.Create(ctx, Config{Name: "clash", Subnet: netip.MustParsePrefix("10.89.0.0/16")}); err == nil || !strings.Contains(err.Error(), "overlaps") {
		t.Errorf("overlapping subnet: %v", err)
	}
	for _, name := range []string{"backend", "other"} {
		if err := h.m.Remove(ctx, name, nil); err != nil {
			t.Fatal(err)
		}
	}
	if ls := links(t, h.ns); len(ls) != 1 {
		t.Errorf("links left: %v", ls)
	}
	if v, _ := readSysctl(h.ns, "net.ipv4.ip_forward"); v != "0" {
		t.Errorf("ip_forward not restored: %q", v)
	}
	assertNoTables(t, h)
}

func assertNoTables(t *testing.T, h *testHost) {
	t.Helper()
	c, err := h.m.nft.conn()
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		t.Errorf("table left: %v %s", tb.Family, tb.Name)
	}
	_ = nftables.TableFamilyIPv4
}

func TestAttachConnectivity(t *testing.T) {
	h := newTestHost(t)
	for _, c := range []Config{{Name: "a"}, {Name: "b"}, {Name: "sealed", Internal: true}} {
		if _, err := h.m.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	out := h.outside()
	serve(t, out, "198.18.0.2:7000")
	a1 := h.attach("c1aaaaaaaaaaaaaa", "one", "a")
	a2 := h.attach("c2aaaaaaaaaaaaaa", "two", "a")
	b1 := h.attach("c3aaaaaaaaaaaaaa", "three", "b")
	s1 := h.attach("c4aaaaaaaaaaaaaa", "four", "sealed")
	for _, ep := range []*Endpoint{a2, b1, s1} {
		serve(t, ep.NetNS, ":8080")
	}
	ip := func(ep *Endpoint) string { return ep.Interfaces[0].IP.String() + ":8080" }

	if got, err := dial(a1.NetNS, ip(a2)); err != nil || got != "from "+a1.Interfaces[0].IP.String() {
		t.Errorf("one -> two on a: %q, %v", got, err)
	}
	if got, err := dial(a1.NetNS, ip(b1)); err == nil {
		t.Errorf("one (a) reached three (b): %q", got)
	}
	if got, err := dial(a1.NetNS, "198.18.0.2:7000"); err != nil || got != "from 198.18.0.1" {
		t.Errorf("one -> outside: %q, %v (want masqueraded to 198.18.0.1)", got, err)
	}
	if got, err := dial(s1.NetNS, "198.18.0.2:7000"); err == nil {
		t.Errorf("internal network reached outside: %q", got)
	}
	if got, err := dial(out, ip(a2)); err == nil {
		t.Errorf("outside reached a container directly: %q", got)
	}
	for _, ep := range []*Endpoint{a1, a2, b1, s1} {
		if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"a", "b", "sealed"} {
		if err := h.m.Remove(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
	}
	if ls := links(t, h.ns); len(ls) != 2 { // lo, uplink
		t.Errorf("links left: %v", ls)
	}
	assertNoTables(t, h)
}
