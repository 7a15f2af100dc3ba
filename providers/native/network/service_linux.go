package network

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// SetService makes the service's rules publish exactly svc.Ports, each
// balanced over its backends, in one nftables transaction under the host
// lock: a new connection sees either the old backends or the new ones,
// and established connections keep theirs (conntrack translates them,
// not the rules). A port new to the service is checked as a container's
// is (ErrPortInUse) and with HostPort 0 gets a free port; the ports as
// published are returned. Each port's targets are a named map
// (svc-ID-PROTO-ADDR-PORT), so that `nft list table ip berth` shows
// them. A rule whose targets did not change is left alone, so calling
// it again costs a rule listing. A port without backends keeps a rule
// that translates nothing (new connections find whatever listens on the
// host, usually nothing): the port stays the service's. Without any
// berth network on the host there is no table to hold rules: then, with
// no backends, nothing is made.
func (m *Manager) SetService(ctx context.Context, svc Service) ([]Port, error) {
	unlock, err := m.lockHost(false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	have, tableExists, err := m.nft.serviceRules(svc.ID)
	if err != nil {
		return nil, fmt.Errorf("list the rules of %s: %w", svc.Name, err)
	}
	published, err := m.nft.publishedPorts()
	if err != nil {
		return nil, fmt.Errorf("list published ports: %w", err)
	}
	plan, err := m.planService(svc, have, published)
	if err != nil {
		return nil, err
	}
	if !tableExists && !plan.hasTargets() {
		return plan.ports, nil
	}
	if !tableExists {
		if err := m.nft.ensureTables(); err != nil {
			return nil, err
		}
	}
	if err := m.nft.applyService(svc.ID, plan); err != nil {
		return nil, fmt.Errorf("publish the ports of %s: %w", svc.Name, err)
	}
	m.forgetStaleUDP(plan)
	return plan.ports, nil
}

// RemoveService deletes every rule and map of the service with that ID.
func (m *Manager) RemoveService(ctx context.Context, id string) error {
	unlock, err := m.lockHost(false)
	if err != nil {
		return err
	}
	defer unlock()
	return m.nft.removeService(id)
}

// removeService deletes a service's rules and maps in one transaction.
func (n nft) removeService(id string) error {
	rules, exists, err := n.serviceRules(id)
	if err != nil || !exists {
		return err
	}
	c, err := n.conn()
	if err != nil {
		return err
	}
	maps, err := serviceMaps(c, id)
	if err != nil {
		return err
	}
	if len(rules) == 0 && len(maps) == 0 {
		return nil
	}
	for _, r := range rules {
		if err := c.DelRule(r); err != nil {
			return err
		}
	}
	for _, s := range maps {
		c.DelSet(s)
	}
	if err := c.Flush(); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete the rules of service %s: %w", shortID(id), err)
	}
	return nil
}

// servicePlan is what SetService changes: the rules to add, the ones
// to delete, and the ports as they will be published.
type servicePlan struct {
	ports []Port
	add   []svcRule
	del   []*nftables.Rule
}

// svcRule is one port's rule as SetService makes it, replacing old
// (nil for a port new to the service).
type svcRule struct {
	port    Port
	targets []target
	comment string
	mapName string
	old     *nftables.Rule
}

func (p *servicePlan) hasTargets() bool {
	for _, r := range p.add {
		if len(r.targets) > 0 {
			return true
		}
	}
	return false
}

// planService compares the wanted ports with the service's rules (have,
// by comment): unchanged rules stay, changed ones are replaced, rules of
// ports no longer wanted go, and new ports are checked or chosen.
func (m *Manager) planService(svc Service, have []*nftables.Rule, published []PublishedPort) (*servicePlan, error) {
	plan := &servicePlan{}
	kept := map[*nftables.Rule]bool{}
	for _, sp := range svc.Ports {
		p := sp.Port
		old := findServiceRule(have, p)
		if old == nil {
			if err := m.claimPort(&p, svc.ID, published); err != nil {
				return nil, err
			}
			published = append(published, PublishedPort{Port: p, ServiceID: svc.ID, Name: svc.Name})
		}
		targets, err := m.targetsOf(sp)
		if err != nil {
			return nil, fmt.Errorf("%s port %s: %w", svc.Name, p, err)
		}
		plan.ports = append(plan.ports, p)
		c := svcComment(svc.ID, svc.Name, p, targets)
		if old != nil && commentOf(old) == c {
			kept[old] = true
			continue
		}
		plan.add = append(plan.add, svcRule{port: p, targets: targets, comment: c, mapName: svcMapName(svc.ID, p), old: old})
		if old != nil {
			kept[old] = true
		}
	}
	for _, r := range have {
		if !kept[r] {
			plan.del = append(plan.del, r)
		}
	}
	return plan, nil
}

// claimPort checks a port new to the service, or chooses one.
func (m *Manager) claimPort(p *Port, owner string, published []PublishedPort) error {
	if p.HostPort != 0 {
		return m.checkPort(*p, owner, published)
	}
	port, err := m.freePort(*p, published)
	p.HostPort = port
	return err
}

// findServiceRule finds the rule of p (protocol, address and host port)
// among a service's rules.
func findServiceRule(rules []*nftables.Rule, p Port) *nftables.Rule {
	if p.HostPort == 0 {
		return nil
	}
	for _, r := range rules {
		pp, ok := parsePortComment(commentOf(r))
		if ok && pp.Protocol == p.Protocol && pp.HostIP == p.HostIP && pp.HostPort == p.HostPort {
			return r
		}
	}
	return nil
}

// targetsOf resolves a port's backends to addresses: each container's
// address on its first network that is not internal (where its default
// route and the host's NAT rules are). A backend whose endpoint is gone
// is skipped: it cannot take connections.
func (m *Manager) targetsOf(sp ServicePort) ([]target, error) {
	var out []target
	for _, b := range sp.Backends {
		ep, err := m.st.readEndpoint(b.ContainerID)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		addr, err := m.publicAddr(ep)
		if err != nil {
			return nil, err
		}
		port := b.Port
		if port == 0 {
			port = sp.ContainerPort
		}
		out = append(out, target{addr: addr, port: port})
	}
	sortTargets(out)
	return out, nil
}

// publicAddr is the endpoint's address on its first network that is not
// internal.
func (m *Manager) publicAddr(ep *Endpoint) (netip.Addr, error) {
	for _, ifc := range ep.Interfaces {
		rec, err := m.st.readNet(ifc.Network)
		if err != nil {
			return netip.Addr{}, err
		}
		if !rec.Internal {
			return ifc.IP, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("%w: container %s (%s) is only on internal networks, which no published port reaches", ErrInvalid, ep.Name, shortID(ep.ContainerID))
}

// serviceRules lists the rules of a service in the published chain, and
// whether berth's table exists at all.
func (n nft) serviceRules(id string) ([]*nftables.Rule, bool, error) {
	c, err := n.conn()
	if err != nil {
		return nil, false, err
	}
	if _, err := c.ListTableOfFamily(tableName, nftables.TableFamilyIPv4); err != nil {
		if isNotFound(err) {
			return nil, false, nil
		}
		return nil, false, err
	}
	rules, err := c.GetRules(ipTable, &nftables.Chain{Name: chainPublished, Table: ipTable})
	if err != nil && !isNotFound(err) {
		return nil, false, err
	}
	tag := svcTag(id)
	var out []*nftables.Rule
	for _, r := range rules {
		if strings.HasPrefix(commentOf(r), tag) {
			out = append(out, r)
		}
	}
	return out, true, nil
}

// applyService makes the planned changes in one transaction: rules of
// ports no longer published go with their maps; a changed port's rule is
// replaced and its map refilled.
func (n nft) applyService(svcID string, plan *servicePlan) error {
	if len(plan.add) == 0 && len(plan.del) == 0 {
		return nil
	}
	c, err := n.conn()
	if err != nil {
		return err
	}
	maps, err := serviceMaps(c, svcID)
	if err != nil {
		return err
	}
	for _, r := range plan.del {
		if err := c.DelRule(r); err != nil {
			return err
		}
		if pp, ok := parsePortComment(commentOf(r)); ok && maps[svcMapName(svcID, pp.Port)] != nil {
			c.DelSet(maps[svcMapName(svcID, pp.Port)])
		}
	}
	ch := &nftables.Chain{Name: chainPublished, Table: ipTable}
	for _, r := range plan.add {
		if r.old != nil {
			if err := c.DelRule(r.old); err != nil {
				return err
			}
		}
		exprs, err := balanceExprs(c, maps[r.mapName], r)
		if err != nil {
			return err
		}
		c.AddRule(&nftables.Rule{Table: ipTable, Chain: ch, Exprs: exprs, UserData: comment(r.comment)})
	}
	return c.Flush()
}

// svcMapName is the map of a service port's targets.
func svcMapName(svcID string, p Port) string {
	a := p.HostIP.As4()
	return fmt.Sprintf("%s%s-%x-%d", svcMapPrefix(svcID), p.Protocol, a[:], p.HostPort)
}

// svcMapPrefix starts the name of every map of a service.
func svcMapPrefix(svcID string) string { return "svc-" + idPart(svcID, 12) + "-" }

// serviceMaps lists the service's maps by name.
func serviceMaps(c *nftables.Conn, svcID string) (map[string]*nftables.Set, error) {
	sets, err := c.GetSets(ipTable)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	out := map[string]*nftables.Set{}
	for _, s := range sets {
		if strings.HasPrefix(s.Name, svcMapPrefix(svcID)) {
			out[s.Name] = s
		}
	}
	return out, nil
}

// balanceExprs is one service port's rule: match the port and, with
// targets, pick one at random for the connection's first packet:
//
//	[ip daddr HOST_IP] meta l4proto P th dport PORT
//	  dnat to numgen random mod N map @svc-ID-P-ADDR-PORT
//
// where the map goes from 0..N-1 to address . port. The map (existing
// one, or nil) is refilled, made, or deleted when there are no targets,
// in the caller's transaction. Without targets the rule only matches
// (and keeps the port the service's).
func balanceExprs(c *nftables.Conn, existing *nftables.Set, r svcRule) ([]expr.Any, error) {
	var m []expr.Any
	if !r.port.HostIP.IsUnspecified() {
		m = matchAddr(false, netip.PrefixFrom(r.port.HostIP, 32))
	}
	m = join(m, matchDport(r.port.Protocol, r.port.HostPort))
	if len(r.targets) == 0 {
		if existing != nil {
			c.DelSet(existing)
		}
		return m, nil
	}
	set, err := fillTargetMap(c, existing, r)
	if err != nil {
		return nil, err
	}
	return join(m, pickTarget(set, len(r.targets))), nil
}

// fillTargetMap makes the port's map (or empties the existing one) and
// adds its targets.
func fillTargetMap(c *nftables.Conn, set *nftables.Set, r svcRule) (*nftables.Set, error) {
	if set != nil {
		c.FlushSet(set)
	} else {
		data, err := nftables.ConcatSetType(nftables.TypeIPAddr, nftables.TypeInetService)
		if err != nil {
			return nil, err
		}
		// The key is numgen's result, a number in host byte order.
		set = &nftables.Set{Table: ipTable, Name: r.mapName, IsMap: true,
			KeyType: nftables.TypeInteger, DataType: data, KeyByteOrder: binaryutil.NativeEndian}
		if err := c.AddSet(set, nil); err != nil {
			return nil, err
		}
	}
	elems := make([]nftables.SetElement, len(r.targets))
	for i, t := range r.targets {
		a := t.addr.As4()
		// A concatenation pads each field to 4 bytes.
		val := append(a[:], binaryutil.BigEndian.PutUint16(t.port)...)
		elems[i] = nftables.SetElement{Key: binaryutil.NativeEndian.PutUint32(uint32(i)), Val: append(val, 0, 0)}
	}
	return set, c.SetAddElements(set, elems)
}

// pickTarget draws a number below n, looks its target up (address in
// the first 32-bit register of register 1, port in the next, NFT_REG32_01)
// and translates the destination to it.
func pickTarget(set *nftables.Set, n int) []expr.Any {
	const reg32x01 = 9 // NFT_REG32_01: the second 4 bytes of register 1
	return []expr.Any{
		&expr.Numgen{Register: 1, Modulus: uint32(n), Type: unix.NFT_NG_RANDOM},
		&expr.Lookup{SourceRegister: 1, DestRegister: 1, IsDestRegSet: true, SetName: set.Name, SetID: set.ID},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1, RegProtoMin: reg32x01, Specified: true},
	}
}

// forgetStaleUDP drops the conntrack entries of the changed UDP ports
// that lead to a target no longer in the rule. A UDP "connection" has no
// end: without this, a client sending from the same port would keep
// reaching a removed replica until the entry times out. TCP connections
// keep their entries on purpose: they finish where they started.
func (m *Manager) forgetStaleUDP(plan *servicePlan) {
	var filters []netlink.CustomConntrackFilter
	for _, r := range plan.add {
		if r.port.Protocol == "udp" {
			f := staleUDP{port: r.port, keep: map[netip.Addr]bool{}}
			for _, t := range r.targets {
				f.keep[t.addr] = true
			}
			filters = append(filters, f)
		}
	}
	if len(filters) == 0 {
		return
	}
	h, err := m.handle()
	if err != nil {
		return
	}
	defer h.Delete()
	_, _ = h.ConntrackDeleteFilters(netlink.ConntrackTable, unix.AF_INET, filters...)
}

// staleUDP matches UDP flows to a service port that were translated to
// an address not in keep.
type staleUDP struct {
	port Port
	keep map[netip.Addr]bool
}

func (f staleUDP) MatchConntrackFlow(flow *netlink.ConntrackFlow) bool {
	fw, rv := flow.Forward, flow.Reverse
	if fw.Protocol != unix.IPPROTO_UDP || fw.DstPort != f.port.HostPort {
		return false
	}
	dst, _ := netip.AddrFromSlice(fw.DstIP.To4())
	if !f.port.HostIP.IsUnspecified() && dst != f.port.HostIP {
		return false
	}
	src, _ := netip.AddrFromSlice(rv.SrcIP.To4())
	return src != dst && !f.keep[src]
}
