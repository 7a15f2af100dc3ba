//go:build cgo

package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/opencontainers/runc/libcontainer"
	"golang.org/x/sys/unix"
)

// An exec goes through the container's supervisor when it can: the
// supervisor has the container loaded and its encoders warm, so the
// caller is spared loading libcontainer's state (a 30 KB JSON document,
// mostly the seccomp profile) and encoding it again cold, about a third
// of the time of `berth exec ADDR -- true`.
//
// The conversation on the control socket, one JSON value per line:
//
//	caller → supervisor  {"op":"exec","exec":{…}} with the process's ends
//	                     of its streams (or, with a TTY, the console
//	                     socket) attached as SCM_RIGHTS
//	supervisor → caller  {"pid":N} once it runs, or what stopped it
//	caller → supervisor  {"signal":N} for each signal to forward
//	supervisor → caller  {"exit":CODE} once it has exited
//
// The caller keeps its ends of the streams and copies them as it does
// for a process it starts itself. If the caller goes away before the
// exit, the supervisor kills the process, as the caller's death would
// have. A supervisor that does not know the request (older than this
// file, or a foreground run's CLI) leaves the caller to run the process
// itself.

const opExec = "exec"

// execRequest is the process an exec request asks for. The streams
// present are attached in this order: stdin, stdout, stderr; with Tty
// only the console socket.
type execRequest struct {
	Args       []string `json:"args"`
	Env        []string `json:"env,omitempty"`
	User       string   `json:"user,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"`
	Tty        bool     `json:"tty,omitempty"`
	Width      uint16   `json:"width,omitempty"`
	Height     uint16   `json:"height,omitempty"`
	Stdin      bool     `json:"stdin,omitempty"`
	Stdout     bool     `json:"stdout,omitempty"`
	Stderr     bool     `json:"stderr,omitempty"`
}

// execFailure is a command that could not be run (an *ExecError).
type execFailure struct {
	Command  string `json:"command"`
	NotFound bool   `json:"not_found,omitempty"`
	Message  string `json:"message"`
}

// errExecUnsupported: the supervisor cannot take the request; the caller
// runs the process itself.
var errExecUnsupported = errors.New("the supervisor does not run exec requests")

// execBySupervisor runs o in the running container st through its
// supervisor and returns the exit code.
func (r *Runtime) execBySupervisor(ctx context.Context, st *Status, o ExecOptions) (int, error) {
	var conn *net.UnixConn
	err := socketPath(r.dir(st.ID), func(p string) error {
		c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: p, Net: "unix"})
		conn = c
		return err
	})
	if err != nil {
		return -1, errExecUnsupported // no supervisor to ask: the direct path says why
	}
	defer conn.Close()

	var p libcontainer.Process // collects the process's ends of the streams
	streams, err := attachForeground(&p, o.IO)
	if err != nil {
		return -1, err
	}
	defer streams.close()
	req := &execRequest{Args: o.Args, Env: o.Env, User: o.User, WorkingDir: o.WorkingDir, Tty: o.IO.Tty,
		Width: p.ConsoleWidth, Height: p.ConsoleHeight}
	// attachForeground gives each stream present an *os.File: a pipe's
	// end, or with a TTY the console socket alone.
	var fds []int
	add := func(f any) bool {
		file, ok := f.(*os.File)
		if ok {
			fds = append(fds, int(file.Fd()))
		}
		return ok
	}
	if o.IO.Tty {
		add(p.ConsoleSocket)
	} else {
		req.Stdin, req.Stdout, req.Stderr = add(p.Stdin), add(p.Stdout), add(p.Stderr)
	}
	msg, err := json.Marshal(controlRequest{Op: opExec, Exec: req})
	if err != nil {
		return -1, err
	}
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	if _, _, err := conn.WriteMsgUnix(append(msg, '\n'), oob, nil); err != nil {
		return -1, errExecUnsupported
	}
	dec := json.NewDecoder(conn)
	var rep controlReply
	if err := dec.Decode(&rep); err != nil {
		return -1, fmt.Errorf("exec in container %s: no reply from its supervisor: %w", st.ID, err)
	}
	switch {
	case rep.Unsupported || strings.HasPrefix(rep.Error, "unknown request"):
		return -1, errExecUnsupported
	case rep.NotRunning:
		return -1, fmt.Errorf("%w: %s", ErrNotRunning, st.ID)
	case rep.Failed != nil:
		return -1, &ExecError{Command: rep.Failed.Command, NotFound: rep.Failed.NotFound, Message: rep.Failed.Message}
	case rep.Error != "":
		return -1, errors.New(rep.Error) // worded by the supervisor as the direct path words it
	}

	enc := json.NewEncoder(conn)
	if err := streams.started(); err != nil {
		_ = enc.Encode(controlRequest{Signal: unix.SIGKILL})
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		ctxDone := ctx.Done()
		for {
			select {
			case sig := <-o.IO.Signals:
				_ = enc.Encode(controlRequest{Signal: toSyscallSignal(sig)})
			case <-ctxDone:
				ctxDone = nil
				_ = enc.Encode(controlRequest{Signal: unix.SIGKILL})
			case <-stop:
				return
			}
		}
	}()
	rep = controlReply{}
	if err := dec.Decode(&rep); err != nil || rep.Exit == nil {
		return -1, fmt.Errorf("exec in container %s: its supervisor ended before the process did", st.ID)
	}
	streams.drain(2 * time.Second)
	return *rep.Exit, nil
}

// serveExec is the supervisor's side: it starts the process with the
// caller's streams, answers, forwards the caller's signals and reports
// the exit. files are the streams received with the request; they are
// closed here.
func (s *supervisor) serveExec(req *execRequest, files []*os.File, dec *json.Decoder, conn net.Conn) {
	defer closeFiles(files)
	enc := json.NewEncoder(conn)
	reply := func(rep controlReply) { _ = enc.Encode(rep) }
	s.mu.Lock()
	r, spec := s.cur, s.spec
	s.mu.Unlock()
	if r == nil || r.pid == 0 {
		reply(controlReply{NotRunning: true})
		return
	}
	select {
	case <-r.done:
		reply(controlReply{NotRunning: true})
		return
	default:
	}
	want := 0
	for _, b := range []bool{req.Tty, req.Stdin, req.Stdout, req.Stderr} {
		if b {
			want++
		}
	}
	if len(files) != want || len(req.Args) == 0 {
		reply(controlReply{Error: "malformed exec request"})
		return
	}
	p, err := execProcess(spec, r.pid, ExecOptions{Args: req.Args, Env: req.Env, User: req.User,
		WorkingDir: req.WorkingDir, IO: ForegroundIO{Tty: req.Tty}})
	if err != nil {
		reply(controlReply{Error: err.Error()})
		return
	}
	if req.Tty {
		p.ConsoleSocket, p.ConsoleWidth, p.ConsoleHeight = files[0], req.Width, req.Height
	} else {
		rest := files
		take := func() *os.File { f := rest[0]; rest = rest[1:]; return f }
		if req.Stdin {
			p.Stdin = take()
		}
		if req.Stdout {
			p.Stdout = take()
		}
		if req.Stderr {
			p.Stderr = take()
		}
	}
	err = r.runProcess(p)
	closeFiles(files) // the process has its own copies now (closing twice is harmless)
	if err != nil {
		err = classifyExecError(req.Args, spec.ID, err)
		var ee *ExecError
		switch {
		case errors.As(err, &ee):
			reply(controlReply{Failed: &execFailure{Command: ee.Command, NotFound: ee.NotFound, Message: ee.Message}})
		case errors.Is(err, ErrNotRunning):
			reply(controlReply{NotRunning: true})
		default:
			reply(controlReply{Error: err.Error()})
		}
		return
	}
	pid, _ := p.Pid()
	reply(controlReply{Pid: pid})

	exited := make(chan int, 1)
	go func() {
		ps, err := p.Wait()
		exited <- exitStatus(ps, err)
	}()
	sigs := make(chan unix.Signal)
	gone := make(chan struct{}) // the caller hung up
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		for {
			var m controlRequest
			if err := dec.Decode(&m); err != nil {
				close(gone)
				return
			}
			select {
			case sigs <- m.Signal:
			case <-finished:
				return
			}
		}
	}()
	for {
		select {
		case code := <-exited:
			reply(controlReply{Exit: &code})
			return
		case sig := <-sigs:
			if sig > 0 {
				_ = p.Signal(sig)
			}
		case <-gone:
			gone = nil
			_ = p.Signal(unix.SIGKILL)
		}
	}
}

// closeFiles closes what is left of files.
func closeFiles(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}
