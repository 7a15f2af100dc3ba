package acceptance

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// portDepConfig is a deployment of replicas busybox httpd servers
// answering "MODE HOSTNAME" on container port 80, published once for
// the deployment on 127.0.0.1:port.
func portDepConfig(replicas, port int, mode string) string {
	return fmt.Sprintf(`
deployment "web" {
  replicas = %d
  template {
    image   = "%s/test/busybox:1"
    command = ["sh", "-c", "mkdir -p /tmp/www && echo \"$MODE $(hostname)\" > /tmp/www/index.html && trap 'exit 0' TERM; httpd -f -p 80 -h /tmp/www & wait"]
    env     = { MODE = %q }
    port {
      host      = %d
      container = 80
      host_ip   = "127.0.0.1"
    }
    health {
      command  = ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"]
      interval = "100ms"
      retries  = 2
    }
  }
  update {
    max_surge       = 1
    max_unavailable = 0
    min_ready       = "500ms"
  }
}
`, replicas, registryHost, mode, port)
}

// portClient hits 127.0.0.1:port every 20ms until stopped, one HTTP/1.0
// request per connection, and counts what answered.
type portClient struct {
	addr string
	stop chan struct{}
	done chan struct{}

	mu       sync.Mutex
	requests int
	failures []string
	answers  map[string]int // "MODE HOSTNAME" -> count
}

func startPortClient(port int) *portClient {
	c := &portClient{addr: fmt.Sprintf("127.0.0.1:%d", port), stop: make(chan struct{}), done: make(chan struct{}), answers: map[string]int{}}
	go c.loop()
	return c
}

func (c *portClient) loop() {
	defer close(c.done)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		body, err := getOnce(c.addr)
		c.mu.Lock()
		c.requests++
		if err != nil {
			c.failures = append(c.failures, fmt.Sprintf("%s: %v", time.Now().Format("15:04:05.000"), err))
		} else {
			c.answers[body]++
		}
		c.mu.Unlock()
	}
}

// finish stops the loop and returns what it saw.
func (c *portClient) finish() (requests int, failures []string, answers map[string]int) {
	close(c.stop)
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests, c.failures, c.answers
}

// getOnce makes one request on a new connection and returns the body.
func getOnce(addr string) (string, error) {
	conn, err := net.DialTimeout("tcp4", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		return "", err
	}
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("read status: %w", err)
	}
	if !strings.Contains(status, " 200 ") {
		return "", fmt.Errorf("status %q", strings.TrimSpace(status))
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("read body: %w", err)
	}
	_, body, ok := strings.Cut(string(rest), "\r\n\r\n")
	if !ok || strings.TrimSpace(body) == "" {
		return "", fmt.Errorf("no body in %q", rest)
	}
	return strings.TrimSpace(body), nil
}

// who lists the distinct answers of one mode, sorted.
func who(answers map[string]int, mode string) []string {
	var out []string
	for a := range answers {
		if strings.HasPrefix(a, mode+" ") {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// TestDeploymentPublishedPort: a port published by a deployment of 4
// replicas is balanced over them; a client hitting it every 20ms during
// a rolling update (max_surge 1, max_unavailable 0) sees no failed
// request and answers from both revisions; a replica turned unhealthy
// leaves the port at the next refresh; the port is the deployment's at
// plan time too; and destroy leaves no rule or map of it.
func TestDeploymentPublishedPort(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	port := freeTCPPort(t)
	w.config(portDepConfig(4, port, "one"))
	w.ok("apply", "-auto-approve")
	wantReplicas(t, w, 4, 1)
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after apply is not empty: %s", res)
	}
	addrs, _ := w.stateResource("deployment.web")["addresses"].([]any)
	if len(addrs) != 5 || addrs[4] != fmt.Sprintf("127.0.0.1:%d", port) {
		t.Errorf("addresses %v, want 4 replica IPs and 127.0.0.1:%d", addrs, port)
	}
	id, _ := w.stateResource("deployment.web")["id"].(string)
	mapName := "svc-" + id[:12] + "-"
	if ruleset := berthTable(t); !strings.Contains(ruleset, mapName) || !strings.Contains(ruleset, fmt.Sprintf("tcp dport %d dnat ip to numgen random mod 4 map @%s", port, mapName)) {
		t.Errorf("nft list table ip berth lacks the deployment's rule and map:\n%s", ruleset)
	}

	// The rolling update, under load.
	client := startPortClient(port)
	time.Sleep(500 * time.Millisecond) // answers from revision 1 first
	w.config(portDepConfig(4, port, "two"))
	start := time.Now()
	res := w.berth("apply", "-auto-approve")
	took := time.Since(start)
	time.Sleep(500 * time.Millisecond) // and from revision 2 after
	requests, failures, answers := client.finish()
	if res.code != 0 {
		t.Fatalf("rolling update: %s", res)
	}
	wantReplicas(t, w, 4, 2)
	t.Logf("rolling update of 4 replicas took %s; %d requests, %d failed; answers %v", took.Round(time.Millisecond), requests, len(failures), answers)
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed during the rolling update; first: %v", len(failures), requests, failures[:min(5, len(failures))])
	}
	if was, now := who(answers, "one"), who(answers, "two"); len(was) < 2 || len(now) < 2 {
		t.Errorf("answers from revision 1 %v and revision 2 %v: want both, each from more than one replica", was, now)
	}
	if requests < 50 {
		t.Errorf("only %d requests during the update", requests)
	}

	// An unhealthy replica leaves the port at the next refresh.
	w.ok("exec", "deployment.web#1", "--", "rm", "/tmp/www/index.html")
	depWaitFor(t, 30*time.Second, "web#1 to turn unhealthy", func() bool {
		for _, r := range runtimeReplicas(w) {
			if r.Ordinal == 1 && r.Health == "unhealthy" {
				return true
			}
		}
		return false
	})
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 2 || !strings.Contains(res.stdout, "replace web#1 (unhealthy)") {
		t.Errorf("plan with web#1 unhealthy: %s", res)
	}
	client = startPortClient(port)
	time.Sleep(time.Second)
	requests, failures, answers = client.finish()
	if len(failures) > 0 || requests < 10 {
		t.Errorf("after the refresh, %d of %d requests failed (the unhealthy replica still takes connections?): %v", len(failures), requests, failures[:min(5, len(failures))])
	}
	if got := who(answers, "two"); len(got) != 3 {
		t.Errorf("answers after the refresh %v, want the 3 healthy replicas", got)
	}

	// A container cannot take the deployment's port.
	w.config(portDepConfig(4, port, "two") + fmt.Sprintf(`
container "squatter" {
  image   = "%s/test/busybox:1"
  command = ["sleep", "600"]
  port {
    host      = %d
    container = 80
    host_ip   = "127.0.0.1"
  }
}
`, registryHost, port))
	res = w.berth("plan")
	if res.code != 1 || !strings.Contains(res.stderr, fmt.Sprintf("host port %d/tcp on 127.0.0.1 is not free", port)) || !strings.Contains(res.stderr, "deployment.web publishes it too (template.port[0].host)") {
		t.Errorf("plan of a container on the deployment's port: %s", res)
	}

	w.config(portDepConfig(4, port, "two"))
	w.ok("destroy", "-auto-approve")
	if ruleset := berthTable(t); strings.Contains(ruleset, mapName) || strings.Contains(ruleset, fmt.Sprintf("dport %d ", port)) {
		t.Errorf("destroy left the deployment's rule or map:\n%s", ruleset)
	}
	if _, err := getOnce(fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		t.Error("the port still answers after destroy")
	}
}

// berthTable is `nft list table ip berth`, "" when there is no such table.
func berthTable(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft (apt-get install nftables) to list berth's rules")
	}
	out, err := exec.Command("nft", "list", "table", "ip", "berth").CombinedOutput()
	if err != nil && strings.Contains(string(out), "No such file or directory") {
		return ""
	}
	if err != nil {
		t.Fatalf("nft list table ip berth: %v: %s", err, out)
	}
	return string(out)
}
