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

func TestRepairDeletedBridge(t *testing.T) {
	h := newTestHost(t)
	n, err := h.m.Create(ctx, Config{Name: "fragile"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.attach("r1rrrrrrrrrrrrrr", "a", "fragile")
	b := h.attach("r2rrrrrrrrrrrrrr", "b", "fragile")
	serve(t, b.NetNS, ":8080")
	nl := h.handle()
	defer nl.Delete()
	if err := deleteLink(nl, n.Bridge); err != nil {
		t.Fatal(err)
	}
	if ok, err := h.m.BridgeExists(n); ok || err != nil {
		t.Fatalf("bridge exists after deletion: %v, %v", ok, err)
	}
	again, err := h.m.Create(ctx, Config{Name: "fragile"})
	if err != nil || again.ID != n.ID {
		t.Fatalf("repair: %+v, %v", again, err)
	}
	if got, err := dial(a.NetNS, b.Interfaces[0].IP.String()+":8080"); err != nil || got == "" {
		t.Errorf("after the repair, a -> b: %q, %v", got, err)
	}
	for _, ep := range []*Endpoint{a, b} {
		if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.m.Remove(ctx, "fragile", nil); err != nil {
		t.Fatal(err)
	}
}

// TestRestoreAfterReboot clears what a reboot clears (interfaces, rules,
// namespace mounts), keeps the records, and restores.
func TestRestoreAfterReboot(t *testing.T) {
	h := newTestHost(t)
	n, err := h.m.Create(ctx, Config{Name: "persist"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.attach("s1ssssssssssssss", "a", "persist")
	b, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "s2ssssssssssssss", Name: "b",
		Attachments: []Attachment{{Network: "persist"}}, Ports: []Port{publishOn("127.0.0.1", 18080, 8080)}})
	if err != nil {
		t.Fatal(err)
	}
	if ep, err := h.m.Restore(ctx, a.ContainerID); err != nil || ep == nil {
		t.Fatalf("restore of a live endpoint: %v, %v", ep, err)
	}
	// The "reboot".
	nl := h.handle()
	defer nl.Delete()
	for _, l := range []string{a.Interfaces[0].HostVeth, b.Interfaces[0].HostVeth, n.Bridge} {
		if err := deleteLink(nl, l); err != nil {
			t.Fatal(err)
		}
	}
	for _, ns := range []string{a.NetNS, b.NetNS} {
		if err := removeNetNS(ns); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.m.nft.deleteTables(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a.ContainerID, b.ContainerID} {
		if _, err := h.m.Restore(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	serve(t, b.NetNS, ":8080")
	if got, err := dial(a.NetNS, b.Interfaces[0].IP.String()+":8080"); err != nil || got == "" {
		t.Errorf("a -> b after restore: %q, %v", got, err)
	}
	if got, err := dial(h.ns, "127.0.0.1:18080"); err != nil || got == "" {
		t.Errorf("published port after restore: %q, %v", got, err)
	}
	for _, ep := range []*Endpoint{a, b} {
		if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.m.Remove(ctx, "persist", nil); err != nil {
		t.Fatal(err)
	}
	assertNoTables(t, h)
}
