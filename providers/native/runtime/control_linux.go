//go:build cgo

package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The supervisor listens on <dir>/control.sock (the directory is root's,
// mode 0700). A client sends one JSON request and reads one JSON reply.
const (
	opStop   = "stop"   // stop without restarting; the reply comes once the process has exited and been cleaned up, then the supervisor exits
	opKill   = "kill"   // send a signal to the main process
	opReload = "reload" // re-read config.json: resources, restart, health, stop signal and timeout
)

// errSupervisorGone: nobody listens; the supervisor has finished (it
// closes the socket just before it exits) or died.
var errSupervisorGone = errors.New("the supervisor has finished")

type controlRequest struct {
	Op      string         `json:"op"`
	Timeout time.Duration  `json:"timeout,omitempty"` // stop: grace period before SIGKILL; 0 kills at once
	Signal  syscall.Signal `json:"signal,omitempty"`  // kill; during an exec, a signal to forward
	Exec    *execRequest   `json:"exec,omitempty"`    // exec
}

type controlReply struct {
	Error       string       `json:"error,omitempty"`
	NotRunning  bool         `json:"not_running,omitempty"` // kill, exec: nothing runs now
	Unsupported bool         `json:"unsupported,omitempty"` // this server does not take the request
	Pid         int          `json:"pid,omitempty"`         // exec: the process runs
	Failed      *execFailure `json:"failed,omitempty"`      // exec: the command could not be run
	Exit        *int         `json:"exit,omitempty"`        // exec: the process has exited with this code
}

// socketPath calls fn with a path to <dir>/control.sock short enough for
// a unix socket address (108 bytes), going through /proc/self/fd when the
// real path is too long.
func socketPath(dir string, fn func(path string) error) error {
	p := filepath.Join(dir, controlSocket)
	if len(p) < 100 {
		return fn(p)
	}
	d, err := os.OpenFile(dir, unix.O_PATH|unix.O_DIRECTORY, 0)
	if err != nil {
		return err
	}
	defer d.Close()
	return fn("/proc/self/fd/" + strconv.Itoa(int(d.Fd())) + "/" + controlSocket)
}

func listenControl(dir string) (*net.UnixListener, error) {
	var ln *net.UnixListener
	err := socketPath(dir, func(p string) error {
		_ = os.Remove(p)
		l, err := net.ListenUnix("unix", &net.UnixAddr{Name: p, Net: "unix"})
		if err == nil {
			l.SetUnlinkOnClose(false)
		}
		ln = l
		return err
	})
	return ln, err
}

// callSupervisor sends req and waits for the reply until ctx ends.
func callSupervisor(ctx context.Context, dir string, req controlRequest) error {
	var conn net.Conn
	err := socketPath(dir, func(p string) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "unix", p)
		conn = c
		return err
	})
	if errors.Is(err, unix.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) {
		return errSupervisorGone
	}
	if err != nil {
		return fmt.Errorf("contact supervisor: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return fmt.Errorf("send %s to supervisor: %w", req.Op, err)
	}
	var rep controlReply
	if err := json.NewDecoder(conn).Decode(&rep); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%s: no reply from supervisor: %w", req.Op, err)
	}
	switch {
	case rep.NotRunning:
		return ErrNotRunning
	case rep.Error != "":
		return errors.New(rep.Error)
	}
	return nil
}
