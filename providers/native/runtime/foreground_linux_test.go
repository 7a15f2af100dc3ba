//go:build cgo

package runtime

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the copying goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runFg runs s in the foreground with captured output.
func runFg(t *testing.T, rt *Runtime, s Spec, fio ForegroundIO) (int, string, string, error) {
	t.Helper()
	var out, errOut syncBuffer
	if fio.Stdout == nil {
		fio.Stdout = &out
	}
	if fio.Stderr == nil {
		fio.Stderr = &errOut
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, err := rt.RunForeground(ctx, s, fio)
	return code, out.String(), errOut.String(), err
}

func TestForegroundExitCodes(t *testing.T) {
	rt := newRuntime(t)
	tests := []struct {
		name string
		args []string
		code int
		out  string
		exec bool // an *ExecError
	}{
		{name: "true", args: []string{"true"}, code: 0},
		{name: "false", args: []string{"false"}, code: 1},
		{name: "exit 3", args: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}, code: 3, out: "out\n"},
		{name: "not found", args: []string{"no-such-command"}, code: 127, exec: true},
		{name: "absolute not found", args: []string{"/no/such"}, code: 127, exec: true},
		{name: "not executable", args: []string{"/etc/passwd"}, code: 126, exec: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := shSpec("")
			s.Args, s.AutoRemove = tc.args, true
			code, out, _, err := runFg(t, rt, s, ForegroundIO{})
			var ee *ExecError
			if tc.exec != errors.As(err, &ee) || (!tc.exec && err != nil) {
				t.Fatalf("err = %v", err)
			}
			if code != tc.code || (tc.out != "" && out != tc.out) {
				t.Errorf("code %d, output %q; want %d, %q", code, out, tc.code, tc.out)
			}
			if _, err := rt.Status(s.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("AutoRemove left the container: %v", err)
			}
		})
	}
}

func TestForegroundStreams(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`read line; echo "got $line"; echo warn >&2; cat`)
	s.AutoRemove = true
	code, out, errOut, err := runFg(t, rt, s, ForegroundIO{Stdin: strings.NewReader("hello\nrest\n")})
	if err != nil || code != 0 {
		t.Fatalf("code %d, err %v", code, err)
	}
	if out != "got hello\nrest\n" || errOut != "warn\n" {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
}

func TestForegroundStdinNeverEnds(t *testing.T) {
	rt := newRuntime(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	s := shSpec(`echo done`)
	s.AutoRemove = true
	code, out, _, err := runFg(t, rt, s, ForegroundIO{Stdin: r})
	if err != nil || code != 0 || out != "done\n" {
		t.Fatalf("code %d, out %q, err %v", code, out, err)
	}
}

func TestForegroundTty(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`tty; echo "TERM=$TERM"; stty size`)
	s.AutoRemove = true
	code, out, _, err := runFg(t, rt, s, ForegroundIO{Tty: true})
	if err != nil || code != 0 {
		t.Fatalf("code %d, err %v", code, err)
	}
	for _, want := range []string{"/dev/pts/0\r\n", "TERM=xterm\r\n", "24 80\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

// Without AutoRemove the record stays, exited with the code, and goes
// with Remove; nothing is mounted meanwhile.
func TestForegroundKeepsRecord(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`echo hi > /kept; exit 4`)
	code, _, _, err := runFg(t, rt, s, ForegroundIO{})
	if err != nil || code != 4 {
		t.Fatalf("code %d, err %v", code, err)
	}
	st, err := rt.Status(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != StateExited || st.ExitCode != 4 || st.FinishedAt.IsZero() || st.StartedAt.IsZero() || st.Labels["berth.test"] != "1" {
		t.Errorf("status %+v", st)
	}
	mountinfo, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mountinfo), s.ID) {
		t.Errorf("rootfs still mounted:\n%s", grepLines(string(mountinfo), s.ID))
	}
	if _, err := os.Stat(rt.dir(s.ID) + "/upper/kept"); err != nil {
		t.Errorf("the container's files are gone: %v", err)
	}
	assertRemoved(t, rt, s.ID, st)
}

func TestForegroundExecErrorRecord(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec("")
	s.Args = []string{"no-such-command"}
	code, _, _, err := runFg(t, rt, s, ForegroundIO{})
	if code != 127 || err == nil || !strings.Contains(err.Error(), "no-such-command") {
		t.Fatalf("code %d, err %v", code, err)
	}
	st, err := rt.Status(s.ID)
	if err != nil || st.State != StateExited || st.ExitCode != 127 || st.Error == "" {
		t.Fatalf("status %+v, %v", st, err)
	}
}

// While it runs, the container is listed as running, and Kill and Stop
// reach it through its control socket.
func TestForegroundControl(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`trap 'echo hup' HUP; trap 'exit 7' TERM; echo ready; while :; do sleep 0.05; done`)
	var out syncBuffer
	type result struct {
		code int
		err  error
	}
	res := make(chan result, 1)
	go func() {
		code, err := rt.RunForeground(context.Background(), s, ForegroundIO{Stdout: &out})
		res <- result{code, err}
	}()
	waitOutput(t, &out, "ready")
	st, err := rt.Status(s.ID)
	if err != nil || st.State != StateRunning || st.Pid <= 0 {
		t.Errorf("status while running: %+v, %v", st, err)
	}
	if err := rt.Kill(s.ID, syscall.SIGHUP); err != nil {
		t.Fatalf("Kill: %v", err)
	}
	waitOutput(t, &out, "hup")
	if err := rt.Remove(context.Background(), s.ID, false); !errors.Is(err, ErrRunning) {
		t.Errorf("Remove without force: %v", err)
	}
	if err := rt.Stop(context.Background(), s.ID, 5*time.Second); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	r := <-res
	if r.err != nil || r.code != 7 {
		t.Fatalf("RunForeground: %d, %v", r.code, r.err)
	}
	st, err = rt.Status(s.ID)
	if err != nil || st.State != StateExited || !st.Stopped || st.ExitCode != 7 {
		t.Fatalf("after Stop: %+v, %v", st, err)
	}
	assertRemoved(t, rt, s.ID, st)
}

func TestForegroundSignalsAndCancel(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`trap 'exit 9' INT; echo ready; while :; do sleep 0.05; done`)
	s.AutoRemove = true
	sigs := make(chan os.Signal, 1)
	var out syncBuffer
	go func() {
		waitOutput(t, &out, "ready")
		sigs <- syscall.SIGINT
	}()
	code, err := rt.RunForeground(context.Background(), s, ForegroundIO{Stdout: &out, Signals: sigs})
	if err != nil || code != 9 {
		t.Fatalf("after SIGINT: %d, %v", code, err)
	}

	s = shSpec(`sleep 100`)
	s.AutoRemove = true
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	code, err = rt.RunForeground(ctx, s, ForegroundIO{})
	if err != nil || code != 137 {
		t.Fatalf("after cancel: %d, %v", code, err)
	}
}

// A name clash is the caller's business; an ID clash is ErrExists.
func TestForegroundExists(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`true`)
	if code, _, _, err := runFg(t, rt, s, ForegroundIO{}); err != nil || code != 0 {
		t.Fatalf("%d, %v", code, err)
	}
	if _, _, _, err := runFg(t, rt, s, ForegroundIO{}); !errors.Is(err, ErrExists) {
		t.Fatalf("second run: %v", err)
	}
}

// A supervised container with AutoRemove goes once it has exited.
func TestSupervisorAutoRemove(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`sleep 0.2`)
	s.AutoRemove = true
	create(t, rt, s)
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := rt.Status(s.ID)
		if errors.Is(err, ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still there: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(rt.dir(s.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory left: %v", err)
	}
}

func waitOutput(t *testing.T, b *syncBuffer, want string) {
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Errorf("no %q in %q", want, b.String())
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
