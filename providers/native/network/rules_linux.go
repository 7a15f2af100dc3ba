package network

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
)

// tableName is the name of berth's tables, "ip berth" and "netdev berth".
const tableName = "berth"

// Chains of "ip berth".
const (
	chainGuard     = "guard"     // filter prerouting -300: no 127/8 from bridges
	chainDNATPre   = "dnat-pre"  // nat prerouting: published ports, from outside
	chainDNATOut   = "dnat-out"  // nat output: published ports, from the host itself
	chainPublished = "published" // one DNAT rule per published port
	chainSNAT      = "snat"      // nat postrouting: masquerade
	chainIsolate   = "isolate"   // filter forward -1: internal networks
	chainForward   = "forward"   // filter forward 0: isolation between networks
)

// chainSpec is one chain of "ip berth"; a zero hook is a regular chain.
type chainSpec struct {
	name string
	typ  nftables.ChainType
	hook *nftables.ChainHook
	prio nftables.ChainPriority
}

var ipChains = []chainSpec{
	{chainGuard, nftables.ChainTypeFilter, nftables.ChainHookPrerouting, -300},
	{chainDNATPre, nftables.ChainTypeNAT, nftables.ChainHookPrerouting, -100},
	{chainDNATOut, nftables.ChainTypeNAT, nftables.ChainHookOutput, -100},
	{chainPublished, "", nil, 0},
	{chainSNAT, nftables.ChainTypeNAT, nftables.ChainHookPostrouting, 100},
	{chainIsolate, nftables.ChainTypeFilter, nftables.ChainHookForward, -1},
	{chainForward, nftables.ChainTypeFilter, nftables.ChainHookForward, 0},
}

// ruleSpec is one rule: its chain, expressions and comment.
type ruleSpec struct {
	chain   string
	exprs   []expr.Any
	comment string
}

// staticRules are made with the table: published ports are looked up
// for packets to a local address, and translated connections pass the
// isolation rules (a published port is reachable from every network).
func staticRules() []ruleSpec {
	const c = "berth"
	return []ruleSpec{
		{chainDNATPre, join(matchLocalDest(), []expr.Any{jump(chainPublished)}), c},
		{chainDNATOut, join(matchLocalDest(), []expr.Any{jump(chainPublished)}), c},
		{chainForward, join(matchCtBits(expr.CtKeySTATUS, ipsDstNAT), []expr.Any{verdict(expr.VerdictAccept)}), c},
	}
}

var loopback = netip.MustParsePrefix("127.0.0.0/8")

// netComment tags a network's rules.
func netComment(id string) string { return "berth net=" + id }

// networkRules are the rules of one network.
func networkRules(n *Network) []ruleSpec {
	br, sub, c := n.Bridge, n.Subnet, netComment(n.ID)
	drop, masq := []expr.Any{verdict(expr.VerdictDrop)}, []expr.Any{&expr.Masq{}}
	rules := []ruleSpec{
		// route_localnet on the bridge lets DNAT to 127.0.0.1 work; no
		// container may use it to reach the host's loopback services.
		{chainGuard, join(matchIfname(true, br, expr.CmpOpEq), matchAddr(false, loopback), drop), c},
		// The host itself on 127.0.0.1 reaching a published port.
		{chainSNAT, join(matchIfname(false, br, expr.CmpOpEq), matchAddr(true, loopback), masq), c},
		// Hairpin: a container reaching a published port of its own network.
		{chainSNAT, join(matchIfname(false, br, expr.CmpOpEq), matchAddr(true, sub), matchCtBits(expr.CtKeySTATUS, ipsDstNAT), masq), c},
		// Different berth networks do not talk to each other.
		{chainForward, join(matchIfname(true, br, expr.CmpOpEq), matchIfname(false, br, expr.CmpOpNeq),
			matchIfname(false, bridgePrefix+"*", expr.CmpOpEq), drop), c},
		// Nothing outside opens connections to containers except through
		// published ports.
		{chainForward, join(matchIfname(false, br, expr.CmpOpEq), matchIfname(true, br, expr.CmpOpNeq),
			matchCtBits(expr.CtKeySTATE, expr.CtStateBitNEW), drop), c},
	}
	if n.Internal {
		return append(rules,
			ruleSpec{chainIsolate, join(matchIfname(true, br, expr.CmpOpEq), matchIfname(false, br, expr.CmpOpNeq), drop), c},
			ruleSpec{chainIsolate, join(matchIfname(false, br, expr.CmpOpEq), matchIfname(true, br, expr.CmpOpNeq), drop), c},
		)
	}
	return append(rules, ruleSpec{chainSNAT,
		join(matchAddr(true, sub), matchIfname(false, br, expr.CmpOpNeq), masq), c})
}

// ctrComment tags a container's rules; for a published port it also
// records the port, so that others can see it is taken.
func ctrComment(id, name string, p *Port) string {
	s := "berth ctr=" + id
	if p != nil {
		s += fmt.Sprintf(" name=%s port=%s/%s:%d", name, p.Protocol, p.HostIP, p.HostPort)
	}
	return s
}

// portRule is the DNAT rule of one published port.
func portRule(p Port, target netip.Addr, ctrID, name string) ruleSpec {
	var m []expr.Any
	if !p.HostIP.IsUnspecified() {
		m = matchAddr(false, netip.PrefixFrom(p.HostIP, 32))
	}
	return ruleSpec{chainPublished, join(m, matchDport(p.Protocol, p.HostPort), dnatTo(target, p.ContainerPort)),
		ctrComment(ctrID, name, &p)}
}

// parsePortComment reads a published port back from its rule's comment:
// a container's ("berth ctr=ID name=N port=P") or a service's ("berth
// svc=ID name=N port=P eps=D").
func parsePortComment(c string) (PublishedPort, bool) {
	var pp PublishedPort
	f := strings.Fields(c)
	if len(f) < 4 || f[0] != "berth" {
		return pp, false
	}
	ctr, ok1 := strings.CutPrefix(f[1], "ctr=")
	svc, isSvc := strings.CutPrefix(f[1], "svc=")
	if (ok1 && len(f) != 4) || (isSvc && len(f) != 5) {
		return pp, false
	}
	name, ok2 := strings.CutPrefix(f[2], "name=")
	port, ok3 := strings.CutPrefix(f[3], "port=")
	proto, hostport, ok4 := strings.Cut(port, "/")
	ap, err := netip.ParseAddrPort(hostport)
	if !(ok1 || isSvc) || !ok2 || !ok3 || !ok4 || err != nil {
		return pp, false
	}
	if ok1 {
		pp.ContainerID = ctr
	} else {
		pp.ServiceID = svc
	}
	pp.Name = name
	pp.Protocol, pp.HostIP, pp.HostPort = proto, ap.Addr(), ap.Port()
	return pp, true
}

// fwdMapName is the netdev map of a network: container MAC -> host veth.
func fwdMapName(netID string) string { return "fwd-" + netID[:12] }

// ingressChainName is the netdev chain on a host veth.
func ingressChainName(veth string) string { return "in-" + veth }

// ingressRule hands frames for another container of the network straight
// to that container's veth: dup to it, drop the original.
func ingressRule(mapName string, setID uint32) []expr.Any {
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseLLHeader, Offset: 0, Len: 6},
		&expr.Lookup{SourceRegister: 1, DestRegister: 2, IsDestRegSet: true, SetName: mapName, SetID: setID},
		&expr.Dup{RegDev: 2, IsRegDevSet: true},
		verdict(expr.VerdictDrop),
	}
}
