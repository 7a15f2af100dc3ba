package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// globalSysctls are the host-wide settings berth's networks need.
var globalSysctls = map[string]string{
	"net.ipv4.ip_forward": "1", // published ports from other hosts, outbound NAT, hairpin
}

// sysctlRecord is <RunDir>/sysctl.json: the values found before berth
// changed them.
type sysctlRecord struct {
	Original map[string]string `json:"original"`
}

func (m *Manager) sysctlPath() string { return filepath.Join(m.runDir, "sysctl.json") }

// enableForwarding sets the global sysctls, first recording the values
// it finds (once: a record already there holds the true originals). The
// caller holds the host lock.
func (m *Manager) enableForwarding() error {
	var rec sysctlRecord
	if err := readJSON(m.sysctlPath(), &rec); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if rec.Original == nil {
		rec.Original = map[string]string{}
	}
	for name, want := range globalSysctls {
		cur, err := readSysctl(m.hostNS, name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if cur == want {
			continue
		}
		if _, ok := rec.Original[name]; !ok {
			rec.Original[name] = cur
			// Written before the change: a crash in between loses nothing.
			if err := writeJSON(m.sysctlPath(), rec); err != nil {
				return err
			}
		}
		if err := writeSysctl(m.hostNS, name, want); err != nil {
			return fmt.Errorf("set %s=%s: %w", name, want, err)
		}
	}
	return nil
}

// restoreSysctls puts back the values enableForwarding found, unless
// something else changed them since, and forgets them. The caller holds
// the host lock.
func (m *Manager) restoreSysctls() error {
	var rec sysctlRecord
	if err := readJSON(m.sysctlPath(), &rec); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	var errs []error
	for name, orig := range rec.Original {
		cur, err := readSysctl(m.hostNS, name)
		if err != nil || cur != globalSysctls[name] {
			continue // not ours any more
		}
		if err := writeSysctl(m.hostNS, name, orig); err != nil {
			errs = append(errs, fmt.Errorf("restore %s=%s: %w", name, orig, err))
		}
	}
	if len(errs) == 0 {
		if err := os.Remove(m.sysctlPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
