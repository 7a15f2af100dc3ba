package network

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/userdata"
	"golang.org/x/sys/unix"
)

// nft talks to nftables in the host namespace (nsFd < 0: our own).
type nft struct{ nsFd int }

var (
	ipTable     = &nftables.Table{Name: tableName, Family: nftables.TableFamilyIPv4}
	netdevTable = &nftables.Table{Name: tableName, Family: nftables.TableFamilyNetdev}
)

func (n nft) conn() (*nftables.Conn, error) {
	if n.nsFd >= 0 {
		return nftables.New(nftables.WithNetNSFd(n.nsFd))
	}
	return nftables.New()
}

// isNotFound reports a netlink ENOENT: the object is not there. (Some
// nftables calls wrap the errno with %v, so the text counts too.)
func isNotFound(err error) bool {
	return errors.Is(err, unix.ENOENT) || (err != nil && strings.HasSuffix(err.Error(), unix.ENOENT.Error()))
}

func comment(s string) []byte { return userdata.AppendString(nil, userdata.TypeComment, s) }

func commentOf(r *nftables.Rule) string {
	s, _ := userdata.GetString(r.UserData, userdata.TypeComment)
	return s
}

// ensureTables makes berth's tables with their chains and static rules,
// in one transaction, unless they exist. The caller holds the host lock
// exclusively.
func (n nft) ensureTables() error {
	c, err := n.conn()
	if err != nil {
		return err
	}
	_, errIP := c.ListTableOfFamily(tableName, nftables.TableFamilyIPv4)
	_, errND := c.ListTableOfFamily(tableName, nftables.TableFamilyNetdev)
	if errIP == nil && errND == nil {
		return nil
	}
	if errIP != nil {
		c.AddTable(ipTable)
		chains := map[string]*nftables.Chain{}
		for _, cs := range ipChains {
			ch := &nftables.Chain{Name: cs.name, Table: ipTable}
			if cs.hook != nil {
				prio := cs.prio
				ch.Type, ch.Hooknum, ch.Priority = cs.typ, cs.hook, &prio
			}
			chains[cs.name] = c.AddChain(ch)
		}
		for _, r := range staticRules() {
			c.AddRule(&nftables.Rule{Table: ipTable, Chain: chains[r.chain], Exprs: r.exprs, UserData: comment(r.comment)})
		}
	}
	if errND != nil {
		c.AddTable(netdevTable)
	}
	if err := c.Flush(); err != nil {
		return fmt.Errorf("create nftables tables %q: %w", tableName, err)
	}
	return nil
}

// deleteTables removes berth's tables, if there.
func (n nft) deleteTables() error {
	for _, t := range []*nftables.Table{ipTable, netdevTable} {
		c, err := n.conn()
		if err != nil {
			return err
		}
		c.DelTable(t)
		if err := c.Flush(); err != nil && !isNotFound(err) {
			return fmt.Errorf("delete nftables table %s: %w", tableName, err)
		}
	}
	return nil
}

// addRules adds rules to "ip berth" in one transaction.
func (n nft) addRules(c *nftables.Conn, rules []ruleSpec) {
	for _, r := range rules {
		ch := &nftables.Chain{Name: r.chain, Table: ipTable}
		c.AddRule(&nftables.Rule{Table: ipTable, Chain: ch, Exprs: r.exprs, UserData: comment(r.comment)})
	}
}

// addNetwork adds a network's rules and its netdev map.
func (n nft) addNetwork(nw *Network) error {
	c, err := n.conn()
	if err != nil {
		return err
	}
	n.addRules(c, networkRules(nw))
	m := fwdMap(nw.ID)
	if err := c.AddSet(m, nil); err != nil {
		return err
	}
	if err := c.Flush(); err != nil {
		return fmt.Errorf("add nftables rules of network %s: %w", nw.Name, err)
	}
	return nil
}

func fwdMap(netID string) *nftables.Set {
	return &nftables.Set{Table: netdevTable, Name: fwdMapName(netID), IsMap: true,
		KeyType: nftables.TypeEtherAddr, DataType: nftables.TypeIFIndex}
}

// removeNetwork deletes a network's rules and map.
func (n nft) removeNetwork(netID string) error {
	if err := n.deleteTagged(func(s string) bool { return s == netComment(netID) }); err != nil {
		return err
	}
	c, err := n.conn()
	if err != nil {
		return err
	}
	if _, err := c.GetSetByName(netdevTable, fwdMapName(netID)); err != nil {
		return nil
	}
	c.DelSet(fwdMap(netID))
	if err := c.Flush(); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete nftables map of network %s: %w", netID, err)
	}
	return nil
}

// deleteTagged deletes the rules of "ip berth" whose comment matches.
func (n nft) deleteTagged(match func(string) bool) error {
	c, err := n.conn()
	if err != nil {
		return err
	}
	found := 0
	for _, cs := range ipChains {
		rules, err := c.GetRules(ipTable, &nftables.Chain{Name: cs.name, Table: ipTable})
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return err
		}
		for _, r := range rules {
			if match(commentOf(r)) {
				if err := c.DelRule(r); err != nil {
					return err
				}
				found++
			}
		}
	}
	if found == 0 {
		return nil
	}
	if err := c.Flush(); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete nftables rules: %w", err)
	}
	return nil
}

// fwdEntry is one container interface in its network's netdev map.
type fwdEntry struct {
	netID string
	mac   net.HardwareAddr
	veth  string
	index int
}

// addEndpoint adds a container's map entries, ingress chains and
// published ports in one transaction.
func (n nft) addEndpoint(entries []fwdEntry, ports []ruleSpec) error {
	c, err := n.conn()
	if err != nil {
		return err
	}
	for _, e := range entries {
		m := fwdMap(e.netID)
		if err := c.SetAddElements(m, []nftables.SetElement{{Key: e.mac, Val: binaryutil.NativeEndian.PutUint32(uint32(e.index))}}); err != nil {
			return err
		}
		prio := *nftables.ChainPriorityFilter
		ch := c.AddChain(&nftables.Chain{Name: ingressChainName(e.veth), Table: netdevTable, Type: nftables.ChainTypeFilter,
			Hooknum: nftables.ChainHookIngress, Priority: &prio, Device: e.veth})
		c.AddRule(&nftables.Rule{Table: netdevTable, Chain: ch, Exprs: ingressRule(m.Name, 0)})
	}
	n.addRules(c, ports)
	if err := c.Flush(); err != nil {
		return fmt.Errorf("add nftables rules: %w", err)
	}
	return nil
}

// removeEndpoint deletes what addEndpoint made for a container: its
// ports, its ingress chains and its map entries (those still there).
func (n nft) removeEndpoint(ctrID string, entries []fwdEntry) error {
	tag := ctrComment(ctrID, "", nil)
	if err := n.deleteTagged(func(s string) bool { return s == tag || strings.HasPrefix(s, tag+" ") }); err != nil {
		return err
	}
	c, err := n.conn()
	if err != nil {
		return err
	}
	chains, err := c.ListChainsOfTableFamily(nftables.TableFamilyNetdev)
	if err != nil && !isNotFound(err) {
		return err
	}
	ops := 0
	prefix := ingressChainName(vethNamePrefix(ctrID))
	for _, ch := range chains {
		if ch.Table.Name == tableName && strings.HasPrefix(ch.Name, prefix) {
			c.DelChain(ch)
			ops++
		}
	}
	for _, e := range entries {
		m, err := c.GetSetByName(netdevTable, fwdMapName(e.netID))
		if err != nil {
			continue
		}
		if has, _ := hasElement(c, m, e.mac); has {
			if err := c.SetDeleteElements(m, []nftables.SetElement{{Key: e.mac}}); err != nil {
				return err
			}
			ops++
		}
	}
	if ops == 0 {
		return nil
	}
	if err := c.Flush(); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete nftables rules of container %s: %w", ctrID, err)
	}
	return nil
}

func hasElement(c *nftables.Conn, m *nftables.Set, key []byte) (bool, error) {
	elems, err := c.GetSetElements(m)
	if err != nil {
		return false, err
	}
	for _, e := range elems {
		if string(e.Key) == string(key) {
			return true, nil
		}
	}
	return false, nil
}

// publishedPorts lists every port published by a berth container on this
// host (by any runtime root), from the rules' comments.
func (n nft) publishedPorts() ([]PublishedPort, error) {
	c, err := n.conn()
	if err != nil {
		return nil, err
	}
	rules, err := c.GetRules(ipTable, &nftables.Chain{Name: chainPublished, Table: ipTable})
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []PublishedPort
	for _, r := range rules {
		if pp, ok := parsePortComment(commentOf(r)); ok {
			out = append(out, pp)
		}
	}
	return out, nil
}
