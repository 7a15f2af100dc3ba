package runtime

import (
	"fmt"
	"slices"
	"strings"

	"github.com/moby/sys/capability"
)

// defaultCaps is Docker's default capability set: CapEff 00000000a80425fb.
var defaultCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// capabilitySet applies add and drop to the default set with Docker's
// rules: names are case-insensitive with or without "CAP_"; "ALL" in add
// starts from every capability the kernel supports; "ALL" in drop starts
// from none, and add still applies. The result is sorted.
func capabilitySet(add, drop []string) ([]string, error) {
	adds, err := normaliseCaps(add)
	if err != nil {
		return nil, fmt.Errorf("capabilities to add: %w", err)
	}
	drops, err := normaliseCaps(drop)
	if err != nil {
		return nil, fmt.Errorf("capabilities to drop: %w", err)
	}
	set := map[string]bool{}
	switch {
	case slices.Contains(drops, "ALL"):
	case slices.Contains(adds, "ALL"):
		for _, c := range allCaps() {
			set[c] = true
		}
	default:
		for _, c := range defaultCaps {
			set[c] = true
		}
	}
	if !slices.Contains(drops, "ALL") {
		for _, c := range drops {
			delete(set, c)
		}
	}
	for _, c := range adds {
		if c != "ALL" {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	slices.Sort(out)
	return out, nil
}

// normaliseCaps turns "net_admin" or "CAP_NET_ADMIN" into "CAP_NET_ADMIN"
// and checks that each is known; "all" becomes "ALL".
func normaliseCaps(names []string) ([]string, error) {
	known := knownCaps()
	out := make([]string, 0, len(names))
	for _, n := range names {
		u := strings.ToUpper(strings.TrimSpace(n))
		if u == "ALL" {
			out = append(out, u)
			continue
		}
		if !strings.HasPrefix(u, "CAP_") {
			u = "CAP_" + u
		}
		if !known[u] {
			return nil, fmt.Errorf("unknown capability %q", n)
		}
		out = append(out, u)
	}
	return out, nil
}

func knownCaps() map[string]bool {
	m := map[string]bool{}
	for _, c := range capability.ListKnown() {
		m[capName(c)] = true
	}
	return m
}

// allCaps is every capability the running kernel supports (every known
// one when that cannot be found out).
func allCaps() []string {
	list, err := capability.ListSupported()
	if err != nil {
		list = capability.ListKnown()
	}
	out := make([]string, 0, len(list))
	for _, c := range list {
		out = append(out, capName(c))
	}
	return out
}

func capName(c capability.Cap) string { return "CAP_" + strings.ToUpper(c.String()) }
