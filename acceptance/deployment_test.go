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
}

func (d depSpec) config() string {
	if d.image == "" {
		d.image = "1"
	}
	if d.health == "" {
		d.health = "test -f /srv/index.html"
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
    command = ["sh", "-c", "echo serving $MODE; exec httpd -f -p 80 -h /srv"]
    env     = { MODE = %q }
%s    health {
      command  = ["sh", "-c", %q]
      interval = "100ms"
      retries  = 2
    }
  }
  update {
%s
  }
}
`, d.replicas, registryHost, d.image, d.env, restart, d.health, d.update)
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
	sort.Slice(out, func(i, j int) bool { return out[i].Ordinal < out[j].Ordinal || out[i].Ordinal == out[j].Ordinal && out[i].Revision < out[j].Revision })
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

func TestDeploymentScale(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 2, env: "a", update: `max_surge = 1`}
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	wantReplicas(t, w, 2, 1)
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after apply should be empty: %s", res)
	}

	d.replicas = 5
	w.config(d.config())
	res := w.berth("plan", "-detailed-exitcode")
	for _, want := range []string{"deployment.web will be updated in-place", "~ replicas        = 2 -> 5", "scale 2 -> 5: add web#2; add web#3; add web#4", "Plan: 0 to add, 1 to change, 0 to destroy."} {
		if res.code != 2 || !strings.Contains(res.stdout, want) {
			t.Errorf("plan 2 -> 5 lacks %q: %s", want, res)
		}
	}
	before := runtimeReplicas(w)
	res = w.ok("apply", "-auto-approve")
	if !strings.Contains(res.stdout, "web#4: revision 1 healthy") {
		t.Errorf("apply shows no progress per replica:\n%s", res.stdout)
	}
	after := wantReplicas(t, w, 5, 1)
	for i := range before {
		if after[i].ID != before[i].ID {
			t.Errorf("scaling up replaced replica %d", i)
		}
	}
	rememberReplicas(w)

	d.replicas = 1
	w.config(d.config())
	res = w.ok("apply", "-auto-approve")
	if !strings.Contains(res.stdout, "scale 5 -> 1: remove web#1; remove web#2; remove web#3; remove web#4") {
		t.Errorf("plan 5 -> 1 does not remove the highest ordinals:\n%s", res.stdout)
	}
	if reps := wantReplicas(t, w, 1, 1); reps[0].ID != before[0].ID {
		t.Errorf("scaling down replaced replica 0")
	}
}

// TestDeploymentRollingUpdate polls the runtime throughout a rolling
// update of 4 replicas and checks that at least replicas -
// max_unavailable of them were healthy at every moment.
func TestDeploymentRollingUpdate(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 4, env: "one", update: `
    max_surge       = 1
    max_unavailable = 1
    min_ready       = "500ms"`}
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	wantReplicas(t, w, 4, 1)

	d.env = "two"
	w.config(d.config())
	res := w.berth("plan")
	for _, want := range []string{`~ MODE = "one" -> "two"`, "~ revision        = 1 -> 2", "rolling update to revision 2 of 4 replica(s): max_surge 1, max_unavailable 1, min_ready 500ms"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, res.stdout)
		}
	}
	minHealthy, maxRunning, samples := 1<<30, 0, 0
	res = w.during(func() {
		reps := runtimeReplicas(w)
		healthy, running := 0, 0
		for _, r := range reps {
			if r.State == "running" {
				running++
				if r.Health == "healthy" {
					healthy++
				}
			}
			w.seen = append(w.seen, r.ID)
		}
		minHealthy, maxRunning, samples = min(minHealthy, healthy), max(maxRunning, running), samples+1
	}, "apply", "-auto-approve")
	if res.code != 0 {
		t.Fatalf("apply: %s", res)
	}
	t.Logf("%d samples: at least %d healthy, at most %d running", samples, minHealthy, maxRunning)
	if minHealthy < 3 {
		t.Errorf("only %d replicas were healthy at one point during the rollout, want at least 4 - 1", minHealthy)
	}
	if maxRunning > 5 {
		t.Errorf("%d replicas ran at one point, want at most 4 + 1", maxRunning)
	}
	for _, want := range []string{"web#3: revision 2 healthy (4/4)", "removed revision 1"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("apply output lacks %q:\n%s", want, res.stdout)
		}
	}
	wantReplicas(t, w, 4, 2)
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after the rollout should be empty: %s", res)
	}
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
