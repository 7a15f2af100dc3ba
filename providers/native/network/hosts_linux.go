package network

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
)

// SyncHosts computes, for every member of the named networks, the
// /etc/hosts entries it should have, and hands them to write (which
// rewrites the file). It runs under the root lock, reading the members
// then, so that syncs of concurrent attaches and detaches are applied in
// order and the last one leaves every file right. Callers in one process
// that arrive while a sync waits for the lock join it instead of running
// their own (it reads the members after their change, so it covers them
// too; it uses its first caller's write). Errors of write are collected.
func (m *Manager) SyncHosts(ctx context.Context, networks []string, write func(containerID string, entries []HostEntry) error) error {
	m.hostsMu.Lock()
	b := m.nextSync
	leader := b == nil
	if leader {
		b = &syncBatch{done: make(chan struct{}), nets: map[string]bool{}}
		m.nextSync = b
	}
	for _, n := range networks {
		b.nets[n] = true
	}
	m.hostsMu.Unlock()
	if !leader {
		select {
		case <-b.done:
			return b.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer close(b.done)
	unlock, err := m.lockRoot(false)
	if err != nil {
		b.err = err
		return err
	}
	defer unlock()
	m.hostsMu.Lock()
	m.nextSync = nil // later callers start a new batch
	nets := sortedKeys(b.nets)
	m.hostsMu.Unlock()
	b.err = m.syncLocked(ctx, nets, write)
	return b.err
}

// syncBatch is one SyncHosts run and the callers waiting for it.
type syncBatch struct {
	done chan struct{}
	nets map[string]bool
	err  error
}

// syncLocked is SyncHosts' work, under the root lock.
func (m *Manager) syncLocked(ctx context.Context, networks []string, write func(string, []HostEntry) error) error {
	cache := map[string]*netRecord{}
	read := func(name string) *netRecord {
		if rec, ok := cache[name]; ok {
			return rec
		}
		rec, _ := m.st.readNet(name)
		cache[name] = rec
		return rec
	}
	ids := map[string]bool{}
	for _, n := range networks {
		if rec := read(n); rec != nil {
			for id := range rec.Members {
				ids[id] = true
			}
		}
	}
	var errs []error
	for _, id := range sortedKeys(ids) {
		if err := ctx.Err(); err != nil {
			return err
		}
		ep, err := m.st.readEndpoint(id)
		if err != nil {
			continue // detached meanwhile
		}
		var recs []*netRecord
		for _, n := range ep.Networks() {
			if rec := read(n); rec != nil {
				recs = append(recs, rec)
			}
		}
		if err := write(id, hostsFor(id, recs)); err != nil {
			errs = append(errs, fmt.Errorf("hosts of %s: %w", shortID(id), err))
		}
	}
	return errors.Join(errs...)
}

// HostsFor returns a container's /etc/hosts entries as SyncHosts would.
func (m *Manager) HostsFor(containerID string) ([]HostEntry, error) {
	ep, err := m.Endpoint(containerID)
	if err != nil {
		return nil, err
	}
	var recs []*netRecord
	for _, n := range ep.Networks() {
		if rec, err := m.st.readNet(n); err == nil {
			recs = append(recs, rec)
		}
	}
	return hostsFor(containerID, recs), nil
}

// hostsFor lists, for container id, one line per member of each of its
// networks: its own address under its hostname, name and aliases first,
// then every other member's under its name, aliases and groups (a group
// name, such as a deployment's, appears on the line of each member, so
// it resolves to all of them), ordered by address.
func hostsFor(id string, recs []*netRecord) []HostEntry {
	var self, others []HostEntry
	seen := map[string]bool{}
	for _, rec := range recs {
		me := rec.Members[id]
		if me == nil {
			continue
		}
		for mid, mb := range rec.Members {
			names := append([]string{mb.Name}, mb.Aliases...)
			if mid == id && mb.Hostname != "" && mb.Hostname != mb.Name {
				names = append([]string{mb.Hostname}, names...)
			}
			names = append(names, mb.Groups...)
			e := HostEntry{IP: mb.IP.String(), Names: dedupe(names)}
			key := fmt.Sprint(e)
			if seen[key] {
				continue
			}
			seen[key] = true
			if mid == id {
				self = append(self, e)
			} else {
				others = append(others, e)
			}
		}
	}
	sort.Slice(others, func(i, j int) bool {
		a, _ := netip.ParseAddr(others[i].IP)
		b, _ := netip.ParseAddr(others[j].IP)
		return a.Less(b)
	})
	return append(self, others...)
}

func dedupe(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
