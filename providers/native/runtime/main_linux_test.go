//go:build cgo

package runtime

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencontainers/runc/libcontainer/seccomp"
)

// TestMain lets the test binary act as the supervisor and libcontainer
// init it re-executes itself as.
func TestMain(m *testing.M) {
	if Main() {
		return
	}
	code := m.Run()
	if lowerDir != "" {
		os.RemoveAll(lowerDir)
	}
	os.Exit(code)
}

var (
	lowerOnce sync.Once
	lowerDir  string
	lowerErr  error
)

// requireRuntime skips unless containers can run here: root, overlayfs,
// cgroups, seccomp compiled in, busybox for the test image.
func requireRuntime(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: the native runtime mounts overlayfs, makes cgroups and namespaces")
	}
	if !seccomp.Enabled {
		t.Skip("needs seccomp support: go test -tags seccomp (with libseccomp-dev installed)")
	}
	if data, err := os.ReadFile("/proc/filesystems"); err != nil || !strings.Contains(string(data), "overlay") {
		t.Skip("needs overlayfs (modprobe overlay)")
	}
	if _, err := os.Stat("/sys/fs/cgroup"); err != nil {
		t.Skip("needs cgroups mounted at /sys/fs/cgroup")
	}
	lowerOnce.Do(func() { lowerDir, lowerErr = buildBusyboxLayer() })
	if lowerErr != nil {
		t.Skipf("needs a static busybox for the test image: %v", lowerErr)
	}
}

// buildBusyboxLayer makes a one-layer image: a static busybox with its
// applets, /etc/passwd and /etc/group. apt-get installs busybox-static
// when /bin/busybox is missing.
func buildBusyboxLayer() (string, error) {
	bb := "/bin/busybox"
	if _, err := os.Stat(bb); err != nil {
		cmd := exec.Command("apt-get", "install", "-y", "busybox-static")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get install busybox-static: %v: %s", err, out)
		}
	}
	dir, err := os.MkdirTemp("", "berth-layer-")
	if err != nil {
		return "", err
	}
	for _, d := range []string{"bin", "etc", "tmp", "proc", "sys", "dev"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return "", err
		}
	}
	if err := exec.Command("cp", bb, filepath.Join(dir, "bin/busybox")).Run(); err != nil {
		return "", err
	}
	list, err := exec.Command(bb, "--list").Output()
	if err != nil {
		return "", err
	}
	for _, applet := range strings.Fields(string(list)) {
		if applet != "busybox" {
			_ = os.Symlink("busybox", filepath.Join(dir, "bin", applet))
		}
	}
	files := map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n",
		"etc/group":  "root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return "", err
		}
	}
	return dir, os.Chmod(filepath.Join(dir, "tmp"), 0o1777)
}

// newRuntime is a runtime in a fresh directory; the cleanup removes
// every container left in it.
func newRuntime(t *testing.T) *Runtime {
	t.Helper()
	requireRuntime(t)
	rt, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		list, _ := rt.List()
		for _, st := range list {
			if err := rt.Remove(context.Background(), st.ID, true); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
	})
	return rt
}

func testID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "t" + hex.EncodeToString(b)
}

// shSpec is a busybox container running a shell script.
func shSpec(script string) Spec {
	id := testID()
	return Spec{
		ID: id, Name: "test-" + id, Labels: map[string]string{"berth.test": "1"},
		LowerDirs: []string{lowerDir},
		Args:      []string{"/bin/sh", "-c", script},
		Env:       []string{"PATH=/bin"},
	}
}

func create(t *testing.T, rt *Runtime, s Spec) *Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := rt.Create(ctx, s)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return st
}

// waitFor polls the status until cond holds (20 s at most).
func waitFor(t *testing.T, rt *Runtime, id, what string, cond func(*Status) bool) *Status {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := rt.Status(id)
		if err != nil {
			t.Fatalf("Status while waiting for %s: %v", what, err)
		}
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; status: %+v", what, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func exited(st *Status) bool { return st.State == StateExited }

// readLogs returns every entry of the container's logs.
func readLogs(t *testing.T, rt *Runtime, id string) []LogEntry {
	t.Helper()
	paths, err := rt.Logs(id)
	if err != nil {
		t.Fatal(err)
	}
	var out []LogEntry
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var e LogEntry
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("log line %q: %v", sc.Text(), err)
			}
			out = append(out, e)
		}
		f.Close()
	}
	return out
}

// logText is the concatenated output of one stream ("" for both).
func logText(t *testing.T, rt *Runtime, id, stream string) string {
	t.Helper()
	var b strings.Builder
	for _, e := range readLogs(t, rt, id) {
		if stream == "" || e.Stream == stream {
			b.WriteString(e.Log)
		}
	}
	return b.String()
}

// runToExit runs s until it exits and returns its whole output.
func runToExit(t *testing.T, rt *Runtime, s Spec) (string, *Status) {
	t.Helper()
	create(t, rt, s)
	st := waitFor(t, rt, s.ID, "exit", exited)
	return logText(t, rt, s.ID, ""), st
}

func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// A zombie is as good as gone.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
