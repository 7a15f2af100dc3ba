package acceptance

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/userdata"
)

// netSeen is what a workspace's networking made: networks (ID and
// bridge) from state and from the runtime's records (the default
// network is in no state).
type netSeen struct {
	ids     map[string]bool
	bridges map[string]bool
}

// rememberNetworks notes the workspace's networks, for assertNetClean.
func (w *workspace) rememberNetworks() {
	if w.nets.ids == nil {
		w.nets = netSeen{ids: map[string]bool{}, bridges: map[string]bool{}}
	}
	note := func(id, bridge any) {
		if s, ok := id.(string); ok && s != "" {
			w.nets.ids[s] = true
		}
		if s, ok := bridge.(string); ok && s != "" {
			w.nets.bridges[s] = true
		}
	}
	data, _ := os.ReadFile(filepath.Join(w.dir, "berth.state"))
	var st struct {
		Resources []struct {
			Type       string         `json:"type"`
			Attributes map[string]any `json:"attributes"`
		} `json:"resources"`
	}
	if json.Unmarshal(data, &st) == nil {
		for _, r := range st.Resources {
			if r.Type == "network" {
				note(r.Attributes["id"], r.Attributes["bridge"])
			}
		}
	}
	recs, _ := filepath.Glob(filepath.Join(w.root, "networks", "*.json"))
	for _, f := range recs {
		var rec map[string]any
		if b, err := os.ReadFile(f); err == nil && json.Unmarshal(b, &rec) == nil {
			note(rec["id"], rec["bridge"])
		}
	}
}

// assertNetClean checks that no bridge, veth, nftables rule or network
// namespace of the workspace is left.
func (w *workspace) assertNetClean() {
	w.t.Helper()
	out, err := exec.Command("ip", "-o", "link").CombinedOutput()
	if err != nil {
		w.t.Errorf("ip -o link: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		for br := range w.nets.bridges {
			if strings.Contains(line, " "+br+":") || strings.Contains(line, " "+br+"@") {
				w.t.Errorf("bridge left: %s", line)
			}
		}
		for _, id := range w.seen {
			if len(id) >= 12 && strings.Contains(line, " vb"+id[:12]) {
				w.t.Errorf("veth left: %s", line)
			}
		}
	}
	for _, c := range berthRuleComments(w) {
		for id := range w.nets.ids {
			if strings.Contains(c, id) {
				w.t.Errorf("nftables rule of network %s left: %q", id[:12], c)
			}
		}
		for _, id := range w.seen {
			if strings.Contains(c, id) || (len(id) >= 12 && strings.HasPrefix(c, "chain in-vb"+id[:12])) {
				w.t.Errorf("nftables rule of container %s left: %q", id[:12], c)
			}
		}
	}
	// The same through the administrator's tools, where installed.
	for _, tool := range [][]string{{"nft", "list", "ruleset"}, {"iptables-save"}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			continue
		}
		out, _ := exec.Command(tool[0], tool[1:]...).CombinedOutput()
		for _, id := range w.seen {
			if len(id) >= 12 && strings.Contains(string(out), id[:12]) {
				w.t.Errorf("%s still mentions container %s", strings.Join(tool, " "), id[:12])
			}
		}
		for id := range w.nets.ids {
			if strings.Contains(string(out), id[:12]) {
				w.t.Errorf("%s still mentions network %s", strings.Join(tool, " "), id[:12])
			}
		}
	}
	if entries, err := os.ReadDir(filepath.Join(w.root, "netns")); err == nil && len(entries) > 0 {
		w.t.Errorf("network namespaces left under %s: %d", filepath.Join(w.root, "netns"), len(entries))
	}
}

// berthRuleComments lists the comments of every rule in berth's tables
// (and, through the netdev chains' names, what they are bound to).
func berthRuleComments(w *workspace) []string {
	c, err := nftables.New()
	if err != nil {
		w.t.Errorf("nftables: %v", err)
		return nil
	}
	chains, err := c.ListChains()
	if err != nil {
		w.t.Errorf("list nftables chains: %v", err)
		return nil
	}
	var out []string
	for _, ch := range chains {
		if ch.Table.Name != "berth" {
			continue
		}
		out = append(out, "chain "+ch.Name)
		rules, err := c.GetRules(ch.Table, ch)
		if err != nil {
			continue
		}
		for _, r := range rules {
			s, _ := userdata.GetString(r.UserData, userdata.TypeComment)
			out = append(out, s)
		}
	}
	return out
}
