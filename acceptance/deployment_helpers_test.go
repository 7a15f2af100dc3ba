package acceptance

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// depSpec is a deployment configuration: replicas of busybox httpd with
// a health check, the image from the loopback registry.
type depSpec struct {
	replicas int
	image    string // tag of REGISTRY/test/busybox
	env      string // MODE, to change the template
	health   string // health check shell command
	restart  string // "" is the template default
	update   string // body of the update block
	interval string // of the health check; default 100ms
}

func (d depSpec) config() string {
	if d.image == "" {
		d.image = "1"
	}
	if d.health == "" {
		d.health = "test -f /srv/index.html"
	}
	if d.interval == "" {
		d.interval = "100ms"
	}
	restart := ""
	if d.restart != "" {
		restart = fmt.Sprintf("    restart = %q\n", d.restart)
	}
	return fmt.Sprintf(`
deployment "web" {
  replicas = %d
  template {
    image   = "%s/test/busybox:%s"
    command = ["sh", "-c", "echo serving $MODE; trap 'exit 0' TERM; httpd -f -p 80 -h /srv & wait"]
    env     = { MODE = %q }
%s    health {
      command  = ["sh", "-c", %q]
      interval = %q
      retries  = 2
    }
  }
  update {
%s
  }
}
`, d.replicas, registryHost, d.image, d.env, restart, d.health, d.interval, d.update)
}

// depReplica is a replica container as the runtime records it.
type depReplica struct {
	ID, Name, State, Health string
	Ordinal, Revision       int
	Pid                     int
}

// runtimeReplicas reads every replica container's status.json.
func runtimeReplicas(w *workspace) []depReplica {
	files, _ := filepath.Glob(filepath.Join(w.root, "containers", "*", "status.json"))
	var out []depReplica
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var st struct {
			ID, Name, State, Health string
			Pid                     int
			Labels                  map[string]string
		}
		if json.Unmarshal(b, &st) != nil || st.Labels["berth.deployment"] == "" {
			continue
		}
		ord, _ := strconv.Atoi(st.Labels["berth.ordinal"])
		rev, _ := strconv.Atoi(st.Labels["berth.revision"])
		out = append(out, depReplica{ID: st.ID, Name: st.Name, State: st.State, Health: st.Health, Ordinal: ord, Revision: rev, Pid: st.Pid})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Ordinal < out[j].Ordinal || out[i].Ordinal == out[j].Ordinal && out[i].Revision < out[j].Revision
	})
	return out
}

// rememberReplicas notes every replica container in the runtime, so
// that cleanup checks their cgroups are gone.
func rememberReplicas(w *workspace) {
	for _, r := range runtimeReplicas(w) {
		w.seen = append(w.seen, r.ID)
	}
}

// wantReplicas checks that exactly n replicas run, ordinals 0..n-1, all
// of revision rev, named web-ORDINAL or web-ORDINAL-rREV.
func wantReplicas(t *testing.T, w *workspace, n, rev int) []depReplica {
	t.Helper()
	reps := runtimeReplicas(w)
	if len(reps) != n {
		t.Fatalf("%d replica containers in the runtime, want %d: %+v", len(reps), n, reps)
	}
	for i, r := range reps {
		base := "web-" + strconv.Itoa(i)
		if r.Ordinal != i || r.Revision != rev || r.State != "running" || (r.Name != base && r.Name != base+"-r"+strconv.Itoa(rev)) {
			t.Errorf("replica %d: %+v, want ordinal %d of revision %d running as %s", i, r, i, rev, base)
		}
	}
	st := w.stateResource("deployment.web")
	if got, _ := st["revision"].(float64); int(got) != rev {
		t.Errorf("state revision %v, want %d", st["revision"], rev)
	}
	if list, _ := st["replicas_status"].([]any); len(list) != n {
		t.Errorf("state replicas_status has %d entries, want %d", len(list), n)
	}
	return reps
}

// during runs berth with args and calls probe every 20ms until it exits.
func (w *workspace) during(probe func(), args ...string) result {
	w.t.Helper()
	done := make(chan result, 1)
	go func() { done <- w.berthAsync(args...) }()
	for {
		select {
		case res := <-done:
			return res
		case <-time.After(20 * time.Millisecond):
			probe()
		}
	}
}

// depCommand is the berth command berth() runs, not started.
func depCommand(w *workspace, args ...string) *exec.Cmd {
	cmd := exec.Command(berthBin, append([]string{"-chdir=" + w.dir, "-no-color"}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

// berthAsync is berth for use off the test goroutine (no Fatal).
func (w *workspace) berthAsync(args ...string) result {
	cmd := depCommand(w, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
	if err != nil && cmd.ProcessState == nil {
		res.code, res.stderr = -1, err.Error()
	}
	return res
}

// depHistory reads the deployment's revision history from the state:
// revision -> status.
func depHistory(t *testing.T, w *workspace) map[int]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dir, "berth.state"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Address string `json:"address"`
			Private []byte `json:"private"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, r := range st.Resources {
		if r.Address != "deployment.web" {
			continue
		}
		var h struct {
			Revisions []struct {
				Revision int    `json:"revision"`
				Status   string `json:"status"`
			} `json:"revisions"`
		}
		if err := json.Unmarshal(r.Private, &h); err != nil {
			t.Fatalf("history: %v", err)
		}
		for _, rv := range h.Revisions {
			out[rv.Revision] = rv.Status
		}
	}
	return out
}

// depWaitFor polls cond until it holds, failing the test after limit.
func depWaitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out after %s waiting for %s", limit, what)
}

// syncBuffer is a bytes buffer safe for a writing process and a reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lastLine returns the last line of s containing sub.
func lastLine(s, sub string) string {
	out := ""
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = strings.TrimSpace(l)
		}
	}
	return out
}

// killSupervisor kills a replica's supervisor with SIGKILL (its
// container dies with it) and waits for both to be gone.
func killSupervisor(t *testing.T, w *workspace, r depReplica) {
	t.Helper()
	var st struct {
		SupervisorPid int `json:"supervisor_pid"`
	}
	b, _ := os.ReadFile(filepath.Join(w.root, "containers", r.ID, "status.json"))
	if err := json.Unmarshal(b, &st); err != nil || st.SupervisorPid == 0 {
		t.Fatalf("supervisor of %s: %v %s", r.Name, err, b)
	}
	_ = syscall.Kill(st.SupervisorPid, syscall.SIGKILL)
	waitGone(t, st.SupervisorPid)
	waitGone(t, r.Pid)
}
