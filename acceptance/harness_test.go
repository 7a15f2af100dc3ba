package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/acceptance/testimage"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// berthBin is the binary under test, built by TestMain.
var berthBin string

// registryHost is the in-process registry on loopback holding the busybox
// image as REGISTRY/test/busybox:1.
var registryHost string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Geteuid() != 0 {
		fmt.Println("acceptance: skipped: these tests run real containers and need root")
		return m.Run() // every test skips itself too
	}
	dir, err := os.MkdirTemp("", "berth-acceptance")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Containers on berth networks resolve through their own loopback,
	// where nothing answers: names outside /etc/hosts never leave the host.
	resolv := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(resolv, []byte("nameserver 127.0.0.1\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	os.Setenv("BERTH_RESOLV_CONF", resolv)
	berthBin = filepath.Join(dir, "berth")
	_, file, _, _ := runtime.Caller(0)
	// As released: with the runtime helper embedded (scripts/build).
	build := exec.Command("scripts/build", berthBin)
	build.Dir = filepath.Join(filepath.Dir(file), "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "acceptance: building berth:", err)
		return 1
	}
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	registryHost = strings.TrimPrefix(srv.URL, "http://")
	if err := pushBusybox(registryHost+"/test/busybox:1", nil); err != nil {
		fmt.Fprintln(os.Stderr, "acceptance: pushing the test image:", err)
		return 1
	}
	return m.Run()
}

// pushBusybox builds the busybox test image and pushes it to ref.
func pushBusybox(ref string, opts []remote.Option, files ...map[string]string) error {
	extra := map[string]string{}
	for _, f := range files {
		for k, v := range f {
			extra[k] = v
		}
	}
	img, err := testimage.Busybox("", extra)
	if err != nil {
		return err
	}
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return err
	}
	// Tests talk only to registries they started on loopback.
	if host := r.Context().RegistryStr(); !strings.HasPrefix(host, "127.0.0.1:") && !strings.HasPrefix(host, "localhost:") {
		return fmt.Errorf("refusing to push %s: not a registry on loopback (did TestMain start one? it needs root)", ref)
	}
	return remote.Write(r, img, opts...)
}

// needRoot skips a test that runs containers when not root.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: runs real containers through libcontainer")
	}
}

// workspace is one configuration directory with its own runtime root.
type workspace struct {
	t    *testing.T
	dir  string
	root string
	seen []string // container ids seen in state
	// destroyArgs are extra arguments for the cleanup destroy (-var ...).
	destroyArgs []string
	nets        netSeen // networks seen, for assertNetClean
}

func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	needRoot(t)
	dir := t.TempDir()
	w := &workspace{t: t, dir: dir, root: filepath.Join(dir, "runtime")}
	t.Cleanup(func() {
		if _, err := os.Stat(filepath.Join(dir, "berth.state")); err == nil {
			w.remember()
			if res := w.berth(append([]string{"destroy", "-auto-approve"}, w.destroyArgs...)...); res.code != 0 {
				t.Errorf("cleanup destroy: %s", res)
			}
		}
		w.assertClean()
	})
	return w
}

// config writes main.berth.hcl: the berth block naming the workspace's
// runtime root, then src.
func (w *workspace) config(src string) { w.configBerth("", src) }

// configBerth is config with extra settings inside the berth block.
func (w *workspace) configBerth(berthExtra, src string) {
	w.t.Helper()
	full := fmt.Sprintf("berth {\n  runtime { root = %q }\n%s\n}\n\n%s", w.root, berthExtra, src)
	if err := os.WriteFile(filepath.Join(w.dir, "main.berth.hcl"), []byte(full), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// result is one berth run.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// berth runs the binary in the workspace and returns what it did.
func (w *workspace) berth(args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, berthBin, append([]string{"-chdir=" + w.dir, "-no-color"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	err := cmd.Run()
	res := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatalf("run berth %v: %v", args, err)
	}
	return res
}

// ok runs berth and fails the test unless it exits 0.
func (w *workspace) ok(args ...string) result {
	w.t.Helper()
	res := w.berth(args...)
	if res.code != 0 {
		w.t.Fatalf("berth %s: %s", strings.Join(args, " "), res)
	}
	return res
}

// stateResource returns the attributes of addr from berth.state.
func (w *workspace) stateResource(addr string) map[string]any {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dir, "berth.state"))
	if err != nil {
		w.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Address    string         `json:"address"`
			Attributes map[string]any `json:"attributes"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		w.t.Fatal(err)
	}
	for _, r := range st.Resources {
		if r.Address == addr {
			return r.Attributes
		}
	}
	return nil
}

// containerIDs lists the ids of every container in berth.state.
func (w *workspace) containerIDs() []string {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dir, "berth.state"))
	if err != nil {
		return nil
	}
	var st struct {
		Resources []struct {
			Type       string         `json:"type"`
			Attributes map[string]any `json:"attributes"`
		} `json:"resources"`
	}
	if json.Unmarshal(data, &st) != nil {
		return nil
	}
	var ids []string
	for _, r := range st.Resources {
		if id, ok := r.Attributes["id"].(string); ok && r.Type == "container" {
			ids = append(ids, id)
		}
	}
	return ids
}

// remember notes the containers now in state, for assertClean.
func (w *workspace) remember() {
	w.seen = append(w.seen, w.containerIDs()...)
	w.rememberNetworks()
}

// assertClean checks that nothing of the workspace's runtime is left:
// no process started from it, no mount under it, no cgroup of a
// container it ran, and no bridge, veth, rule or network namespace of
// its networking.
func (w *workspace) assertClean() {
	w.t.Helper()
	w.assertNetClean()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(w.root)) {
			w.t.Errorf("process left behind: %s: %q", p, bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
		}
	}
	if mi, err := os.ReadFile("/proc/self/mountinfo"); err == nil && bytes.Contains(mi, []byte(w.root)) {
		w.t.Errorf("mounts left under %s:\n%s", w.root, grepLines(string(mi), w.root))
	}
	for _, id := range w.seen {
		if m, _ := filepath.Glob("/sys/fs/cgroup/*/berth/" + id); len(m) > 0 {
			w.t.Errorf("cgroups left for %s: %v", id, m)
		}
		if m, _ := filepath.Glob("/sys/fs/cgroup/berth/" + id); len(m) > 0 {
			w.t.Errorf("cgroups left for %s: %v", id, m)
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
