package acceptance

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/nftables"
)

// dockerRules are the filter and nat chains Docker 28 installs on a host
// without containers, with its FORWARD policy DROP.
var dockerRules = [][]string{
	{"-N", "DOCKER-USER"}, {"-N", "DOCKER-FORWARD"}, {"-N", "DOCKER-CT"}, {"-N", "DOCKER-ISOLATION-STAGE-1"},
	{"-N", "DOCKER-ISOLATION-STAGE-2"}, {"-N", "DOCKER-BRIDGE"}, {"-N", "DOCKER"},
	{"-A", "FORWARD", "-j", "DOCKER-USER"},
	{"-A", "FORWARD", "-j", "DOCKER-FORWARD"},
	{"-A", "DOCKER-FORWARD", "-j", "DOCKER-CT"},
	{"-A", "DOCKER-FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"},
	{"-A", "DOCKER-FORWARD", "-j", "DOCKER-BRIDGE"},
	{"-P", "FORWARD", "DROP"},
	{"-t", "nat", "-N", "DOCKER"},
	{"-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"},
	{"-t", "nat", "-A", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"},
}

// adminRules are what docs/networking.md tells an administrator to add to
// DOCKER-USER for berth's outbound and inbound routed traffic.
var adminRules = [][]string{
	{"-I", "DOCKER-USER", "-i", "berth+", "-j", "ACCEPT"},
	{"-I", "DOCKER-USER", "-o", "berth+", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-j", "ACCEPT"},
}

func iptables(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("iptables", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("iptables %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// dockerHost gives the host Docker's rules (installing Debian's iptables
// if need be) and takes them away again with the test, with
// bridge-nf-call-iptables as Docker sets it. It refuses a host that
// has firewall rules of its own, which it would not restore exactly.
func dockerHost(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("iptables"); err != nil {
		if out, err := exec.Command("apt-get", "install", "-y", "-qq", "--no-install-recommends", "iptables").CombinedOutput(); err != nil {
			t.Skipf("needs iptables (apt-get install iptables): %v: %s", err, out)
		}
	}
	for _, table := range []string{"filter", "nat"} {
		if rules := iptables(t, "-t", table, "-S"); hasOwnRules(rules) {
			t.Skipf("the host has %s rules of its own; not touching them:\n%s", table, rules)
		}
	}
	before := nftTables(t)
	const brnf = "/proc/sys/net/bridge/bridge-nf-call-iptables"
	oldBrnf, brErr := os.ReadFile(brnf)
	t.Cleanup(func() {
		for _, args := range [][]string{{"-P", "FORWARD", "ACCEPT"}, {"-F"}, {"-X"}, {"-t", "nat", "-F"}, {"-t", "nat", "-X"}} {
			_ = exec.Command("iptables", args...).Run()
		}
		dropNewTables(t, before)
		if brErr == nil {
			_ = os.WriteFile(brnf, oldBrnf, 0o644)
		}
	})
	for _, r := range dockerRules {
		iptables(t, r...)
	}
	if brErr == nil {
		if err := os.WriteFile(brnf, []byte("1"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hasOwnRules reports whether iptables -S output holds more than the
// built-in chains' ACCEPT policies.
func hasOwnRules(rules string) bool {
	for _, l := range strings.Split(rules, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") && !(strings.HasPrefix(l, "-P ") && strings.HasSuffix(l, " ACCEPT")) {
			return true
		}
	}
	return false
}

// nftTables names the host's nftables tables ("family name").
func nftTables(t *testing.T) map[string]bool {
	t.Helper()
	c, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, tb := range tables {
		out[fmt.Sprint(tb.Family, " ", tb.Name)] = true
	}
	return out
}

// dropNewTables deletes the (emptied) iptables-nft tables the test made.
func dropNewTables(t *testing.T, before map[string]bool) {
	c, err := nftables.New()
	if err != nil {
		return
	}
	tables, _ := c.ListTables()
	for _, tb := range tables {
		if !before[fmt.Sprint(tb.Family, " ", tb.Name)] && (tb.Name == "filter" || tb.Name == "nat") {
			c.DelTable(tb)
		}
	}
	_ = c.Flush()
}

func TestDockerCoexistence(t *testing.T) {
	w := newWorkspace(t) // first, so that its cleanup (destroy) runs last
	dockerHost(t)
	out := newOutside(t)
	from := out.listen(t, 7000)
	dockerBefore := iptables(t, "-S") + iptables(t, "-t", "nat", "-S")
	lo, any := freeTCPPort(t), freeTCPPort(t)
	cfg := busyboxImage() + fmt.Sprintf(`
network "app" {}
container "server" {
  image   = image.busybox.id
  command = ["sh", "-c", "`+listenerLoop+`"]
  network { name = network.app.name }
}
container "client" {
  image      = image.busybox.id
  command    = ["sh", "-c", "`+sendTo("server", "hi-despite-docker")+`"]
  network { name = network.app.name }
  depends_on = [container.server]
}
container "web" {
  image   = image.busybox.id
  command = ["httpd", "-f", "-p", "80", "-h", "/srv"]
  network { name = network.app.name }
  port {
    host      = %d
    container = 80
    host_ip   = "127.0.0.1"
  }
  port {
    host      = %d
    container = 80
  }
}
container "leaver" {
  image   = image.busybox.id
  command = ["sh", "-c", %q]
  network { name = network.app.name }
}
`, lo, any, tryOutside(out.remoteIP, 7000))
	w.config(cfg)
	w.ok("apply", "-auto-approve")
	w.remember()

	if !waitFor(w, "container.server", "hi-despite-docker") {
		t.Errorf("container to container with Docker's rules failed:\n%s", logsOf(w, "container.server", "container.client"))
	}
	gw := w.stateResource("network.app")["gateway"].(string)
	for _, url := range []string{fmt.Sprintf("http://127.0.0.1:%d/", lo), fmt.Sprintf("http://%s:%d/", gw, any)} {
		if body, err := httpGet(url); err != nil || body != "hello from berth\n" {
			t.Errorf("GET %s with Docker's rules: %q, %v", url, body, err)
		}
	}
	// Routed traffic meets Docker's FORWARD policy, which berth does not
	// touch: docs/networking.md says so, and what to add.
	if log := waitLog(t, w, w.stateResource("container.leaver")["id"].(string), "REACHED"); !strings.Contains(log, "UNREACHED") {
		t.Errorf("outbound traffic passed Docker's FORWARD DROP:\n%s", log)
	}
	if after := iptables(t, "-S") + iptables(t, "-t", "nat", "-S"); after != dockerBefore {
		t.Errorf("berth changed Docker's rules:\nbefore:\n%s\nafter:\n%s", dockerBefore, after)
	}

	// The administrator adds the documented rules: outbound works.
	for _, r := range adminRules {
		iptables(t, r...)
	}
	w.config(cfg + fmt.Sprintf(`
container "leaver2" {
  image   = image.busybox.id
  command = ["sh", "-c", %q]
  network { name = network.app.name }
}
`, tryOutside(out.remoteIP, 7000)))
	w.ok("apply", "-auto-approve")
	w.remember()
	if log := waitLog(t, w, w.stateResource("container.leaver2")["id"].(string), "REACHED"); strings.Contains(log, "UNREACHED") {
		t.Errorf("outbound traffic blocked despite the documented DOCKER-USER rules:\n%s", log)
	}
	if got := from(); len(got) != 1 || got[0] != out.hostIP {
		t.Errorf("outside saw %v, want one connection from %s", got, out.hostIP)
	}
}
