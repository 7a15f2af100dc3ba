package runtime

import (
	"slices"
	"strings"
	"testing"

	"github.com/moby/sys/capability"
)

func TestCapabilitySet(t *testing.T) {
	tests := []struct {
		name      string
		add, drop []string
		has       []string
		lacks     []string
		count     int // -1: don't check
		wantErr   string
	}{
		{name: "default", count: 14, has: []string{"CAP_CHOWN", "CAP_AUDIT_WRITE"}, lacks: []string{"CAP_SYS_ADMIN", "CAP_NET_ADMIN"}},
		{name: "add and drop, any spelling", add: []string{"net_admin"}, drop: []string{"CAP_CHOWN", "Kill"}, count: 13, has: []string{"CAP_NET_ADMIN"}, lacks: []string{"CAP_CHOWN", "CAP_KILL"}},
		{name: "drop all then add", add: []string{"NET_BIND_SERVICE"}, drop: []string{"ALL"}, count: 1, has: []string{"CAP_NET_BIND_SERVICE"}},
		{name: "add all then drop", add: []string{"all"}, drop: []string{"SYS_ADMIN"}, count: -1, has: []string{"CAP_SYS_PTRACE"}, lacks: []string{"CAP_SYS_ADMIN"}},
		{name: "unknown", add: []string{"FLY"}, wantErr: "unknown capability"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := capabilitySet(tc.add, tc.drop)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.count >= 0 && len(got) != tc.count {
				t.Errorf("%d capabilities: %v", len(got), got)
			}
			for _, c := range tc.has {
				if !slices.Contains(got, c) {
					t.Errorf("lacks %s", c)
				}
			}
			for _, c := range tc.lacks {
				if slices.Contains(got, c) {
					t.Errorf("has %s", c)
				}
			}
		})
	}
}

// TestDefaultCapsMask: the default set is Docker's, 0xa80425fb.
func TestDefaultCapsMask(t *testing.T) {
	byName := map[string]capability.Cap{}
	for _, c := range capability.ListKnown() {
		byName[capName(c)] = c
	}
	var mask uint64
	for _, n := range defaultCaps {
		mask |= 1 << uint(byName[n])
	}
	if mask != 0xa80425fb {
		t.Errorf("default capability mask %#x", mask)
	}
}
