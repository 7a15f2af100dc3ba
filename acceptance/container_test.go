package acceptance

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// webConfig is an image from the loopback registry and a container whose
// environment is env.
func webConfig(env string) string {
	return fmt.Sprintf(`
image "busybox" { ref = "%s/test/busybox:1" }
volume "data" {}
container "web" {
  image   = image.busybox.id
  command = ["httpd", "-f", "-p", "80", "-h", "/srv"]
  env     = { MODE = %q }
  mount {
    type   = "volume"
    source = volume.data.name
    target = "/data"
  }
}
`, registryHost, env)
}

func TestApplyChangeReplaceDestroy(t *testing.T) {
	w := newWorkspace(t)
	w.config(webConfig("one"))
	res := w.ok("apply", "-auto-approve")
	if !strings.Contains(res.stdout, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply: %s", res)
	}
	web := w.stateResource("container.web")
	if web["status"] != "running" {
		t.Fatalf("container status %v, want running", web["status"])
	}
	pid := int(web["pid"].(float64))
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("container process %d not alive: %v", pid, err)
	}
	w.remember()
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("second plan should be empty: %s", res)
	}

	w.config(webConfig("two"))
	res = w.berth("plan", "-detailed-exitcode")
	if res.code != 2 {
		t.Fatalf("plan after env change: %s", res)
	}
	for _, want := range []string{"container.web must be replaced", "-/+ resource \"container\" \"web\"", "# forces replacement", "Plan: 1 to add, 0 to change, 1 to destroy."} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("plan does not say %q:\n%s", want, res.stdout)
		}
	}
	w.ok("apply", "-auto-approve")
	if id := w.stateResource("container.web")["id"]; id == web["id"] {
		t.Errorf("container not replaced: id still %v", id)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("old container process %d still alive after replace", pid)
	}
	w.remember()
	w.ok("destroy", "-auto-approve")
	if ids := w.containerIDs(); len(ids) != 0 {
		t.Errorf("state still has containers: %v", ids)
	}
	entries, _ := os.ReadDir(filepath.Join(w.root, "containers"))
	for _, e := range entries {
		if e.Name() == ".names.lock" {
			continue // the runtime's lock on names, kept like the image store's
		}
		t.Errorf("runtime still holds %s", e.Name())
	}
}

func TestDriftIsRestored(t *testing.T) {
	w := newWorkspace(t)
	w.config(webConfig("drift"))
	w.ok("apply", "-auto-approve")
	w.remember()

	// Killed behind berth's back: the next plan starts it again in place.
	pid := int(w.stateResource("container.web")["pid"].(float64))
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid)
	res := w.berth("plan", "-detailed-exitcode")
	if res.code != 2 || !strings.Contains(res.stdout, `status        = "exited" -> "running"`) {
		t.Fatalf("plan after kill: %s", res)
	}
	w.ok("apply", "-auto-approve")
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after restoring: %s", res)
	}

	// Deleted behind berth's back: the next plan creates it again.
	id := w.stateResource("container.web")["id"].(string)
	pid = int(w.stateResource("container.web")["pid"].(float64))
	_ = syscall.Kill(pid, syscall.SIGKILL)
	waitGone(t, pid)
	removeContainerDir(t, w, id)
	res = w.berth("plan", "-detailed-exitcode")
	if res.code != 2 || !strings.Contains(res.stdout, "container.web will be created") {
		t.Fatalf("plan after delete: %s", res)
	}
	w.ok("apply", "-auto-approve")
	w.remember()
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after recreating: %s", res)
	}
}

// removeContainerDir deletes a container's runtime directory (after its
// processes died), unmounting its rootfs first, as a careless admin would.
func removeContainerDir(t *testing.T, w *workspace, id string) {
	t.Helper()
	dir := filepath.Join(w.root, "containers", id)
	mi, _ := os.ReadFile("/proc/self/mountinfo")
	for _, line := range strings.Split(string(mi), "\n") {
		f := strings.Fields(line)
		if len(f) > 4 && strings.HasPrefix(f[4], dir) {
			_ = syscall.Unmount(f[4], syscall.MNT_DETACH)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if syscall.Kill(pid, 0) != nil {
			time.Sleep(100 * time.Millisecond) // let the supervisor record the exit
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d did not exit", pid)
}

func TestHardeningThroughBerth(t *testing.T) {
	w := newWorkspace(t)
	w.config(fmt.Sprintf(`
image "busybox" { ref = "%s/test/busybox:1" }
container "probe" {
  image   = image.busybox.id
  command = ["sh", "-c", "grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status; echo x > /proc/sys/kernel/domainname && echo SYSCTL-WRITABLE; echo FDS $(ls /proc/self/fd | tr '\n' ' '); sleep 1000"]
}
`, registryHost))
	w.ok("apply", "-auto-approve")
	w.remember()
	id := w.stateResource("container.probe")["id"].(string)
	out := waitLog(t, w, id, "FDS")
	for _, re := range []string{`CapEff:\s+00000000a80425fb`, `Seccomp:\s+2`, `NoNewPrivs:\s+1`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("container status lacks %s:\n%s", re, out)
		}
	}
	if strings.Contains(out, "SYSCTL-WRITABLE") {
		t.Error("/proc/sys is writable inside the container")
	}
	if m := regexp.MustCompile(`FDS ([0-9 ]+)`).FindStringSubmatch(out); m == nil || strings.Fields(m[1])[0] != "0" || len(strings.Fields(m[1])) > 4 {
		t.Errorf("leaked file descriptors: %q", out)
	}
}

// waitLog waits until the container's log contains marker and returns it.
func waitLog(t *testing.T, w *workspace, id, marker string) string {
	t.Helper()
	var all string
	for i := 0; i < 100; i++ {
		files, _ := filepath.Glob(filepath.Join(w.root, "containers", id, "logs", "*"))
		all = ""
		for _, f := range files {
			all += logText(f)
		}
		if strings.Contains(all, marker) {
			return all
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("container log never showed %q:\n%s", marker, all)
	return ""
}

// logText returns the text of a container log file (one JSON object per
// line: log, stream, time).
func logText(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var out strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		var e struct {
			Log string `json:"log"`
		}
		if json.Unmarshal([]byte(line), &e) == nil {
			out.WriteString(e.Log)
		}
	}
	return out.String()
}

// TestHostBinaryUntouched runs containers that try to overwrite the
// binary that started them (CVE-2019-5736) and checks berth's binary is
// unchanged afterwards.
func TestHostBinaryUntouched(t *testing.T) {
	w := newWorkspace(t)
	before := fileSum(t, berthBin)
	w.config(fmt.Sprintf(`
image "busybox" { ref = "%s/test/busybox:1" }
container "selfexe" {
  image      = image.busybox.id
  entrypoint = ["/proc/self/exe"]
  command    = ["--help"]
}
container "writer" {
  image   = image.busybox.id
  command = ["sh", "-c", "for i in 1 2 3 4 5; do for p in /proc/[0-9]*/exe; do cat /bin/busybox > $p 2>/dev/null && echo WROTE $p; done; sleep 0.1; done; echo DONE; sleep 1000"]
  health {
    command  = ["true"]
    interval = "100ms"
  }
}
`, registryHost))
	res := w.berth("apply", "-auto-approve")
	w.remember()
	id, _ := w.stateResource("container.writer")["id"].(string)
	if id == "" {
		t.Fatalf("writer container not created: %s", res)
	}
	out := waitLog(t, w, id, "DONE")
	if strings.Contains(out, "WROTE") {
		t.Errorf("a container wrote to a process binary: %s", out)
	}
	if after := fileSum(t, berthBin); after != before {
		t.Fatalf("berth's binary changed while containers ran (sha256 %s -> %s)", before, after)
	}
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// TestNameTakenAndImport: a container left by an interrupted apply (here:
// one whose state record was dropped) blocks a new one of the same name
// with an error saying how to adopt it, and import adopts it exactly.
func TestNameTakenAndImport(t *testing.T) {
	w := newWorkspace(t)
	w.config(webConfig("orphan"))
	w.ok("apply", "-auto-approve")
	w.remember()
	id := w.stateResource("container.web")["id"].(string)
	w.ok("state", "rm", "container.web")
	res := w.berth("apply", "-auto-approve")
	if res.code != 1 || !strings.Contains(res.stdout+res.stderr, "berth import ADDRESS "+id[:12]) {
		t.Fatalf("apply over a stray container: %s", res)
	}
	w.ok("import", "container.web", id[:12])
	if res := w.berth("plan", "-detailed-exitcode"); res.code != 0 {
		t.Fatalf("plan after import should be empty: %s", res)
	}
}
