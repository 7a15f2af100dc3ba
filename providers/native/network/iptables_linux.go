package network

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"

	"github.com/coreos/go-iptables/iptables"
	"github.com/google/nftables"
)

// A host firewall run with iptables, Docker's above all, may set the
// filter table's FORWARD policy to DROP. Every packet the host routes
// passes each base chain on the forward hook, and a drop in any of them
// is final: no accept in "ip berth" saves berth's routed traffic
// (outbound NAT, published ports reached from other hosts, hairpin) from
// that policy. So where that chain exists, berth keeps a chain of its own
// in the filter table, BERTH-FORWARD, and one jump to it in the built-in
// FORWARD chain, as libvirt and Podman do. It never touches another
// program's chains. An accept there only settles the filter table's
// verdict; the drops of "ip berth" (isolation, internal networks) still
// hold.
const (
	filterTable  = "filter"
	forwardChain = "FORWARD"
	acceptChain  = "BERTH-FORWARD"
	// iptablesWait bounds the wait for the xtables lock, in seconds.
	iptablesWait = 10
)

// acceptRules are BERTH-FORWARD's rules: all that comes from a berth
// bridge (what must not pass, "ip berth" drops), and what goes to one as
// a reply or a connection to a published port.
var acceptRules = [][]string{
	{"-i", bridgePrefix + "+", "-j", "ACCEPT"},
	{"-o", bridgePrefix + "+", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-j", "ACCEPT"},
}

// jumpRule is berth's one rule in FORWARD.
var jumpRule = []string{"-j", acceptChain}

// iptablesCommands are where the iptables command is looked for: the
// PATH, then where distributions put it, for a berth started with a
// short PATH (cron, some service units). Tests name another variant.
var iptablesCommands = []string{"iptables", "/usr/sbin/iptables", "/sbin/iptables"}

// ensureForwardAccept makes BERTH-FORWARD with its rules and FORWARD's
// jump to it, where missing. It runs each time a network is set up, so
// that a firewall that came after berth's networks (Docker started
// later) is met too. The caller holds the host lock exclusively.
func (m *Manager) ensureForwardAccept() error {
	return inNetNS(m.hostNS, func() error {
		ipt, err := m.forwardIPTables()
		if ipt == nil || err != nil {
			return err
		}
		if err := ensureAcceptChain(ipt); err != nil {
			return fmt.Errorf("iptables: add berth's chain %s to table %s: %w", acceptChain, filterTable, err)
		}
		// A jump anywhere in FORWARD does: what others put before it
		// (Docker inserts its jumps at the head) ends in RETURN for
		// traffic that is not theirs.
		has, err := ipt.Exists(filterTable, forwardChain, jumpRule...)
		if err == nil && !has {
			err = ipt.Insert(filterTable, forwardChain, 1, jumpRule...)
		}
		if err != nil {
			return fmt.Errorf("iptables: add the jump from %s to %s in table %s: %w", forwardChain, acceptChain, filterTable, err)
		}
		return nil
	})
}

// checkForwardAccept looks, cheaply, whether FORWARD jumps to
// BERTH-FORWARD where it should, and makes the way under the host lock
// when not: a firewall that came after berth's networks (Docker started
// after berth's restore at boot, or installed since) is met by the next
// container attached, not only by the next network set up. The caller
// holds no lock.
func (m *Manager) checkForwardAccept() error {
	missing := false
	err := inNetNS(m.hostNS, func() error {
		ipt, err := m.forwardIPTables()
		if ipt != nil {
			// An error is a no too: iptables-legacy fails on a jump to a
			// chain that does not exist.
			has, xerr := ipt.Exists(filterTable, forwardChain, jumpRule...)
			missing = !has || xerr != nil
		}
		return err
	})
	if err != nil || !missing {
		return err
	}
	unlock, err := m.lockHost(false)
	if err != nil {
		return err
	}
	defer unlock()
	return m.ensureForwardAccept()
}

// ensureAcceptChain makes BERTH-FORWARD and whichever of its rules is
// missing.
func ensureAcceptChain(ipt *iptables.IPTables) error {
	ok, err := ipt.ChainExists(filterTable, acceptChain)
	if err != nil {
		return err
	}
	add := ipt.AppendUnique
	if !ok {
		if err := ipt.NewChain(filterTable, acceptChain); err != nil {
			return err
		}
		add = ipt.Append // empty: nothing to look for
	}
	for _, r := range acceptRules {
		if err := add(filterTable, acceptChain, r...); err != nil {
			return err
		}
	}
	return nil
}

// removeForwardAccept deletes FORWARD's jumps to BERTH-FORWARD and that
// chain, where there. The caller holds the host lock exclusively.
func (m *Manager) removeForwardAccept() error {
	return inNetNS(m.hostNS, func() error {
		ipt, err := m.forwardIPTables()
		if ipt == nil || err != nil {
			return err
		}
		if ok, err := ipt.ChainExists(filterTable, acceptChain); !ok || err != nil {
			return err
		}
		if err := deleteJumps(ipt); err != nil {
			return fmt.Errorf("iptables: remove the jump from %s to %s: %w", forwardChain, acceptChain, err)
		}
		if err := ipt.ClearAndDeleteChain(filterTable, acceptChain); err != nil {
			return fmt.Errorf("iptables: remove chain %s: %w", acceptChain, err)
		}
		return nil
	})
}

// deleteJumps deletes every jump to BERTH-FORWARD from FORWARD (one,
// unless someone copied it).
func deleteJumps(ipt *iptables.IPTables) error {
	for {
		has, err := ipt.Exists(filterTable, forwardChain, jumpRule...)
		if err != nil || !has {
			return err
		}
		if err := ipt.Delete(filterTable, forwardChain, jumpRule...); err != nil {
			return err
		}
	}
}

// iptablesCmd is the host's iptables command, kept once found.
type iptablesCmd struct {
	mu  sync.Mutex
	ipt *iptables.IPTables // nil until found
	nft bool               // it works on nf_tables (iptables-nft)
}

// get returns the iptables command and whether it is iptables-nft; nil
// while there is none (looked for again each time: installing Docker
// brings one).
func (c *iptablesCmd) get() (*iptables.IPTables, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ipt != nil {
		return c.ipt, c.nft, nil
	}
	path := findIPTables()
	if path == "" {
		return nil, false, nil
	}
	version, err := exec.Command(path, "--version").Output()
	if err != nil {
		return nil, false, fmt.Errorf("%s --version: %w", path, err)
	}
	ipt, err := iptables.New(iptables.Path(path), iptables.Timeout(iptablesWait))
	if err != nil {
		return nil, false, fmt.Errorf("iptables %s: %w", path, err)
	}
	c.ipt, c.nft = ipt, isNFTables(string(version))
	return c.ipt, c.nft, nil
}

// forwardIPTables returns the host's iptables command, or nil when there
// is none or when the filter table with its FORWARD chain does not exist
// in the backend that command works on: then nothing there can drop
// berth's traffic, and berth does not make that table. It runs in the
// host namespace.
func (m *Manager) forwardIPTables() (*iptables.IPTables, error) {
	// Neither backend has the chain (the common case without Docker or
	// a firewall): no need to run iptables to learn which one it uses.
	inNFT, err := m.hasForwardChain(true)
	if err != nil {
		return nil, err
	}
	if !inNFT {
		if inLegacy, err := m.hasForwardChain(false); !inLegacy || err != nil {
			return nil, err
		}
	}
	ipt, nft, err := m.ipt.get()
	if ipt == nil || err != nil {
		return nil, err
	}
	if ok, err := m.hasForwardChain(nft); !ok || err != nil {
		return nil, err
	}
	return ipt, nil
}

// findIPTables is the path of the iptables command, or "".
func findIPTables() string {
	for _, c := range iptablesCommands {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// isNFTables reports whether `iptables --version` names the nf_tables
// backend ("iptables v1.8.9 (nf_tables)"); the legacy one says
// "(legacy)", or nothing before 1.8.
func isNFTables(version string) bool { return strings.Contains(version, "(nf_tables)") }

// hasForwardChain reports whether the filter table's FORWARD chain
// exists, without asking iptables: iptables-nft lists the built-in
// chains of a table that does not exist, and iptables-legacy makes the
// table on first use. It runs in the host namespace.
func (m *Manager) hasForwardChain(nft bool) (bool, error) {
	if !nft {
		// The legacy tables this namespace has; no file: no ip_tables.
		b, err := os.ReadFile("/proc/thread-self/net/ip_tables_names")
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		return slices.Contains(strings.Fields(string(b)), filterTable), err
	}
	c, err := m.nft.conn()
	if err != nil {
		return false, err
	}
	_, err = c.ListChain(&nftables.Table{Name: filterTable, Family: nftables.TableFamilyIPv4}, forwardChain)
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}
