package network

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
)

func TestNetworkRules(t *testing.T) {
	n := &Network{ID: strings.Repeat("ab", 32), Bridge: "berthabababab", Subnet: netip.MustParsePrefix("10.89.3.0/24")}
	count := func(rules []ruleSpec) map[string]int {
		out := map[string]int{}
		for _, r := range rules {
			out[r.chain]++
			if r.comment != "berth net="+n.ID {
				t.Errorf("rule in %s tagged %q", r.chain, r.comment)
			}
		}
		return out
	}
	got := count(networkRules(n))
	want := map[string]int{chainGuard: 1, chainSNAT: 3, chainForward: 2}
	for c, w := range want {
		if got[c] != w {
			t.Errorf("%s: %d rules, want %d", c, got[c], w)
		}
	}
	n.Internal = true
	got = count(networkRules(n))
	if got[chainSNAT] != 2 || got[chainIsolate] != 2 {
		t.Errorf("internal network rules: %v (want no outbound masquerade, two isolation rules)", got)
	}
}

func TestPortComment(t *testing.T) {
	p := Port{Protocol: "udp", HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: 5353, ContainerPort: 53}
	r := portRule(p, netip.MustParseAddr("10.89.0.2"), "abc123", "dns")
	pp, ok := parsePortComment(r.comment)
	if !ok || pp.ContainerID != "abc123" || pp.Name != "dns" || pp.Protocol != "udp" || pp.HostIP != p.HostIP || pp.HostPort != 5353 {
		t.Errorf("parsed %+v, %v from %q", pp, ok, r.comment)
	}
	if _, ok := parsePortComment("berth net=abc"); ok {
		t.Error("a network comment parsed as a port")
	}
	// The rule matches the host address only when one is given.
	hasDaddr := func(r ruleSpec) bool {
		for _, e := range r.exprs {
			if pl, ok := e.(*expr.Payload); ok && pl.Base == expr.PayloadBaseNetworkHeader && pl.Offset == 16 {
				return true
			}
		}
		return false
	}
	if !hasDaddr(r) {
		t.Error("rule for 127.0.0.1 does not match the destination address")
	}
	p.HostIP = netip.IPv4Unspecified()
	if hasDaddr(portRule(p, netip.MustParseAddr("10.89.0.2"), "abc123", "dns")) {
		t.Error("rule for 0.0.0.0 matches a destination address")
	}
}

func TestPortsClash(t *testing.T) {
	a := publishOn("0.0.0.0", 80, 80)
	for _, tc := range []struct {
		b    Port
		want bool
	}{
		{publishOn("127.0.0.1", 80, 1), true},
		{publishOn("127.0.0.1", 81, 1), false},
		{Port{Protocol: "udp", HostIP: netip.IPv4Unspecified(), HostPort: 80}, false},
	} {
		if portsClash(a, tc.b) != tc.want || portsClash(tc.b, a) != tc.want {
			t.Errorf("clash %v %v != %v", a, tc.b, tc.want)
		}
	}
	if portsClash(publishOn("127.0.0.1", 80, 1), publishOn("127.0.0.2", 80, 1)) {
		t.Error("different addresses clash")
	}
}

// TestRulesLoad loads every kind of rule into a throwaway namespace's
// kernel, which checks them as nft would, and lists them back.
func TestRulesLoad(t *testing.T) {
	h := newTestHost(t)
	if pp, err := h.m.nft.publishedPorts(); err != nil || len(pp) != 0 {
		t.Errorf("published ports without berth's tables: %v, %v", pp, err)
	}
	if err := h.m.nft.ensureTables(); err != nil {
		t.Fatal(err)
	}
	n := &Network{ID: strings.Repeat("cd", 32), Bridge: "berthcdcdcdcdcd", Subnet: netip.MustParsePrefix("10.89.3.0/24"), Internal: true}
	if err := h.m.nft.addNetwork(n); err != nil {
		t.Fatal(err)
	}
	p := publishOn("0.0.0.0", 8080, 80)
	if err := h.m.nft.addEndpoint(nil, []ruleSpec{portRule(p, netip.MustParseAddr("10.89.3.2"), "ctr1", "web")}); err != nil {
		t.Fatal(err)
	}
	pp, err := h.m.nft.publishedPorts()
	if err != nil || len(pp) != 1 || pp[0].ContainerID != "ctr1" || pp[0].HostPort != 8080 {
		t.Fatalf("published ports = %+v, %v", pp, err)
	}
	if err := h.m.nft.removeEndpoint("ctr1", nil); err != nil {
		t.Fatal(err)
	}
	if err := h.m.nft.removeNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	c, _ := h.m.nft.conn()
	for _, cs := range ipChains {
		rules, err := c.GetRules(ipTable, &nftables.Chain{Name: cs.name, Table: ipTable})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			if commentOf(r) != "berth" {
				t.Errorf("%s: rule %q left", cs.name, commentOf(r))
			}
		}
	}
	if err := h.m.nft.deleteTables(); err != nil {
		t.Fatal(err)
	}
	assertNoTables(t, h)
}
