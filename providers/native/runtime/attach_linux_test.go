//go:build cgo

package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// frames reads input frames from r until it closes.
func frames(t *testing.T, r io.Reader) string {
	t.Helper()
	var out bytes.Buffer
	var hdr [5]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return out.String()
		}
		payload := make([]byte, binary.BigEndian.Uint32(hdr[1:]))
		if _, err := io.ReadFull(r, payload); err != nil {
			t.Fatal(err)
		}
		if hdr[0] != frameInput {
			t.Fatalf("frame type %q", hdr[0])
		}
		out.Write(payload)
	}
}

func TestSendInputDetachKeys(t *testing.T) {
	for _, tc := range []struct {
		name, in, sent string
		detached       bool
	}{
		{"plain input", "ls\n", "ls\n", false},
		{"detach", "ls\n\x10\x11rest", "ls\n", true},
		{"ctrl-p alone is sent", "a\x10b", "a\x10b", false},
		{"ctrl-p twice then q", "\x10\x10\x11after", "\x10", true},
		{"ctrl-p at the end is held", "a\x10", "a", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, server := net.Pipe()
			got := make(chan string, 1)
			go func() { got <- frames(t, server) }()
			detached := sendInput(client, strings.NewReader(tc.in), DefaultDetachKeys)
			client.Close()
			if sent := <-got; sent != tc.sent || detached != tc.detached {
				t.Errorf("sent %q detached %v, want %q %v", sent, detached, tc.sent, tc.detached)
			}
		})
	}
}

// attach runs Attach on id with input and captured output, and returns
// when it does.
func attach(t *testing.T, rt *Runtime, id string, in io.Reader, out, errOut io.Writer) (detached bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	detached, err := rt.Attach(ctx, id, AttachOptions{Stdin: in, Stdout: out, Stderr: errOut, DetachKeys: DefaultDetachKeys})
	if err != nil {
		t.Fatalf("Attach: %v", err)
	}
	return detached
}

func TestAttachTerminal(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`exec cat`)
	s.Tty = true
	create(t, rt, s)
	in, typed := io.Pipe()
	var out syncBuffer
	result := make(chan bool, 1)
	go func() { result <- attach(t, rt, s.ID, in, &out, nil) }()
	// The terminal echoes the line, then cat writes it back.
	if _, err := typed.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, "hello\r\nhello\r\n")
	if _, err := typed.Write(DefaultDetachKeys); err != nil {
		t.Fatal(err)
	}
	if !<-result {
		t.Error("Attach did not report detaching")
	}
	if st, _ := rt.Status(s.ID); st.State != StateRunning {
		t.Errorf("after detaching the container is %s", st.State)
	}
}

func TestAttachOpenStdin(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`read x; echo out-$x; echo err-$x >&2; exit 3`)
	s.OpenStdin = true
	create(t, rt, s)
	var out, errOut syncBuffer
	if attach(t, rt, s.ID, strings.NewReader("5\n"), &out, &errOut) {
		t.Error("Attach reported detaching; the process exited")
	}
	if out.String() != "out-5\n" || errOut.String() != "err-5\n" {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
	if st := waitFor(t, rt, s.ID, "exit", exited); st.ExitCode != 3 {
		t.Errorf("exit code %d", st.ExitCode)
	}
}

// TestAttachWithoutStdin: a container without OpenStdin reads /dev/null,
// and attach does not read the caller's input.
func TestAttachWithoutStdin(t *testing.T) {
	rt := newRuntime(t)
	out, st := runToExit(t, rt, shSpec(`cat; echo read-$?`))
	if out != "read-0\n" || st.ExitCode != 0 {
		t.Errorf("output %q, exit %d", out, st.ExitCode)
	}

	s := shSpec(`i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.05; done`)
	create(t, rt, s)
	in, typed := io.Pipe()
	var got syncBuffer
	result := make(chan bool, 1)
	go func() { result <- attach(t, rt, s.ID, in, &got, nil) }()
	waitOutput(t, &got, "tick-")
	// Unless attach reads its input, this write blocks until the reading
	// end is closed below, and then fails.
	wrote := make(chan error, 1)
	go func() { _, err := typed.Write(DefaultDetachKeys); wrote <- err }()
	if err := rt.Kill(s.ID, unix.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if <-result {
		t.Error("Attach detached on input the container does not take")
	}
	in.Close()
	if err := <-wrote; err == nil {
		t.Error("attach read the caller's input")
	}
}
