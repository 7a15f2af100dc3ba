package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/acceptance/testimage"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/state"
	"github.com/opencontainers/runc/libcontainer/seccomp"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func TestMain(m *testing.M) {
	// The runtime re-executes the test binary as a container supervisor.
	if runtime.Main() {
		return
	}
	testscript.Main(m, map[string]func(){
		"berth":    mainForTest,
		"holdlock": holdLock,
	})
}

// mainForTest is the berth command inside test scripts.
func mainForTest() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

// holdLock is "holdlock STATEPATH": it takes the state lock as
// "berth apply", prints "locked" and creates the file "locked", then
// holds the lock until a file "release" appears in its directory.
func holdLock() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: holdlock STATEPATH")
		os.Exit(2)
	}
	l, err := state.Open(os.Args[1]).Lock(context.Background(), "berth apply", 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("locked")
	if err := os.WriteFile("locked", nil, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for {
		if _, err := os.Stat("release"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := l.Unlock(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfile":  waitFile,
			"exitcode":  exitCodeCmd,
			"validjson": validJSON,
			"mkimage":   mkImage,
			"container": containerCmd,
			"httpget":   httpGet,
		},
		Condition: scriptCondition,
		Setup:     removeContainersAfter,
	})
}

// scriptCondition adds [root] (running as root) and [containers] (root,
// and containers can run here: a seccomp build, overlayfs, cgroups and
// busybox-static for the test image).
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "root":
		return os.Geteuid() == 0, nil
	case "containers":
		if os.Geteuid() != 0 || !seccomp.Enabled {
			return false, nil
		}
		fss, err := os.ReadFile("/proc/filesystems")
		if err != nil || !strings.Contains(string(fss), "overlay") {
			return false, nil
		}
		_, err = os.Stat(testimage.BusyboxPath)
		return err == nil, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// removeContainersAfter removes, when a script ends, every container left
// under $WORK/root (the runtime root the scripts pass with -root), so that
// a failed script leaves no supervisor, mount or cgroup behind.
func removeContainersAfter(env *testscript.Env) error {
	root := filepath.Join(env.WorkDir, "root", "containers")
	env.Defer(func() {
		if _, err := os.Stat(root); err != nil {
			return
		}
		rt, err := runtime.New(root)
		if err != nil {
			return
		}
		list, _ := rt.List()
		for _, st := range list {
			if err := rt.Remove(context.Background(), st.ID, true); err != nil {
				env.T().Log(err)
			}
		}
		removeNetworking(env, filepath.Join(env.WorkDir, "root"))
	})
	return nil
}

// removeNetworking removes the endpoints and networks recorded under a
// runtime root: the bridges, veths and rules of what a script ran.
func removeNetworking(env *testscript.Env, root string) {
	if _, err := os.Stat(filepath.Join(root, "networks")); err != nil {
		return
	}
	m, err := network.Open(root, network.Options{})
	if err != nil {
		env.T().Log(err)
		return
	}
	eps, _ := m.Endpoints()
	for _, ep := range eps {
		if _, err := m.Detach(context.Background(), ep.ContainerID); err != nil {
			env.T().Log(err)
		}
	}
	nets, _ := m.List()
	for _, n := range nets {
		if err := m.Remove(context.Background(), n.Name, func(string) bool { return false }); err != nil {
			env.T().Log(err)
		}
	}
}

// mkImage is "mkimage DIR [TAG [PATH=CONTENT...]]": it writes the
// busybox test image (acceptance/testimage), with the extra files given,
// to an OCI image layout at DIR, tagged TAG (default latest).
func mkImage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: mkimage DIR [TAG [PATH=CONTENT...]]")
	}
	tag := "latest"
	if len(args) > 1 {
		tag = args[1]
	}
	files := map[string]string{}
	for _, kv := range args[min(2, len(args)):] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			ts.Fatalf("mkimage: %q is not PATH=CONTENT", kv)
		}
		files[k] = v
	}
	img, err := testimage.Busybox("", files)
	ts.Check(err)
	ts.Check(testimage.WriteLayout(ts.MkAbs(args[0]), tag, img))
}

// waitFile is "waitfile FILE": it waits until FILE exists. The bound
// only keeps a broken script from hanging; it asserts nothing on timing.
func waitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("%s did not appear", filepath.Base(path))
}

// httpGet is "httpget URL REGEXP": within 10 s a GET of URL must answer
// with a body matching REGEXP. "! httpget URL" requires the connection
// to fail.
func httpGet(ts *testscript.TestScript, neg bool, args []string) {
	if (neg && len(args) != 1) || (!neg && len(args) != 2) {
		ts.Fatalf("usage: httpget URL REGEXP | ! httpget URL")
	}
	client := &http.Client{Timeout: 2 * time.Second}
	get := func() (string, error) {
		resp, err := client.Get(args[0])
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	if neg {
		if body, err := get(); err == nil {
			ts.Fatalf("GET %s answered: %q", args[0], body)
		}
		return
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if body, err = get(); err == nil && re.MatchString(body) {
			return
		}
	}
	ts.Fatalf("GET %s: %q, %v; want %s", args[0], body, err, args[1])
}

// exitCodeCmd is "exitcode N PROG ARGS...": it runs PROG and requires its
// exit status to be N; stdout and stderr are kept for later checks.
func exitCodeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// validJSON is "validjson plan|state FILE": FILE must be valid against
// schemas.PlanJSONSchema or schemas.StateJSONSchema.
func validJSON(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: validjson plan|state FILE")
	}
	doc := map[string][]byte{"plan": schemas.PlanJSONSchema, "state": schemas.StateJSONSchema}[args[0]]
	if doc == nil {
		ts.Fatalf("validjson: unknown schema %q", args[0])
	}
	sch, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	ts.Check(err)
	c := jsonschema.NewCompiler()
	ts.Check(c.AddResource(args[0]+".schema.json", sch))
	compiled, err := c.Compile(args[0] + ".schema.json")
	ts.Check(err)
	f, err := os.Open(ts.MkAbs(args[1]))
	ts.Check(err)
	defer f.Close()
	inst, err := jsonschema.UnmarshalJSON(f)
	ts.Check(err)
	if err := compiled.Validate(inst); err != nil {
		ts.Fatalf("%s does not match the %s schema: %v", args[1], args[0], err)
	}
}

// containerCmd is "container ls", "container rm NAME" or "container gone
// NAME", on the runtime under $WORK/root (the scripts' -root): it lists
// the containers as "NAME STATE EXITCODE run=LABEL", one a line sorted by
// name; removes one by force; or waits until one has gone (its own
// AutoRemove).
func containerCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: container ls | rm NAME | gone NAME | exited NAME")
	}
	rt, err := runtime.New(filepath.Join(ts.Getenv("WORK"), "root", "containers"))
	ts.Check(err)
	find := func(name string) *runtime.Status {
		list, err := rt.List()
		ts.Check(err)
		for _, st := range list {
			if st.Name == name {
				return st
			}
		}
		return nil
	}
	switch {
	case args[0] == "ls" && len(args) == 1:
		list, err := rt.List()
		ts.Check(err)
		var lines []string
		for _, st := range list {
			lines = append(lines, fmt.Sprintf("%s %s %d run=%s\n", st.Name, st.State, st.ExitCode, st.Labels["berth.run"]))
		}
		sort.Strings(lines)
		ts.Stdout().Write([]byte(strings.Join(lines, "")))
	case args[0] == "rm" && len(args) == 2:
		st := find(args[1])
		if st == nil {
			ts.Fatalf("no container %s", args[1])
		}
		ts.Check(rt.Remove(context.Background(), st.ID, true))
	case args[0] == "gone" && len(args) == 2:
		deadline := time.Now().Add(2 * time.Minute)
		for find(args[1]) != nil {
			if time.Now().After(deadline) {
				ts.Fatalf("container %s is still there", args[1])
			}
			time.Sleep(20 * time.Millisecond)
		}
	case args[0] == "exited" && len(args) == 2:
		// berth kill, like docker kill, returns once the signal is sent;
		// this waits until the supervisor has recorded the exit.
		deadline := time.Now().Add(2 * time.Minute)
		for st := find(args[1]); st == nil || st.Running() || st.State == runtime.StateRestarting; st = find(args[1]) {
			if time.Now().After(deadline) {
				ts.Fatalf("container %s has not exited", args[1])
			}
			time.Sleep(20 * time.Millisecond)
		}
	default:
		ts.Fatalf("usage: container ls | rm NAME | gone NAME | exited NAME")
	}
}
