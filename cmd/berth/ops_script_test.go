package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/state"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestOpsScripts runs the scripts of the operating commands (ps, logs,
// exec, top, stats, cp, inspect, stop/start/restart/kill, attach) in
// testdata/ops. Most need real containers: root, a seccomp build,
// overlayfs and busybox-static ([containers]); they skip otherwise.
func TestOpsScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/ops",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfile":    waitFile,
			"exitcode":    exitCodeCmd,
			"mkimage":     mkImage,
			"rmcontainer": rmContainer,
			"waitmatch":   waitMatch,
			"waitlogs":    waitLogs,
			"waitstate":   waitState,
		},
		Condition: scriptCondition,
		Setup:     removeContainersAfter,
	})
}

// scriptMembers are the containers berth.state records for address (a
// container, a replica, or every replica of a deployment), or the
// container of that name outside the state.
func scriptMembers(ts *testscript.TestScript, address string) []*member {
	st, err := state.Open(ts.MkAbs("berth.state")).Read()
	ts.Check(err)
	list, err := scriptRuntime(ts).List()
	ts.Check(err)
	var out []*member
	for _, c := range list {
		if c.Name == address {
			out = append(out, &member{Addr: "-", ID: c.ID, Name: c.Name})
		}
	}
	for _, r := range st.Resources {
		ms, err := membersOf(r)
		ts.Check(err)
		for _, m := range ms {
			if m.Addr == address || r.Addr.String() == address {
				out = append(out, m)
			}
		}
	}
	if len(out) == 0 {
		ts.Fatalf("no container %s in berth.state", address)
	}
	return out
}

func scriptRuntime(ts *testscript.TestScript) *runtime.Runtime {
	rt, err := runtime.New(filepath.Join(ts.Getenv("WORK"), "root", "containers"))
	ts.Check(err)
	return rt
}

// waitLogs is "waitlogs ADDRESS REGEXP": it waits until the log of the
// containers of ADDRESS, their lines joined, matches REGEXP.
func waitLogs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitlogs ADDRESS REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	rt := scriptRuntime(ts)
	ms := scriptMembers(ts, args[0])
	var text strings.Builder
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		text.Reset()
		for _, m := range ms {
			l, err := rt.OpenLogs(m.ID)
			ts.Check(err)
			entries, err := l.ReadAll()
			l.Close()
			ts.Check(err)
			for _, e := range entries {
				text.WriteString(e.Log)
			}
		}
		if re.MatchString(text.String()) {
			return
		}
	}
	ts.Fatalf("the log of %s does not match %q:\n%s", args[0], args[1], text.String())
}

// rmContainer is "rmcontainer ADDRESS": it removes, behind berth's back,
// the container that berth.state records for ADDRESS (a container or a
// replica) from the runtime under $WORK/root.
func rmContainer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: rmcontainer ADDRESS")
	}
	rt := scriptRuntime(ts)
	for _, m := range scriptMembers(ts, args[0]) {
		ts.Check(rt.Remove(context.Background(), m.ID, true))
	}
}

// waitMatch is "waitmatch FILE REGEXP": it waits until FILE's content
// matches REGEXP. The bound only keeps a broken script from hanging.
func waitMatch(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitmatch FILE REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(ts.MkAbs(args[0])); err == nil && re.Match(data) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	data, _ := os.ReadFile(ts.MkAbs(args[0]))
	ts.Fatalf("%s does not match %q:\n%s", args[0], args[1], data)
}

// waitState is "waitstate ADDRESS STATE": it waits until the runtime
// reports every container of ADDRESS in STATE (running, exited, ...), or
// with that health (healthy, unhealthy).
func waitState(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitstate ADDRESS STATE")
	}
	rt := scriptRuntime(ts)
	ms := scriptMembers(ts, args[0])
	last := ""
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		done := true
		for _, m := range ms {
			st, err := rt.Status(m.ID)
			ts.Check(err)
			last = st.State
			if args[1] == runtime.HealthHealthy || args[1] == runtime.HealthUnhealthy {
				last = st.Health
			}
			if last != args[1] {
				done = false
			}
		}
		if done {
			return
		}
	}
	ts.Fatalf("%s is %s, not %s", args[0], last, args[1])
}
