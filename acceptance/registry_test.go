package acceptance

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// startDockerRegistry runs Debian's docker-registry on a free loopback
// port with basic auth (user ci, password pw) and returns its host:port.
func startDockerRegistry(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		t.Skip("Debian's docker-registry is not installed (scripts/install-test-deps installs it)")
	}
	htpasswd, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skip("htpasswd is not installed (apache2-utils; scripts/install-test-deps installs it)")
	}
	dir := t.TempDir()
	out, err := exec.Command(htpasswd, "-Bbn", "ci", "pw").Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "htpasswd"), out, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	cfg := fmt.Sprintf(`version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s/data
http:
  addr: %s
auth:
  htpasswd:
    realm: berth-test
    path: %s/htpasswd
`, dir, addr, dir)
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", filepath.Join(dir, "config.yml"))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("docker-registry said:\n%s", logs.String())
		}
	})
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("docker-registry did not listen on %s", addr)
	return ""
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestDockerRegistryWithBasicAuth(t *testing.T) {
	w := newWorkspace(t)
	host := startDockerRegistry(t)
	ref := host + "/team/busybox:auth"
	auth := remote.WithAuth(&authn.Basic{Username: "ci", Password: "pw"})
	if err := pushBusybox(ref, []remote.Option{auth}, map[string]string{"srv/marker": "pushed with auth\n"}); err != nil {
		t.Fatalf("push to docker-registry: %v", err)
	}
	src := fmt.Sprintf(`
variable "password" {
  type      = string
  sensitive = true
}
image "app" { ref = %q }
container "app" {
  image   = image.app.id
  command = ["sh", "-c", "cat /srv/marker; sleep 1000"]
}
`, ref)
	registry := fmt.Sprintf("  registry %q {\n    username = \"ci\"\n    password = var.password\n  }", host)
	w.configBerth(registry, src)
	w.destroyArgs = []string{"-var", "password=pw"}

	res := w.berth("apply", "-auto-approve", "-var", "password=wrong")
	if res.code != 1 || !strings.Contains(res.stdout+res.stderr, "image.app") {
		t.Fatalf("apply with a wrong password should fail naming image.app: %s", res)
	}
	if strings.Contains(res.stdout+res.stderr, "wrong") {
		t.Errorf("the sensitive password was printed: %s", res)
	}
	w.ok("apply", "-auto-approve", "-var", "password=pw")
	w.remember()
	id := w.stateResource("container.app")["id"].(string)
	if out := waitLog(t, w, id, "pushed with auth"); !strings.Contains(out, "pushed with auth") {
		t.Fatalf("container did not run the image from the authenticated registry: %s", out)
	}
}
