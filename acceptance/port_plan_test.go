package acceptance

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Host ports of these tests (each test its own).
const (
	portReplace    = 18490
	portDepReplace = 18491
	portCBD        = 18492
	portMoveA      = 18493
	portMoveB      = 18494
	portMoveNew    = 18495
	portHeld1      = 18496
	portHeld2      = 18497
	portTwice      = 18498
	portDepMove    = 18499
	portDepMoveTo  = portHeld1 // free again once that test ends
)

// httpdContainer is a busybox httpd container publishing 127.0.0.1:port,
// with extra lines inside its block.
func httpdContainer(name string, port int, extra string) string {
	return fmt.Sprintf(`
container %q {
  image   = image.busybox.id
  command = ["httpd", "-f", "-p", "80", "-h", "/srv"]
%s
  port {
    host      = %d
    container = 80
    host_ip   = "127.0.0.1"
  }
}
`, name, extra, port)
}

// TestReplaceKeepsItsPort: a container replaced (its command changed)
// publishes the same host port again; the old one does not block it.
func TestReplaceKeepsItsPort(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + httpdContainer("one", portReplace, ""))
	w.ok("apply", "-auto-approve")
	w.remember()
	w.config(busyboxImage() + httpdContainer("one", portReplace, `  env = { CHANGED = "1" }`))
	res := w.ok("plan")
	if !strings.Contains(res.stdout, "container.one must be replaced") {
		t.Errorf("plan does not replace container.one:\n%s", res)
	}
	w.ok("apply", "-auto-approve")
	w.remember()
	wantAnswer(t, portReplace)
}

// stoppableHttpd runs httpd under a shell that exits on SIGTERM, so
// that replicas stop at once rather than after their stop timeout.
const stoppableHttpd = `["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /srv & wait"]`

// depNamed is a deployment of two busybox httpd replicas, named name,
// publishing 127.0.0.1:port.
func depNamed(name string, port int) string {
	return fmt.Sprintf(`
deployment "web" {
  name     = %q
  replicas = 2
  template {
    image   = image.busybox.id
    command = %s
    port {
      host      = %d
      container = 80
      host_ip   = "127.0.0.1"
    }
  }
}
`, name, stoppableHttpd, port)
}

// TestDeploymentReplaceKeepsItsPort: a deployment replaced, by a new
// name and then because its record is tainted, publishes its port again.
func TestDeploymentReplaceKeepsItsPort(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + depNamed("web", portDepReplace))
	w.ok("apply", "-auto-approve")
	rememberReplicas(w)
	w.config(busyboxImage() + depNamed("site", portDepReplace))
	if res := w.ok("plan"); !strings.Contains(res.stdout, "deployment.web must be replaced") {
		t.Errorf("plan does not replace deployment.web:\n%s", res)
	}
	w.ok("apply", "-auto-approve")
	rememberReplicas(w)
	wantAnswer(t, portDepReplace)

	taint(t, w, "deployment.web")
	if res := w.ok("plan"); !strings.Contains(res.stdout, "tainted") {
		t.Errorf("plan does not replace the tainted deployment:\n%s", res)
	}
	w.ok("apply", "-auto-approve")
	rememberReplicas(w)
	wantAnswer(t, portDepReplace)
}

// TestCreateBeforeDestroyPort: under create_before_destroy the old
// container still publishes the port when the new one starts, so the
// plan refuses, at the port block, saying why and what to do.
func TestCreateBeforeDestroyPort(t *testing.T) {
	w := newWorkspace(t)
	cbd := "  lifecycle { create_before_destroy = true }"
	w.config(busyboxImage() + httpdContainer("one", portCBD, cbd))
	w.ok("apply", "-auto-approve")
	w.remember()
	w.config(busyboxImage() + httpdContainer("one", portCBD, cbd+"\n  env = { CHANGED = \"1\" }"))
	res := w.berth("plan")
	at := sourceAt(t, w, fmt.Sprintf("host      = %d", portCBD), 1)
	if res.code != 1 || !strings.Contains(res.stderr, at+": container.one: port[0].host") ||
		!strings.Contains(res.stderr, "create_before_destroy") {
		t.Errorf("plan of a create_before_destroy replacement keeping its port: want an error at %s naming create_before_destroy:\n%s", at, res)
	}
	wantAnswer(t, portCBD) // nothing changed
}

// TestPortMovesBetweenResources: container a gives up a host port that
// container b takes in the same plan; b's new container waits for a's
// old one to go, and apply succeeds. Two resources claiming one host
// port at once are refused, naming both port blocks.
func TestPortMovesBetweenResources(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + httpdContainer("a", portMoveA, "") + httpdContainer("b", portMoveB, ""))
	w.ok("apply", "-auto-approve")
	w.remember()
	w.config(busyboxImage() + httpdContainer("a", portMoveNew, "") + httpdContainer("b", portMoveA, ""))
	w.ok("plan")
	w.ok("apply", "-auto-approve")
	w.remember()
	if got := w.stateResource("container.b")["port"].([]any)[0].(map[string]any)["host"]; got != float64(portMoveA) {
		t.Errorf("container.b publishes %v, want %d", got, portMoveA)
	}
	wantAnswer(t, portMoveA)
	wantAnswer(t, portMoveNew)

	w.config(busyboxImage() + httpdContainer("a", portTwice, "") + httpdContainer("b", portTwice, ""))
	res := w.berth("plan")
	first := sourceAt(t, w, fmt.Sprintf("host      = %d", portTwice), 1)
	second := sourceAt(t, w, fmt.Sprintf("host      = %d", portTwice), 2)
	if res.code != 1 || !strings.Contains(res.stderr, first+": container.a: port[0].host") ||
		!strings.Contains(res.stderr, second+": container.b: port[0].host") || !strings.Contains(res.stderr, "container.b") {
		t.Errorf("two containers on one host port: want errors at %s and %s:\n%s", first, second, res)
	}
}

// oneReplica is a deployment "d" of one replica publishing
// 127.0.0.1:port.
func oneReplica(port int) string {
	return fmt.Sprintf(`
deployment "d" {
  template {
    image   = image.busybox.id
    command = %s
    port {
      host      = %d
      container = 80
      host_ip   = "127.0.0.1"
    }
  }
}
`, stoppableHttpd, port)
}

// TestPortMovesFromDeployment: a deployment's rolling update moves it
// off a host port that a new container takes in the same plan; the
// plan lets the container wait for the update, and apply succeeds.
// (Which order apply keeps is tested in the executor: here the update
// gives the port up as soon as it starts, so a wrong order would
// rarely show.)
func TestPortMovesFromDeployment(t *testing.T) {
	w := newWorkspace(t)
	w.config(busyboxImage() + oneReplica(portDepMove))
	w.ok("apply", "-auto-approve")
	rememberReplicas(w)
	w.config(busyboxImage() + oneReplica(portDepMoveTo) + httpdContainer("c", portDepMove, ""))
	if res := w.ok("plan"); !strings.Contains(res.stdout, "deployment.d will be updated in-place") {
		t.Errorf("plan does not update deployment.d in place:\n%s", res)
	}
	w.ok("apply", "-auto-approve")
	w.remember()
	rememberReplicas(w)
	wantAnswer(t, portDepMove)
	wantAnswer(t, portDepMoveTo)
}

// TestPortConflictsReportedAtOnce: two host ports taken by other
// programs are both reported by one plan, each at its own port block,
// though one container depends on the other.
func TestPortConflictsReportedAtOnce(t *testing.T) {
	w := newWorkspace(t)
	for _, p := range []int{portHeld1, portHeld2} {
		l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	}
	// b depends on a: a's conflict must not hide b's.
	w.config(busyboxImage() + httpdContainer("a", portHeld1, "") + httpdContainer("b", portHeld2, "  env = { PEER = container.a.name }"))
	res := w.berth("plan")
	for i, p := range []int{portHeld1, portHeld2} {
		at := sourceAt(t, w, fmt.Sprintf("host      = %d", p), 1)
		want := fmt.Sprintf("%s: container.%c: port[0].host: host port %d/tcp on 127.0.0.1 is not free", at, 'a'+i, p)
		if res.code != 1 || !strings.Contains(res.stderr, want) {
			t.Errorf("want %q in:\n%s", want, res)
		}
	}
}

// sourceAt is "main.berth.hcl:LINE:COL" of the value in the nth line of
// the configuration holding "NAME = VALUE" text.
func sourceAt(t *testing.T, w *workspace, text string, nth int) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(w.dir, "main.berth.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		col := strings.Index(line, text)
		if col < 0 {
			continue
		}
		if nth--; nth == 0 {
			eq := strings.Index(text, "= ") + 2
			return fmt.Sprintf("main.berth.hcl:%d:%d", i+1, col+eq+1)
		}
	}
	t.Fatalf("%q not in the configuration", text)
	return ""
}

// taint sets the tainted flag of addr's record in berth.state.
func taint(t *testing.T, w *workspace, addr string) {
	t.Helper()
	path := filepath.Join(w.dir, "berth.state")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range st["resources"].([]any) {
		if rec := r.(map[string]any); rec["address"] == addr {
			rec["tainted"], found = true, true
		}
	}
	if !found {
		t.Fatalf("%s not in state", addr)
	}
	if data, err = json.MarshalIndent(st, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// wantAnswer checks that 127.0.0.1:port serves the test image's page.
func wantAnswer(t *testing.T, port int) {
	t.Helper()
	if body, err := httpGet(fmt.Sprintf("http://127.0.0.1:%d/", port)); err != nil || body != "hello from berth\n" {
		t.Errorf("GET 127.0.0.1:%d: %q, %v", port, body, err)
	}
}
