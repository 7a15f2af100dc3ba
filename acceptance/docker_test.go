package acceptance

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/nftables"
	"github.com/vishvananda/netns"
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

// TestDockerCoexistence runs berth on a host with Docker's rules and its
// FORWARD policy DROP: container to container, the host to published
// ports, and (through berth's own BERTH-FORWARD chain) outbound NAT,
// another host to a published port and hairpin all work; isolation and
// internal networks still hold; Docker's rules are never touched, and
// destroy leaves the filter table as Docker had it.
func TestDockerCoexistence(t *testing.T) {
	w := newWorkspace(t) // first, so that its cleanup (destroy) runs last
	dockerHost(t)
	out := newOutside(t)
	from := out.listen(t, 7000)
	dockerBefore := iptables(t, "-S") + iptables(t, "-t", "nat", "-S")
	lo, any := freeTCPPort(t), freeTCPPort(t)
	w.config(busyboxImage() + fmt.Sprintf(`
network "app" {}
network "other" {}
network "sealed" { internal = true }
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
    host      = %[1]d
    container = 80
    host_ip   = "127.0.0.1"
  }
  port {
    host      = %[2]d
    container = 80
  }
}
container "leaver" {
  image   = image.busybox.id
  command = ["sh", "-c", %[3]q]
  network { name = network.app.name }
}
container "hairpin" {
  image      = image.busybox.id
  command    = ["sh", "-c", "for i in 1 2 3; do if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 ${network.app.gateway} %[2]d; then break; fi; sleep 0.3; done; echo DONE; exec sleep 1000"]
  network { name = network.app.name }
  depends_on = [container.web]
}
container "stranger" {
  image   = image.busybox.id
  command = ["sh", "-c", "if echo x | nc -w 2 ${container.server.ip_addresses["app"]} 8080; then echo CONNECTED; else echo BLOCKED; fi; exec sleep 1000"]
  network { name = network.other.name }
}
container "inmate" {
  image   = image.busybox.id
  command = ["sh", "-c", %[4]q]
  network { name = network.sealed.name }
  depends_on = [container.web]
}
`, lo, any, tryOutside(out.remoteIP, 7000),
		fmt.Sprintf("if echo x | nc -w 2 ${network.sealed.gateway} %d; then echo PORT-OPEN; else echo PORT-SHUT; fi; %s", any, tryOutside(out.remoteIP, 7000))))
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
	logOf := func(addr, marker string) string {
		return waitLog(t, w, w.stateResource(addr)["id"].(string), marker)
	}
	// Routed traffic, through berth's chain despite Docker's DROP policy.
	if log := logOf("container.leaver", "REACHED"); strings.Contains(log, "UNREACHED") || !strings.Contains(log, "hello from outside") {
		t.Errorf("container to outside with Docker's rules:\n%s", log)
	}
	if got := from(); len(got) != 1 || got[0] != out.hostIP {
		t.Errorf("outside saw %v, want one connection from %s (masqueraded)", got, out.hostIP)
	}
	if body, err := out.get(fmt.Sprintf("%s:%d", out.hostIP, any)); err != nil || !strings.HasSuffix(body, "\r\n\r\nhello from berth\n") {
		t.Errorf("outside to the published port %s:%d with Docker's rules: %q, %v", out.hostIP, any, body, err)
	}
	if log := logOf("container.hairpin", "DONE"); !strings.Contains(log, "hello from berth") {
		t.Errorf("hairpin to %s:%d with Docker's rules:\n%s", gw, any, log)
	}
	// berth's own drops still hold behind its accept.
	if log := logOf("container.stranger", "ED"); !strings.Contains(log, "BLOCKED") {
		t.Errorf("a container of another network reached the server: %q", log)
	}
	if log := logOf("container.inmate", "REACHED"); !strings.Contains(log, "PORT-SHUT") || !strings.Contains(log, "UNREACHED") || strings.Contains(log, "default") {
		t.Errorf("a container of an internal network got out:\n%s", log)
	}

	// berth added its chain and one jump, and changed nothing of Docker's.
	during := iptables(t, "-S")
	first := strings.Index(during, "\n-A FORWARD ")
	if n := strings.Count(during, "-j BERTH-FORWARD\n"); n != 1 || first < 0 || !strings.HasPrefix(during[first+1:], "-A FORWARD -j BERTH-FORWARD\n") {
		t.Errorf("want one jump to BERTH-FORWARD at the head of FORWARD (berth came after Docker):\n%s", during)
	}
	if got := withoutBerth(during) + iptables(t, "-t", "nat", "-S"); got != dockerBefore {
		t.Errorf("berth changed Docker's rules:\nbefore:\n%s\nafter:\n%s", dockerBefore, got)
	}

	w.ok("destroy", "-auto-approve")
	after := iptables(t, "-S") + iptables(t, "-t", "nat", "-S")
	if others := otherBerthBridges(w); len(others) > 0 {
		// BERTH-FORWARD is host-wide: it stays for them.
		t.Logf("berth bridges of another runtime root are on the host (%d), so BERTH-FORWARD stays; checking Docker's rules only", len(others))
		after = withoutBerth(after)
	}
	if after != dockerBefore {
		t.Errorf("after destroy, iptables -S differs from Docker's rules alone:\nbefore:\n%s\nafter:\n%s", dockerBefore, after)
	}
}

// withoutBerth drops the lines of berth's chain and jump from iptables
// -S output.
func withoutBerth(rules string) string {
	var keep []string
	for _, l := range strings.SplitAfter(rules, "\n") {
		if !strings.Contains(l, "BERTH-FORWARD") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}

// otherBerthBridges names the berth bridges on the host that are not the
// workspace's (another runtime root's, e.g. a test running alongside).
func otherBerthBridges(w *workspace) []string {
	out, _ := exec.Command("ip", "-o", "link", "show", "type", "bridge").Output()
	var others []string
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		name := strings.TrimSuffix(f[1], ":")
		if strings.HasPrefix(name, "berth") && !w.nets.bridges[name] {
			others = append(others, name)
		}
	}
	return others
}

// get sends an HTTP GET to addr from the outside namespace (a few tries)
// and returns the whole response.
func (o *outsideNet) get(addr string) (string, error) {
	var err error
	for i := 0; i < 3; i++ {
		var c net.Conn
		if c, err = o.dial(addr); err != nil {
			continue
		}
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		fmt.Fprint(c, "GET / HTTP/1.0\r\n\r\n")
		b, rerr := io.ReadAll(c)
		c.Close()
		return string(b), rerr
	}
	return "", err
}

// dial opens a TCP connection to addr from the outside namespace.
func (o *outsideNet) dial(addr string) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		goruntime.LockOSThread() // left locked: the thread dies with the goroutine
		ns, err := netns.GetFromName(o.name)
		if err != nil {
			done <- result{nil, err}
			return
		}
		defer ns.Close()
		if err := netns.Set(ns); err != nil {
			done <- result{nil, err}
			return
		}
		c, err := net.DialTimeout("tcp4", addr, 2*time.Second)
		done <- result{c, err}
	}()
	r := <-done
	return r.c, r.err
}
