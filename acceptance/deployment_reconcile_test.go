package acceptance

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDeploymentWatchRestores: with apply -watch running, a replica
// killed with SIGKILL (restart = "no", so it stays down) is brought
// back, and SIGTERM ends the watch with exit 0.
func TestDeploymentWatchRestores(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 2, env: "watch", restart: "no", update: `max_surge = 1`}
	w.config(d.config())
	cmd := depCommand(w, "apply", "-auto-approve", "-watch", "-interval", "500ms")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	depWaitFor(t, 60*time.Second, "the first apply", func() bool { return strings.Contains(out.String(), "Watching:") })
	victim := wantReplicas(t, w, 2, 1)[1]
	rememberReplicas(w)
	if err := syscall.Kill(victim.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	depWaitFor(t, 30*time.Second, "replica 1 to run again", func() bool {
		for _, r := range runtimeReplicas(w) {
			if r.Ordinal == 1 && r.State == "running" && r.Health == "healthy" && r.Pid != victim.Pid {
				return strings.Contains(out.String(), "Apply complete! Resources: 0 added, 1 changed")
			}
		}
		return false
	})
	if text := out.String(); !strings.Contains(text, "correcting:") || !strings.Contains(text, "start web#1 (exited)") {
		t.Errorf("watch did not report the correction:\n%s", text)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("watch exited with %v after SIGTERM:\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("watch still running 30s after SIGTERM:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Watch stopped.") {
		t.Errorf("watch output lacks the stop:\n%s", out.String())
	}
	wantReplicas(t, w, 2, 1)
}

// TestDeploymentRollback: berth rollback returns to the previous image
// as a new revision; plan then shows the configuration's image again.
func TestDeploymentRollback(t *testing.T) {
	needRoot(t)
	if err := pushBusybox(registryHost+"/test/busybox:2", nil, map[string]string{"srv/index.html": "two\n"}); err != nil {
		t.Fatal(err)
	}
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 2, env: "r", update: `max_surge = 1`}
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	d.image = "2"
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	wantReplicas(t, w, 2, 2)
	rememberReplicas(w)

	res := w.ok("rollback", "deployment.web")
	for _, want := range []string{"rolling back from revision 2 to the template of revision 1", "(the template of revision 1)", "web#1: revision 3 healthy (2/2)", "Rollback complete"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("rollback output lacks %q:\n%s", want, res.stdout)
		}
	}
	wantReplicas(t, w, 2, 3)
	tmpl, _ := w.stateResource("deployment.web")["template"].(map[string]any)
	if img, _ := tmpl["image"].(string); !strings.HasSuffix(img, "/test/busybox:1") {
		t.Errorf("state template image %q after rollback, want busybox:1", img)
	}
	res = w.berth("plan", "-detailed-exitcode")
	if res.code != 2 || !strings.Contains(res.stdout, "test/busybox:1\" -> \""+registryHost+"/test/busybox:2") {
		t.Errorf("plan after rollback should show the configuration's image as a change: %s", res)
	}
	res = w.ok("rollback", "deployment.web", "--to-revision", "2")
	if !strings.Contains(res.stdout, "(the template of revision 2)") {
		t.Errorf("rollback --to-revision 2:\n%s", res.stdout)
	}
	wantReplicas(t, w, 2, 4)
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Errorf("after rolling forward to the configuration's template the plan should be empty: %s", res)
	}
	if res := w.berth("rollback", "deployment.web", "--to-revision", "9"); res.code != 1 || !strings.Contains(res.stderr, "no such revision") {
		t.Errorf("rollback to an unknown revision: %s", res)
	}
}

// TestDeploymentDrift: a replica whose supervisor was killed (dead) and
// one deleted behind berth's back show in the plan as drift that the
// next apply restores.
func TestDeploymentDrift(t *testing.T) {
	w := newWorkspace(t)
	defer rememberReplicas(w)
	d := depSpec{replicas: 3, env: "drift", restart: "no", update: `max_surge = 1`}
	w.config(d.config())
	w.ok("apply", "-auto-approve")
	reps := wantReplicas(t, w, 3, 1)
	rememberReplicas(w)

	killSupervisor(t, w, reps[0])
	_ = syscall.Kill(reps[2].Pid, syscall.SIGKILL) // restart "no": it stays down
	waitGone(t, reps[2].Pid)
	removeContainerDir(t, w, reps[2].ID)

	res := w.berth("plan", "-detailed-exitcode")
	for _, want := range []string{`"running" -> "dead"`, `"running" -> "missing"`, "start web#0 (dead); replace web#2 (missing)", "Plan: 0 to add, 1 to change, 0 to destroy."} {
		if res.code != 2 || !strings.Contains(res.stdout, want) {
			t.Errorf("plan after killing and deleting replicas lacks %q: %s", want, res)
		}
	}
	w.ok("apply", "-auto-approve")
	after := wantReplicas(t, w, 3, 1)
	if after[0].ID != reps[0].ID || after[1].ID != reps[1].ID || after[2].ID == reps[2].ID {
		t.Errorf("want replica 0 started in place, 1 untouched, 2 made anew: before %+v after %+v", reps, after)
	}
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Errorf("plan after restoring: %s", res)
	}
}
