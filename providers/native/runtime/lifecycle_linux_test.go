//go:build cgo

package runtime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLifecycle(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`trap 'echo bye; exit 3' TERM; echo hello; echo oops >&2; while :; do sleep 0.05; done`)
	// (the trap is set before the output the test waits for)
	st := create(t, rt, s)
	if st.State != StateRunning || st.Pid <= 0 || st.SupervisorPid <= 0 {
		t.Fatalf("after Create: %+v", st)
	}
	if st.Labels["berth.test"] != "1" || st.Name != s.Name || st.Spec.Hostname != s.Name {
		t.Errorf("labels/name/hostname not recorded: %+v", st)
	}
	// Two pipes, copied independently: wait for both lines.
	waitFor(t, rt, s.ID, "output", func(*Status) bool {
		out := logText(t, rt, s.ID, "")
		return strings.Contains(out, "oops") && strings.Contains(out, "hello")
	})
	if out := logText(t, rt, s.ID, streamStdout); out != "hello\n" {
		t.Errorf("stdout = %q", out)
	}
	if out := logText(t, rt, s.ID, streamStderr); out != "oops\n" {
		t.Errorf("stderr = %q", out)
	}
	for _, e := range readLogs(t, rt, s.ID) {
		if e.Time.IsZero() || time.Since(e.Time) > time.Minute {
			t.Errorf("log entry time %v", e.Time)
		}
	}

	ctx := context.Background()
	if err := rt.Stop(ctx, s.ID, 5*time.Second); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	st, err := rt.Status(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != StateExited || st.ExitCode != 3 || !st.Stopped || st.FinishedAt.IsZero() || st.Pid != 0 {
		t.Fatalf("after Stop: %+v", st)
	}
	if !strings.Contains(logText(t, rt, s.ID, ""), "bye") {
		t.Error("the stop signal did not reach the trap")
	}
	if err := rt.Stop(ctx, s.ID, time.Second); err != nil {
		t.Errorf("second Stop: %v", err)
	}

	// Start again on the same rootfs; a file written before survives.
	if err := rt.Start(ctx, s.ID); err != nil {
		t.Fatalf("Start: %v", err)
	}
	st = waitFor(t, rt, s.ID, "running again", func(st *Status) bool { return st.State == StateRunning })
	if st.Stopped || st.Restarts != 0 {
		t.Errorf("after Start: %+v", st)
	}
	if err := rt.Remove(ctx, s.ID, false); !errors.Is(err, ErrRunning) {
		t.Errorf("Remove of a running container without force: %v", err)
	}
	assertRemoved(t, rt, s.ID, st)
}

// assertRemoved force-removes a container and checks that nothing of it
// is left: directory, mounts, cgroups, processes.
func assertRemoved(t *testing.T, rt *Runtime, id string, st *Status) {
	t.Helper()
	if err := rt.Remove(context.Background(), id, true); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if err := rt.Remove(context.Background(), id, true); err != nil {
		t.Errorf("second Remove: %v", err)
	}
	if _, err := rt.Status(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("Status after Remove: %v", err)
	}
	if _, err := os.Stat(rt.dir(id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory left: %v", err)
	}
	mountinfo, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mountinfo), id) {
		t.Errorf("mounts left:\n%s", grepLines(string(mountinfo), id))
	}
	if left, _ := filepath.Glob("/sys/fs/cgroup/*/berth/" + id); len(left) > 0 {
		t.Errorf("cgroups left: %v", left)
	}
	if left, _ := filepath.Glob("/sys/fs/cgroup/berth/" + id); len(left) > 0 {
		t.Errorf("cgroups left: %v", left)
	}
	for _, pid := range []int{st.Pid, st.SupervisorPid} {
		if pidAlive(pid) {
			t.Errorf("process %d still alive", pid)
		}
	}
	if procs := processesMentioning(id); len(procs) > 0 {
		t.Errorf("processes left: %v", procs)
	}
}

func grepLines(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// processesMentioning lists live processes whose command line has word.
func processesMentioning(word string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(cmdline), word) {
			out = append(out, e.Name()+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return out
}

func TestExitCodeAndNoRestart(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`echo done; exit 7`)
	out, st := runToExit(t, rt, s)
	if out != "done\n" || st.ExitCode != 7 || st.Restarts != 0 || st.Stopped {
		t.Fatalf("output %q, status %+v", out, st)
	}
	if st.SupervisorPid != 0 {
		t.Errorf("supervisor pid still recorded: %d", st.SupervisorPid)
	}
	assertRemoved(t, rt, s.ID, st)
}

func TestRestartOnFailure(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`echo run; exit 1`)
	s.Restart = RestartOnFailure
	create(t, rt, s)
	st := waitFor(t, rt, s.ID, "3 restarts", func(st *Status) bool { return st.Restarts >= 3 })
	if st.State == StateExited || st.ExitCode != 1 {
		t.Errorf("while restarting: %+v", st)
	}
	if err := rt.Stop(context.Background(), s.ID, time.Second); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	st, _ = rt.Status(s.ID)
	if st.State != StateExited || !st.Stopped {
		t.Fatalf("after Stop: %+v", st)
	}
	runs := strings.Count(logText(t, rt, s.ID, ""), "run\n")
	if runs < 4 || runs > st.Restarts+1 {
		t.Errorf("%d runs logged for %d restarts", runs, st.Restarts)
	}
	time.Sleep(500 * time.Millisecond)
	later, _ := rt.Status(s.ID)
	if later.Restarts != st.Restarts || later.State != StateExited {
		t.Errorf("restarted after Stop: %+v", later)
	}
}

func TestRestartOnFailureStopsOnSuccess(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`if [ -e /ran ]; then echo second; exit 0; fi; touch /ran; exit 2`)
	s.Restart = RestartOnFailure
	create(t, rt, s)
	st := waitFor(t, rt, s.ID, "exit", func(st *Status) bool { return st.State == StateExited && st.ExitCode == 0 })
	if st.Restarts != 1 {
		t.Errorf("restarts = %d, want 1", st.Restarts)
	}
}

func TestKill(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`trap 'echo usr1' USR1; echo ready; while :; do sleep 0.05; done`)
	s.Restart = RestartAlways
	create(t, rt, s)
	waitFor(t, rt, s.ID, "trap set", func(*Status) bool { return strings.Contains(logText(t, rt, s.ID, ""), "ready") })
	if err := rt.Kill(s.ID, syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, rt, s.ID, "usr1 in log", func(*Status) bool { return strings.Contains(logText(t, rt, s.ID, ""), "usr1") })
	if err := rt.Kill(s.ID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, rt, s.ID, "exit", exited)
	if st.ExitCode != 137 || !st.Stopped || st.Restarts != 0 {
		t.Errorf("after SIGKILL with restart=always: %+v", st)
	}
	if err := rt.Kill(s.ID, syscall.SIGTERM); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Kill of an exited container: %v", err)
	}
}

func TestSupervisorKilled(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`while :; do sleep 1; done`)
	st := create(t, rt, s)
	if err := syscall.Kill(st.SupervisorPid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	dead := waitFor(t, rt, s.ID, "dead", func(st *Status) bool { return st.State == StateDead })
	if dead.Running() || dead.Pid != 0 || dead.Error == "" {
		t.Errorf("status after supervisor kill: %+v", dead)
	}
	deadline := time.Now().Add(5 * time.Second)
	for pidAlive(st.Pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if pidAlive(st.Pid) {
		t.Errorf("container process %d outlived its supervisor", st.Pid)
	}
	// Start recovers it.
	if err := rt.Start(context.Background(), s.ID); err != nil {
		t.Fatalf("Start after supervisor loss: %v", err)
	}
	st = waitFor(t, rt, s.ID, "running", func(st *Status) bool { return st.State == StateRunning })
	assertRemoved(t, rt, s.ID, st)
}

func TestCreateStartError(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec("")
	s.Args = []string{"/no/such/binary"}
	_, err := rt.Create(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "/no/such/binary") {
		t.Fatalf("Create error = %v", err)
	}
	if _, err := os.Stat(rt.dir(s.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Create left its directory: %v", err)
	}
	if _, err := rt.Create(context.Background(), Spec{ID: "../x"}); !errors.Is(err, ErrInvalidID) {
		t.Errorf("bad id: %v", err)
	}
}

func TestCreateExisting(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`sleep 100`)
	create(t, rt, s)
	if _, err := rt.Create(context.Background(), s); !errors.Is(err, ErrExists) {
		t.Errorf("second Create: %v", err)
	}
	list, err := rt.List()
	if err != nil || len(list) != 1 || list[0].ID != s.ID {
		t.Errorf("List = %v, %v", list, err)
	}
}

// TestStopTimeout: a process that ignores the stop signal is killed
// after the grace period.
func TestStopTimeout(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`trap '' TERM; echo ready; while :; do sleep 0.05; done`)
	s.StopSignal = "SIGTERM"
	create(t, rt, s)
	waitFor(t, rt, s.ID, "trap set", func(*Status) bool { return strings.Contains(logText(t, rt, s.ID, ""), "ready") })
	start := time.Now()
	if err := rt.Stop(context.Background(), s.ID, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	st, _ := rt.Status(s.ID)
	if st.ExitCode != 137 || st.State != StateExited {
		t.Errorf("after Stop: %+v", st)
	}
	if time.Since(start) < 300*time.Millisecond {
		t.Error("killed before the grace period ended")
	}
}

// TestStopDuringBackoff: Stop ends a restart loop between runs.
func TestStopDuringBackoff(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`exit 1`)
	s.Restart = RestartAlways
	create(t, rt, s)
	waitFor(t, rt, s.ID, "restarting", func(st *Status) bool { return st.Restarts >= 4 })
	if err := rt.Stop(context.Background(), s.ID, time.Second); err != nil {
		t.Fatal(err)
	}
	st, _ := rt.Status(s.ID)
	if st.State != StateExited || !st.Stopped || st.SupervisorPid != 0 {
		t.Errorf("after Stop: %+v", st)
	}
	assertRemoved(t, rt, s.ID, st)
}

// TestSupervisorTerminated: SIGTERM to the supervisor (a host shutdown)
// stops the container without restarting it, and without recording a
// user's stop, so that unless-stopped containers can come back later.
func TestSupervisorTerminated(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`trap 'exit 0' TERM; echo ready; while :; do sleep 0.05; done`)
	s.Restart = RestartUnlessStopped
	st := create(t, rt, s)
	waitFor(t, rt, s.ID, "trap set", func(*Status) bool { return strings.Contains(logText(t, rt, s.ID, ""), "ready") })
	if err := syscall.Kill(st.SupervisorPid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	st = waitFor(t, rt, s.ID, "exit", func(st *Status) bool { return st.State == StateExited && st.SupervisorPid == 0 })
	if st.Stopped || st.Restarts != 0 || st.ExitCode != 0 {
		t.Errorf("after SIGTERM to the supervisor: %+v", st)
	}
}
