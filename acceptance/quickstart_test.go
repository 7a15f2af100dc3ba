package acceptance

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestQuickstart applies examples/quickstart as a new user does (with its
// own runtime root and host port) and checks that the web server turns
// healthy: the example's health check must be one its image can run.
func TestQuickstart(t *testing.T) {
	w := newWorkspace(t)
	_, file, _, _ := runtime.Caller(0)
	example := filepath.Join(filepath.Dir(file), "..", "examples", "quickstart", "main.berth.hcl")
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, "main.berth.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	root := "berth {\n  runtime { root = \"" + w.root + "\" }\n}\n"
	if err := os.WriteFile(filepath.Join(w.dir, "root.berth.hcl"), []byte(root), 0o644); err != nil {
		t.Fatal(err)
	}
	// The image as the README makes it: mkimage, whose printed id must be
	// the one berth reports for the image.
	mk := exec.Command("go", "run", "./examples/quickstart/mkimage", filepath.Join(w.dir, "image"), "latest")
	mk.Dir = filepath.Join(filepath.Dir(file), "..")
	out, err := mk.CombinedOutput()
	if err != nil {
		t.Fatalf("mkimage: %v\n%s", err, out)
	}
	printed := regexp.MustCompile(`(?m)^\s*id:\s+(sha256:[0-9a-f]{64})`).FindSubmatch(out)
	if printed == nil {
		t.Fatalf("mkimage printed no id:\n%s", out)
	}
	vars := []string{"-var", "web_port=18791"}
	w.destroyArgs = vars
	w.ok(append([]string{"apply", "-auto-approve"}, vars...)...)
	if id := w.stateResource("image.busybox")["id"]; id != string(printed[1]) {
		t.Errorf("mkimage printed id %s; berth records image.busybox's id as %v", printed[1], id)
	}

	health := ""
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if health = psHealth(t, w, "container.web"); health == "healthy" {
			break
		}
	}
	if health != "healthy" {
		t.Fatalf("container.web is %q after 20 s, want healthy: %s", health, w.berth("inspect", "container.web"))
	}
	checkHealthLog(t, w, "container.web")
	res := w.berth(append([]string{"plan", "-detailed-exitcode"}, vars...)...)
	if res.code != 0 {
		t.Fatalf("second plan: %s", res)
	}
}

// psHealth is the HEALTH column of berth ps for addr.
func psHealth(t *testing.T, w *workspace, addr string) string {
	t.Helper()
	res := w.ok("ps", "--format", "json")
	var rows []struct {
		Address string `json:"address"`
		Health  string `json:"health"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &rows); err != nil {
		t.Fatalf("berth ps --format json: %v\n%s", err, res.stdout)
	}
	for _, r := range rows {
		if r.Address == addr {
			return r.Health
		}
	}
	return ""
}

// checkHealthLog checks that every health check berth inspect shows for
// addr has its end stamped, no earlier than its start.
func checkHealthLog(t *testing.T, w *workspace, addr string) {
	t.Helper()
	res := w.ok("inspect", addr)
	var doc struct {
		Containers []struct {
			Runtime struct {
				HealthLog []struct {
					Start time.Time `json:"start"`
					End   time.Time `json:"end"`
				} `json:"health_log"`
			} `json:"runtime"`
		} `json:"containers"`
	}
	if err := json.NewDecoder(strings.NewReader(res.stdout)).Decode(&doc); err != nil {
		t.Fatalf("berth inspect %s: %v\n%s", addr, err, res.stdout)
	}
	if len(doc.Containers) != 1 || len(doc.Containers[0].Runtime.HealthLog) == 0 {
		t.Fatalf("berth inspect %s shows no health checks:\n%s", addr, res.stdout)
	}
	for i, h := range doc.Containers[0].Runtime.HealthLog {
		if h.End.IsZero() || h.End.Before(h.Start) {
			t.Errorf("health check %d: start %s, end %s", i, h.Start, h.End)
		}
	}
}
