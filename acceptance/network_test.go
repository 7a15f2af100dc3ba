package acceptance

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Network tests send traffic only on loopback and on the bridges, veths
// and namespaces they (or berth, for them) create, to addresses they
// chose; containers resolve only names in their /etc/hosts (their
// resolv.conf points at their own loopback, see TestMain).

func busyboxImage() string {
	return fmt.Sprintf("image \"busybox\" { ref = %q }\n", registryHost+"/test/busybox:1")
}

// hostsOf reads a container's /etc/hosts from the runtime.
func hostsOf(t *testing.T, w *workspace, id string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.root, "containers", id, "etc", "hosts"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitFor waits (up to 15 s) until the log of the container at addr
// shows marker.
func waitFor(w *workspace, addr, marker string) bool {
	id, _ := w.stateResource(addr)["id"].(string)
	for i := 0; i < 150; i++ {
		files, _ := filepath.Glob(filepath.Join(w.root, "containers", id, "logs", "*"))
		for _, f := range files {
			if strings.Contains(logText(f), marker) {
				return true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// logsOf returns the log text of containers in state, by address, for
// failure messages.
func logsOf(w *workspace, addrs ...string) string {
	var b strings.Builder
	for _, a := range addrs {
		id, _ := w.stateResource(a)["id"].(string)
		files, _ := filepath.Glob(filepath.Join(w.root, "containers", id, "logs", "*"))
		fmt.Fprintf(&b, "--- %s (%s)\n", a, id)
		for _, f := range files {
			b.WriteString(logText(f))
		}
		if h, err := os.ReadFile(filepath.Join(w.root, "containers", id, "etc", "hosts")); err == nil {
			fmt.Fprintf(&b, "--- %s /etc/hosts\n%s", a, h)
		}
	}
	return b.String()
}

// sendTo is a shell loop sending msg to host:8080 with busybox nc until
// it gets through (at most 50 tries, 10 s), then idling.
func sendTo(host, msg string) string { return sendToPort(host, 8080, msg) }

// sendToPort reads msg from a file, not from a pipe: busybox nc -l
// (stdin /dev/null) half-closes the moment it accepts, and a client
// whose piped stdin is still empty then sees EOF first and exits 0
// having sent nothing. A file is readable at once, and nc sends stdin
// before it looks at the socket.
func sendToPort(host string, port int, msg string) string {
	return fmt.Sprintf(`echo %s >/tmp/msg; for i in $(seq 1 50); do if nc %s %d </tmp/msg; then echo SENT; break; fi; sleep 0.2; done; exec sleep 1000`, msg, host, port)
}

// listenerLoop serves nc on 8080 again and again (bounded), printing
// what it receives.
const listenerLoop = `for i in $(seq 1 20); do nc -l -p 8080; done; exec sleep 1000`

// twoListeners serves 8080 and 8081 apart. busybox nc -l takes one
// connection and closes its socket: a second client connecting meanwhile
// lands in the backlog, "sends" successfully, and is dropped unread, so
// two clients must not share a port.
const twoListeners = `(for i in $(seq 1 20); do nc -l -p 8081; done) & for i in $(seq 1 20); do nc -l -p 8080; done; exec sleep 1000`

func TestNamesAndAliases(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + `
network "backend" {}
container "server" {
  image   = image.busybox.id
  command = ["sh", "-c", "` + twoListeners + `"]
  network {
    name    = network.backend.name
    aliases = ["database"]
  }
}
container "by_name" {
  image      = image.busybox.id
  command    = ["sh", "-c", "` + sendTo("server", "hi-by-name") + `"]
  network { name = network.backend.name }
  depends_on = [container.server]
}
container "by_alias" {
  image      = image.busybox.id
  command    = ["sh", "-c", "` + sendToPort("database", 8081, "hi-by-alias") + `"]
  network { name = network.backend.name }
  depends_on = [container.server]
}
`)
	w.ok("apply", "-auto-approve")
	w.remember()
	server := w.stateResource("container.server")
	if !waitFor(w, "container.server", "hi-by-name") || !waitFor(w, "container.server", "hi-by-alias") {
		t.Errorf("server did not hear from both clients:\n%s", logsOf(w, "container.server", "container.by_name", "container.by_alias"))
	}
	ip := server["ip_addresses"].(map[string]any)["backend"]
	net := w.stateResource("network.backend")
	if ip == nil || !strings.HasPrefix(ip.(string), strings.TrimSuffix(net["gateway"].(string), "1")) {
		t.Errorf("server ip_addresses = %v, network %v", server["ip_addresses"], net)
	}
	clientID := w.stateResource("container.by_name")["id"].(string)
	if h := hostsOf(t, w, clientID); !strings.Contains(h, fmt.Sprintf("%s\tserver database", ip)) {
		t.Errorf("client's /etc/hosts lacks the server:\n%s", h)
	}
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Errorf("plan after apply is not empty: %s", res)
	}
}

func TestNetworksAreIsolated(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + `
network "left" {}
network "right" {}
container "server" {
  image   = image.busybox.id
  command = ["sh", "-c", "` + listenerLoop + `"]
  network { name = network.right.name }
}
container "client" {
  image   = image.busybox.id
  command = ["sh", "-c", "if echo x | nc -w 2 ${container.server.ip_addresses["right"]} 8080; then echo CONNECTED; else echo BLOCKED; fi; exec sleep 1000"]
  network { name = network.left.name }
}
`)
	w.ok("apply", "-auto-approve")
	w.remember()
	client := w.stateResource("container.client")["id"].(string)
	out := waitLog(t, w, client, "ED")
	if !strings.Contains(out, "BLOCKED") {
		t.Errorf("a container on another network reached the server: %q", out)
	}
	if h := hostsOf(t, w, client); strings.Contains(h, "server") {
		t.Errorf("client's /etc/hosts names a container of another network:\n%s", h)
	}
	left, right := w.stateResource("network.left"), w.stateResource("network.right")
	if left["subnet"] == right["subnet"] || left["bridge"] == right["bridge"] {
		t.Errorf("networks share a subnet or bridge: %v %v", left, right)
	}
}

func TestPublishedPort(t *testing.T) {
	w := newWorkspace(t)
	lo := freeTCPPort(t)
	w.config(busyboxImage() + fmt.Sprintf(`
network "web" {}
container "web" {
  image   = image.busybox.id
  command = ["httpd", "-f", "-p", "80", "-h", "/srv"]
  network { name = network.web.name }
  port {
    host      = %d
    container = 80
    host_ip   = "127.0.0.1"
  }
  port {
    container = 80 # every address, on a port berth chooses
  }
}
`, lo))
	w.ok("apply", "-auto-approve")
	w.remember()
	gw := w.stateResource("network.web")["gateway"].(string)
	ports := w.stateResource("container.web")["port"].([]any)
	any := int(ports[1].(map[string]any)["host"].(float64))
	if any == 0 {
		t.Fatalf("no host port recorded: %v", ports)
	}
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Errorf("plan after apply is not empty: %s", res)
	}
	for _, url := range []string{fmt.Sprintf("http://127.0.0.1:%d/", lo), fmt.Sprintf("http://%s:%d/", gw, any)} {
		if body, err := httpGet(url); err != nil || body != "hello from berth\n" {
			t.Errorf("GET %s: %q, %v", url, body, err)
		}
	}
	if body, err := httpGet(fmt.Sprintf("http://%s:%d/", gw, lo)); err == nil {
		t.Errorf("port published on 127.0.0.1 answered on the bridge address: %q", body)
	}
}

func TestPortInUseAtPlan(t *testing.T) {
	w := newWorkspace(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	w.config(busyboxImage() + fmt.Sprintf(`
container "web" {
  image   = image.busybox.id
  command = ["httpd", "-f", "-p", "80", "-h", "/srv"]
  port {
    host      = %d
    container = 80
  }
}
`, port))
	res := w.berth("plan")
	want := fmt.Sprintf("container.web: port[0].host: host port %d/tcp on 0.0.0.0 is not free", port)
	if res.code != 1 || !strings.Contains(res.stderr+res.stdout, want) {
		t.Errorf("plan with a taken port: want %q in %s", want, res)
	}
}

// freeTCPPort is a port nothing listens on now.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// httpGet fetches url with a short timeout, trying a few times while the
// server starts.
func httpGet(url string) (string, error) {
	c := &http.Client{Timeout: 2 * time.Second}
	var err error
	for i := 0; i < 20; i++ {
		var resp *http.Response
		if resp, err = c.Get(url); err == nil {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(b), rerr
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", err
}

func TestOutboundAndInternal(t *testing.T) {
	w := newWorkspace(t)
	out := newOutside(t)
	from := out.listen(t, 7000)
	w.config(busyboxImage() + fmt.Sprintf(`
network "open" {}
network "sealed" { internal = true }
container "out" {
  image   = image.busybox.id
  command = ["sh", "-c", %q]
  network { name = network.open.name }
}
container "in" {
  image   = image.busybox.id
  command = ["sh", "-c", %q]
  network { name = network.sealed.name }
}
`, tryOutside(out.remoteIP, 7000), tryOutside(out.remoteIP, 7000)))
	w.ok("apply", "-auto-approve")
	w.remember()
	outLog := waitLog(t, w, w.stateResource("container.out")["id"].(string), "REACHED")
	if !strings.Contains(outLog, "hello from outside") || strings.Contains(outLog, "UNREACHED") {
		t.Errorf("container on a network did not reach outside:\n%s", outLog)
	}
	if got := from(); len(got) != 1 || got[0] != out.hostIP {
		t.Errorf("outside saw connections from %v, want one from %s (masqueraded)", got, out.hostIP)
	}
	inLog := waitLog(t, w, w.stateResource("container.in")["id"].(string), "REACHED")
	if !strings.Contains(inLog, "UNREACHED") || strings.Contains(inLog, "default") {
		t.Errorf("container on an internal network has a way out:\n%s", inLog)
	}
}

// TestGroupName: containers labelled with one group (as a deployment
// labels its replicas) are all found under the group's name.
func TestGroupName(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + `
network "svc" {}
container "api" {
  count   = 2
  image   = image.busybox.id
  command = ["sleep", "1000"]
  labels  = { "berth.network.group" = "api" }
  network { name = network.svc.name }
}
container "client" {
  image      = image.busybox.id
  command    = ["sleep", "1000"]
  network { name = network.svc.name }
  depends_on = [container.api]
}
`)
	w.ok("apply", "-auto-approve")
	w.remember()
	hosts := hostsOf(t, w, w.stateResource("container.client")["id"].(string))
	for i := range 2 {
		ip := w.stateResource(fmt.Sprintf("container.api[%d]", i))["ip_addresses"].(map[string]any)["svc"].(string)
		if want := fmt.Sprintf("%s\tapi-%d api\n", ip, i); !strings.Contains(hosts, want) {
			t.Errorf("client's /etc/hosts lacks %q:\n%s", want, hosts)
		}
	}
}

// TestRunOnDeclaredNetwork: berth run --network NAME joins a network a
// berth file declares: it reaches the containers there by name, they
// learn its name, and its endpoint goes when it does.
func TestRunOnDeclaredNetwork(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + `
network "backend" {}
container "server" {
  image   = image.busybox.id
  command = ["sh", "-c", "` + listenerLoop + `"]
  network { name = network.backend.name }
}
`)
	w.ok("apply", "-auto-approve")
	w.remember()
	name := w.stateResource("network.backend")["name"].(string)
	ref := registryHost + "/test/busybox:1"
	res := w.ok("run", "--rm", "--name", "oneoff", "--network", name, ref,
		"sh", "-c", "echo hi-from-run >/tmp/msg; for i in $(seq 1 50); do nc server 8080 </tmp/msg && break; sleep 0.2; done; grep -w server /etc/hosts; hostname")
	if !strings.Contains(res.stdout, "server") {
		t.Errorf("the run container's /etc/hosts lacks the server:\n%s", res)
	}
	// Its veth goes with its namespace, which the kernel deletes once
	// the mount is gone.
	lines := strings.Fields(res.stdout)
	veth := " vb" + lines[len(lines)-1] // hostname: the short ID
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out, _ := exec.Command("ip", "-o", "link").Output()
		if !strings.Contains(string(out), veth) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the run container's veth%s is still there", veth)
			break
		}
	}
	if !waitFor(w, "container.server", "hi-from-run") {
		t.Errorf("the server did not hear from the run container:\n%s", logsOf(w, "container.server"))
	}
	eps, _ := filepath.Glob(filepath.Join(w.root, "networks", "endpoints", "*.json"))
	if server := w.stateResource("container.server")["id"].(string); len(eps) != 1 || !strings.Contains(eps[0], server) {
		t.Errorf("endpoints after run --rm: %v, want only the server's", eps)
	}
	if res := w.berth("run", "--rm", "--network", "nosuch", ref, "true"); res.code != 125 ||
		!strings.Contains(res.stderr, `--network nosuch: no such network here; declare it in a berth file`) {
		t.Errorf("run on a missing network: %s", res)
	}
}
