package network

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// Manager manages the networks and container endpoints of one runtime
// root. Its methods are safe for concurrent use, by goroutines and by
// processes sharing the root.
type Manager struct {
	st       store
	netnsDir string
	runDir   string
	hostNS   string
	nsFd     int
	nft      nft
	ipt      iptablesCmd
	pool     Pool

	hostsMu  sync.Mutex
	nextSync *syncBatch // SyncHosts batch waiting for the lock
}

// Open returns the manager of the networks under root (the runtime
// root). It touches nothing until a method needs it.
func Open(root string, opts Options) (*Manager, error) {
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("runtime root %q is not an absolute path", root)
	}
	m := &Manager{st: store{dir: filepath.Join(root, "networks")}, netnsDir: filepath.Join(root, "netns"),
		runDir: opts.RunDir, hostNS: opts.HostNetNS, nsFd: -1, pool: opts.Pool}
	if m.runDir == "" {
		m.runDir = "/run/berth/network"
	}
	if !m.pool.First.IsValid() {
		m.pool = DefaultPool
	}
	if m.hostNS != "" {
		fd, err := netns.GetFromPath(m.hostNS)
		if err != nil {
			return nil, fmt.Errorf("host network namespace %s: %w", m.hostNS, err)
		}
		m.nsFd = int(fd) // kept open for the manager's life
	}
	m.nft = nft{nsFd: m.nsFd}
	return m, nil
}

// handle is a netlink handle in the host namespace; Delete it after use.
func (m *Manager) handle() (*netlink.Handle, error) {
	if m.nsFd >= 0 {
		return netlink.NewHandleAt(netns.NsHandle(m.nsFd))
	}
	return netlink.NewHandle()
}

// lockRoot takes the root's record lock; with host, also the host-wide
// lock (exclusive). Always in this order.
func (m *Manager) lockRoot(host bool) (func(), error) {
	rl, err := lockPath(m.st.lockPath(), false)
	if err != nil {
		return nil, err
	}
	if !host {
		return rl.unlock, nil
	}
	hl, err := lockPath(filepath.Join(m.runDir, "lock"), false)
	if err != nil {
		rl.unlock()
		return nil, err
	}
	return func() { hl.unlock(); rl.unlock() }, nil
}

// lockHost takes only the host-wide lock.
func (m *Manager) lockHost(shared bool) (func(), error) {
	hl, err := lockPath(filepath.Join(m.runDir, "lock"), shared)
	if err != nil {
		return nil, err
	}
	return hl.unlock, nil
}

// Get returns the network called name (ErrNotFound if none).
func (m *Manager) Get(name string) (*Network, error) {
	rec, err := m.st.readNet(name)
	if err != nil {
		return nil, err
	}
	return &rec.Network, nil
}

// List returns every network of the root, by name.
func (m *Manager) List() ([]*Network, error) {
	recs, err := m.st.listNets()
	if err != nil {
		return nil, err
	}
	out := make([]*Network, len(recs))
	for i, r := range recs {
		out[i] = &r.Network
	}
	return out, nil
}

// Create makes a network: its subnet (given, or the first free one of
// the pool), bridge, gateway and rules. Creating a network that exists
// with the same settings repairs what is missing of it and returns it.
func (m *Manager) Create(ctx context.Context, cfg Config) (*Network, error) {
	if !ValidName(cfg.Name) {
		return nil, fmt.Errorf("%w: network name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit", ErrInvalid, cfg.Name)
	}
	if cfg.Name == DefaultNetwork {
		return nil, fmt.Errorf("%w: the name %q is reserved for berth's default network", ErrInvalid, cfg.Name)
	}
	if cfg.Subnet.IsValid() {
		if err := CheckSubnet(cfg.Subnet); err != nil {
			return nil, err
		}
	}
	unlock, err := m.lockRoot(true)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if rec, err := m.st.readNet(cfg.Name); err == nil {
		if rec.Internal != cfg.Internal || (cfg.Subnet.IsValid() && cfg.Subnet != rec.Subnet) {
			return nil, fmt.Errorf("%w: network %s exists with other settings (subnet %s, internal %v)", ErrInvalid, cfg.Name, rec.Subnet, rec.Internal)
		}
		return &rec.Network, m.setupNetwork(rec)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	rec := &netRecord{Network: Network{ID: newID(), Name: cfg.Name, Internal: cfg.Internal, Created: time.Now().UTC()}}
	return m.create(rec, cfg.Subnet)
}

// create gives rec a subnet and bridge and makes it. The caller holds
// the root and host locks.
func (m *Manager) create(rec *netRecord, subnet netip.Prefix) (*Network, error) {
	taken, err := m.takenSubnets()
	if err != nil {
		return nil, err
	}
	switch {
	case subnet.IsValid():
		if t := overlapping(subnet, taken); t != nil {
			return nil, fmt.Errorf("%w: subnet %s overlaps %s", ErrInvalid, subnet, t.what)
		}
	case rec.Default && overlapping(defaultSubnet, taken) == nil:
		subnet = defaultSubnet
	default:
		if subnet, err = m.pool.allocateSubnet(prefixes(taken)); err != nil {
			return nil, err
		}
		rec.Allocated = true
	}
	rec.Subnet, rec.Gateway, rec.Bridge = subnet, gatewayOf(subnet), bridgeName(rec.ID)
	rec.Members = map[string]*member{}
	// The record first: a crash from here on leaves something that
	// Remove (or Create, repairing) finds.
	if err := m.st.writeNet(rec); err != nil {
		return nil, err
	}
	if err := m.setupNetwork(rec); err != nil {
		_ = m.teardownNetwork(rec)
		return nil, err
	}
	return &rec.Network, nil
}

// setupNetwork makes (or completes) a network's kernel objects: berth's
// tables, forwarding, its way past an iptables FORWARD chain, the bridge
// and the network's rules.
func (m *Manager) setupNetwork(rec *netRecord) error {
	if err := m.nft.ensureTables(); err != nil {
		return err
	}
	if err := m.enableForwarding(); err != nil {
		return err
	}
	if err := m.ensureForwardAccept(); err != nil {
		return err
	}
	h, err := m.handle()
	if err != nil {
		return err
	}
	defer h.Delete()
	created, err := m.ensureBridge(h, &rec.Network)
	if err != nil {
		return err
	}
	if created {
		_ = m.nft.removeNetwork(rec.ID) // a half-made earlier attempt's
		if err := m.nft.addNetwork(&rec.Network); err != nil {
			return err
		}
		rejoin(h, rec)
	}
	return nil
}

// rejoin puts the members' veths back on a bridge made again (deleted
// behind berth's back, the bridge let its ports go, and they live on).
func rejoin(h *netlink.Handle, rec *netRecord) {
	br, err := h.LinkByName(rec.Bridge)
	if err != nil {
		return
	}
	for _, mb := range rec.Members {
		if l, err := h.LinkByName(mb.Veth); err == nil {
			_ = h.LinkSetMaster(l, br)
		}
	}
}

// BridgeExists reports whether the network's bridge is there (refresh
// treats a network whose bridge went as gone; Create makes it again).
func (m *Manager) BridgeExists(n *Network) (bool, error) {
	h, err := m.handle()
	if err != nil {
		return false, err
	}
	defer h.Delete()
	l, err := h.LinkByName(n.Bridge)
	if err != nil {
		var nf netlink.LinkNotFoundError
		if errors.As(err, &nf) {
			return false, nil
		}
		return false, err
	}
	_, ok := l.(*netlink.Bridge)
	return ok, nil
}

// Remove deletes a network: its rules, bridge and record. Members whose
// container no longer exists (exists reports false) are detached first;
// any other member makes it ErrInUse. Removing a missing network succeeds.
func (m *Manager) Remove(ctx context.Context, name string, exists func(containerID string) bool) error {
	unlock, err := m.lockRoot(true)
	if err != nil {
		return err
	}
	defer unlock()
	rec, err := m.st.readNet(name)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var left []string
	for id, mb := range rec.Members {
		if exists != nil && !exists(id) {
			if err := m.detachLocked(id); err != nil {
				return err
			}
			continue
		}
		left = append(left, mb.Name)
	}
	if len(left) > 0 {
		sort.Strings(left)
		return fmt.Errorf("%w: %s still has %s", ErrInUse, name, strings.Join(left, ", "))
	}
	return m.teardownNetwork(rec)
}

// teardownNetwork removes a network's rules, bridge and record, and,
// when it was the host's last berth network, berth's tables and the
// sysctls berth changed. The caller holds the root and host locks.
func (m *Manager) teardownNetwork(rec *netRecord) error {
	if err := m.nft.removeNetwork(rec.ID); err != nil {
		return err
	}
	h, err := m.handle()
	if err != nil {
		return err
	}
	defer h.Delete()
	if err := deleteLink(h, rec.Bridge); err != nil {
		return fmt.Errorf("delete bridge %s: %w", rec.Bridge, err)
	}
	if err := m.st.removeNet(rec.Name); err != nil {
		return err
	}
	return m.cleanupHost(h)
}

// cleanupHost removes berth's tables and iptables chain and restores
// sysctls once no berth bridge is left on the host. The caller holds the
// host lock.
func (m *Manager) cleanupHost(h *netlink.Handle) error {
	links, err := h.LinkList()
	if err != nil {
		return err
	}
	for _, l := range links {
		if _, ok := l.(*netlink.Bridge); ok && strings.HasPrefix(l.Attrs().Name, bridgePrefix) {
			return nil
		}
	}
	// Both, whatever the other's outcome: no later call comes for the
	// host's last network.
	if err := errors.Join(m.nft.deleteTables(), m.removeForwardAccept()); err != nil {
		return err
	}
	return m.restoreSysctls()
}

// netnsPath is where a container's namespace is mounted.
func (m *Manager) netnsPath(id string) string { return filepath.Join(m.netnsDir, id) }

// ensureDirs makes the record and namespace directories.
func (m *Manager) ensureDirs() error {
	for _, d := range []string{m.st.dir, m.netnsDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}
