package acceptance

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

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
	for _, want := range []string{`~ "MODE" = "one" -> "two"`, "~ revision        = 1 -> 2", "rolling update to revision 2 of 4 replica(s): max_surge 1, max_unavailable 1, min_ready 500ms"} {
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
	// Replicas being stopped still run for a moment; like Kubernetes'
	// terminating pods they do not count against max_surge.
	if maxRunning > 4+1+1 {
		t.Errorf("%d replicas ran at one point, want at most 4 + max_surge + max_unavailable (being stopped)", maxRunning)
	}
	for _, want := range []string{": revision 2 healthy (4/4)", "removed revision 1"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("apply output lacks %q:\n%s", want, res.stdout)
		}
	}
	wantReplicas(t, w, 4, 2)
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after the rollout should be empty: %s", res)
	}
}

// TestDeploymentFailedUpdateRollsBack: a revision whose health check
// fails leaves the old replicas serving, is rolled back, and apply exits
// 1 naming the replica, the check and its log.
func TestDeploymentFailedUpdateRollsBack(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 3, env: "good", update: `
    max_surge       = 1
    max_unavailable = 0
    auto_rollback   = true`}
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	before := wantReplicas(t, w, 3, 1)

	d.env, d.health = "bad", "test -f /srv/missing"
	w.config(d.config())
	minHealthy := 1 << 30
	res := w.during(func() {
		healthy := 0
		for _, r := range runtimeReplicas(w) {
			if r.Revision == 1 && r.State == "running" && r.Health == "healthy" {
				healthy++
			}
			w.seen = append(w.seen, r.ID)
		}
		minHealthy = min(minHealthy, healthy)
	}, "apply", "-auto-approve")
	if res.code != 1 {
		t.Fatalf("apply of a failing revision: %s", res)
	}
	for _, want := range []string{"rollout of revision 2 failed: web#0 (web-0-r2, revision 2) failed its health check: unhealthy",
		"auto_rollback restored revision 1 on all replicas", "last lines of web-0-r2's log:", "serving bad"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("error lacks %q:\n%s", want, res.stderr)
		}
	}
	if minHealthy < 3 {
		t.Errorf("only %d old replicas were healthy at one point, want all 3 serving", minHealthy)
	}
	after := wantReplicas(t, w, 3, 1)
	for i := range before {
		if after[i].ID != before[i].ID {
			t.Errorf("old replica %d was replaced during a rollout that failed", i)
		}
	}
	revs := depHistory(t, w)
	if revs[1] != "complete" || revs[2] != "failed" {
		t.Errorf("history %v, want revision 1 complete and 2 failed", revs)
	}
	res = w.berth("plan", "-detailed-exitcode")
	if res.code != 2 || !strings.Contains(res.stdout, "~ revision        = 1 -> 3") {
		t.Errorf("the next plan should roll the configuration out again as revision 3: %s", res)
	}
}

// TestDeploymentRolloutSpeed measures rolling updates of 10 replicas
// with max_surge 2 and min_ready 1s against the health-gate lower bound:
// waves x (health interval + min_ready), a wave being the replicas that
// max_surge + max_unavailable let change at once. It logs figures and
// asserts nothing about time.
func TestDeploymentRolloutSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("measures rollouts; skipped with -short")
	}
	w := newWorkspace(t)
	defer rememberReplicas(w)
	const interval, minReady = 250 * time.Millisecond, time.Second
	d := depSpec{replicas: 10, env: "v0", interval: interval.String()}
	for i, unavailable := range []string{"", "0", "", "0"} {
		d.update = `
    max_surge = 2
    min_ready = "1s"`
		waves := 3 // 10 / (2 + 25% rounded down)
		if unavailable != "" {
			d.update += "\n    max_unavailable = " + unavailable
			waves = 5
		}
		if i == 0 {
			w.config(d.config())
			w.ok("apply", "-auto-approve")
		}
		d.env = fmt.Sprintf("v%d", i+1)
		w.config(d.config())
		start := time.Now()
		res := w.ok("apply", "-auto-approve")
		took := time.Since(start)
		bound := time.Duration(waves) * (interval + minReady)
		t.Logf("max_unavailable %q: rollout of 10 replicas took %s (whole berth apply, plan included); health-gate lower bound %d x (%s + %s) = %s; over by %s (%s)",
			unavailable, took.Round(10*time.Millisecond), waves, interval, minReady, bound, (took - bound).Round(10*time.Millisecond), lastLine(res.stdout, "Modifications complete"))
		wantReplicas(t, w, 10, i+2)
		rememberReplicas(w)
	}
}

// TestDeploymentFailedUpdateStops: without auto_rollback a failed
// rollout stops where it is, recorded in the state, and the next plan
// shows what remains.
func TestDeploymentFailedUpdateStops(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 3, env: "good", update: `
    max_surge       = 1
    max_unavailable = 0`}
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	wantReplicas(t, w, 3, 1)

	d.env, d.health = "bad", "test -f /srv/missing"
	w.config(d.config())
	res := w.berth("apply", "-auto-approve")
	rememberReplicas(w)
	if res.code != 1 || !strings.Contains(res.stderr, "failed its health check") || !strings.Contains(res.stderr, "the next plan shows what remains") {
		t.Fatalf("apply of a failing revision: %s", res)
	}
	reps := runtimeReplicas(w)
	if len(reps) != 4 || reps[0].Revision != 1 || reps[1].Revision != 2 || reps[1].Health != "unhealthy" {
		t.Errorf("want the 3 old replicas and the unhealthy new one left: %+v", reps)
	}
	st := w.stateResource("deployment.web")
	if list, _ := st["replicas_status"].([]any); len(list) != 4 || st["revision"] != 2.0 {
		t.Errorf("state: revision %v, %d replicas recorded; want 2 and 4", st["revision"], len(list))
	}
	res = w.berth("plan", "-detailed-exitcode")
	if res.code != 2 || !strings.Contains(res.stdout, "replace web#0 (unhealthy); replace web#1 (revision 1); replace web#2 (revision 1)") {
		t.Errorf("plan after a stopped rollout: %s", res)
	}
	d.health = "test -f /srv/index.html"
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	wantReplicas(t, w, 3, 3)
}
