package network

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestIsNFTables(t *testing.T) {
	tests := []struct {
		version string
		want    bool
	}{
		{"iptables v1.8.9 (nf_tables)\n", true},
		{"iptables v1.8.9 (legacy)\n", false},
		{"iptables v1.6.1\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			if got := isNFTables(tc.version); got != tc.want {
				t.Errorf("isNFTables(%q) = %v", tc.version, got)
			}
		})
	}
}

// iptablesVariants are the iptables commands installed here, each of
// which berth must handle (Docker uses whichever `iptables` is).
func iptablesVariants(t testing.TB) []string {
	var out []string
	for _, c := range []string{"iptables-nft", "iptables-legacy"} {
		if _, err := exec.LookPath(c); err == nil {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Skip("needs iptables (apt-get install iptables)")
	}
	return out
}

// useIPTables makes berth use the command cmd for the test's life.
func useIPTables(t testing.TB, cmd string) {
	old := iptablesCommands
	iptablesCommands = []string{cmd}
	t.Cleanup(func() { iptablesCommands = old })
}

// iptablesAt runs cmd (an iptables variant) in the namespace at ns.
func iptablesAt(t testing.TB, ns, cmd string, args ...string) string {
	t.Helper()
	var out []byte
	err := inNetNS(ns, func() error {
		var err error
		out, err = exec.Command(cmd, args...).CombinedOutput()
		return err
	})
	if err != nil {
		t.Fatalf("%s %s: %v: %s", cmd, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// dockerRules are what Docker puts in the filter table, in short: its
// own chains, its jumps at the head of FORWARD, and the DROP policy.
var dockerRules = [][]string{
	{"-N", "DOCKER-USER"}, {"-N", "DOCKER-FORWARD"},
	{"-A", "DOCKER-FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"},
	{"-I", "FORWARD", "1", "-j", "DOCKER-FORWARD"},
	{"-I", "FORWARD", "1", "-j", "DOCKER-USER"},
	{"-P", "FORWARD", "DROP"},
}

// withoutBerth drops berth's lines from iptables -S output.
func withoutBerth(rules string) string {
	var keep []string
	for _, l := range strings.Split(rules, "\n") {
		if !strings.Contains(l, acceptChain) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestForwardAccept: with Docker's DROP policy set after berth's first
// network, the next network set up lets berth's routed traffic through
// (and only that), once, and the last network's removal takes berth's
// chain away and leaves Docker's rules as they were.
func TestForwardAccept(t *testing.T) {
	for _, cmd := range iptablesVariants(t) {
		t.Run(cmd, func(t *testing.T) {
			useIPTables(t, cmd)
			testForwardAccept(t, cmd)
		})
	}
}

func testForwardAccept(t *testing.T, cmd string) {
	h := newTestHost(t)
	nftMode := strings.HasSuffix(cmd, "-nft")
	a, err := h.m.Create(ctx, Config{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if has := h.hasFilterForward(nftMode); has {
		t.Fatalf("berth made the filter table of %s", cmd)
	}
	out := h.outside()
	serve(t, out, "198.18.0.2:7000")
	srv, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "f1ffffffffffffff", Name: "srv",
		Attachments: []Attachment{{Network: "a"}}, Ports: []Port{publishOn("0.0.0.0", 18081, 8080)}})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, srv.NetNS, ":8080")

	// "Docker starts": berth's routed traffic meets the DROP policy.
	for _, r := range dockerRules {
		iptablesAt(t, h.ns, cmd, r...)
	}
	docker := iptablesAt(t, h.ns, cmd, "-S")
	if got, err := dial(srv.NetNS, "198.18.0.2:7000"); err == nil {
		t.Fatalf("outbound passed %s's DROP policy without berth's chain: %q", cmd, got)
	}
	// The next container attached makes the way.
	hairpin := h.attach("f2ffffffffffffff", "hairpin", "a")
	assertBerthRules(t, h, cmd, docker)
	// So does the next network set up (a repair, a restore, another
	// network), where the jump went (a firewall reload); never twice.
	iptablesAt(t, h.ns, cmd, "-D", "FORWARD", "-j", "BERTH-FORWARD")
	if _, err := h.m.Create(ctx, Config{Name: "a"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{{Name: "b"}, {Name: "sealed", Internal: true}} {
		if _, err := h.m.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	assertBerthRules(t, h, cmd, docker)

	other := h.attach("f3ffffffffffffff", "other", "b")
	sealed := h.attach("f4ffffffffffffff", "sealed", "sealed")
	sealedNet, err := h.m.Get("sealed")
	if err != nil {
		t.Fatal(err)
	}
	sealedGW := sealedNet.Gateway.String()
	srvAddr := srv.Interfaces[0].IP.String() + ":8080"
	tests := []struct {
		name, from, to, want string // want "": must not connect
	}{
		{"container to outside", srv.NetNS, "198.18.0.2:7000", "from 198.18.0.1"},
		{"outside to a published port", out, "198.18.0.1:18081", "from 198.18.0.2"},
		{"hairpin", hairpin.NetNS, a.Gateway.String() + ":18081", "from " + a.Gateway.String()},
		{"another network", other.NetNS, srvAddr, ""},
		{"internal network to outside", sealed.NetNS, "198.18.0.2:7000", ""},
		{"internal network to a published port", sealed.NetNS, sealedGW + ":18081", ""},
		{"outside to a container directly", out, srvAddr, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dial(tc.from, tc.to)
			if tc.want == "" && err == nil {
				t.Errorf("dial %s connected: %q", tc.to, got)
			}
			if tc.want != "" && (err != nil || got != tc.want) {
				t.Errorf("dial %s: %q, %v; want %q", tc.to, got, err, tc.want)
			}
		})
	}

	for _, ep := range []*Endpoint{srv, hairpin, other, sealed} {
		if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"a", "b", "sealed"} {
		if err := h.m.Remove(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
	}
	if after := iptablesAt(t, h.ns, cmd, "-S"); after != docker {
		t.Errorf("after the last network, iptables -S:\n%s\nwant, as Docker left it:\n%s", after, docker)
	}
}

// assertBerthRules checks that the filter table holds berth's chain and
// one jump to it at the head of FORWARD, and Docker's rules unchanged.
func assertBerthRules(t *testing.T, h *testHost, cmd, docker string) {
	t.Helper()
	rules := iptablesAt(t, h.ns, cmd, "-S")
	if i := strings.Index(rules, "\n-A FORWARD "); i < 0 || !strings.HasPrefix(rules[i+1:], "-A FORWARD -j BERTH-FORWARD\n") {
		t.Errorf("FORWARD does not start with berth's jump:\n%s", rules)
	}
	for _, w := range []string{"-N BERTH-FORWARD", "-A FORWARD -j BERTH-FORWARD",
		"-A BERTH-FORWARD -i berth+ -j ACCEPT",
		"-A BERTH-FORWARD -o berth+ -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT"} {
		if n := strings.Count(rules+"\n", w+"\n"); n != 1 {
			t.Errorf("%q %d times in:\n%s", w, n, rules)
		}
	}
	if strings.Count(rules, "-j BERTH-FORWARD") != 1 {
		t.Errorf("not one jump to BERTH-FORWARD:\n%s", rules)
	}
	if withoutBerth(rules) != withoutBerth(docker) {
		t.Errorf("Docker's rules changed:\nbefore:\n%s\nafter:\n%s", docker, rules)
	}
}

// hasFilterForward reports whether the test host has the filter table's
// FORWARD chain in the backend of the iptables command berth uses.
func (h *testHost) hasFilterForward(nftMode bool) bool {
	h.t.Helper()
	var has bool
	err := inNetNS(h.ns, func() error {
		var err error
		has, err = h.m.hasForwardChain(nftMode)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return has
}

// BenchmarkForwardAccept measures what berth adds to a network's setup
// (ensure) and to a container's attach (check), with berth's chain in
// place under Docker's DROP policy, and with no filter table.
func BenchmarkForwardAccept(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root: makes a network namespace")
	}
	for _, cmd := range iptablesVariants(b) {
		for _, table := range []bool{true, false} {
			for _, path := range []string{"ensure", "check"} {
				name := cmd + "/" + path + "/no-filter-table"
				if table {
					name = cmd + "/" + path + "/chain-in-place"
				}
				b.Run(name, func(b *testing.B) { benchForwardAccept(b, cmd, path, table) })
			}
		}
	}
}

func benchForwardAccept(b *testing.B, cmd, path string, table bool) {
	useIPTables(b, cmd)
	dir := b.TempDir()
	ns := filepath.Join(dir, "hostns")
	if err := createNetNS(ns); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = removeNetNS(ns) })
	m, err := Open(filepath.Join(dir, "root"), Options{HostNetNS: ns, RunDir: filepath.Join(dir, "run")})
	if err != nil {
		b.Fatal(err)
	}
	if table {
		iptablesAt(b, ns, cmd, "-P", "FORWARD", "DROP")
	}
	run := m.ensureForwardAccept
	if path == "check" {
		run = m.checkForwardAccept
	}
	if err := run(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := run(); err != nil {
			b.Fatal(err)
		}
	}
	if got := iptablesAt(b, ns, cmd, "-S"); table != slices.Contains(strings.Split(got, "\n"), "-A FORWARD -j BERTH-FORWARD") {
		b.Errorf("iptables -S:\n%s", got)
	}
}
