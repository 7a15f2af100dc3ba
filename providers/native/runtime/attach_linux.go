//go:build cgo

package runtime

import (
	"encoding/binary"
	"io"
	"net"
	"os"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// A container run by a supervisor can be attached to: while its main
// process runs, the supervisor listens on <dir>/attach.sock. With a
// terminal (Spec.Tty) it relays the terminal: everything the terminal
// prints goes to every client as it is. Without one, clients read the
// output from the log and the socket only carries their input; either
// way the server closes every connection when the main process has
// exited and its output is in the log. A client sends frames of one type
// byte, a 4-byte big-endian length and the payload: frameInput (bytes
// typed, written to the terminal, or to the stdin pipe of a container
// with Spec.OpenStdin, else dropped) and frameResize (columns and rows,
// two 2-byte big-endian numbers; terminal only). A client that falls
// behind is dropped rather than slow the log down.
const (
	attachSocket  = "attach.sock"
	frameInput    = 'i'
	frameResize   = 'w'
	maxFrame      = 64 << 10
	clientBacklog = 256 // output chunks queued per client
)

// attachServer serves one run's attach clients.
type attachServer struct {
	ln    *net.UnixListener
	input *os.File // the terminal's master, the stdin pipe, or nil
	tty   bool
	path  string

	mu      sync.Mutex
	clients map[*attachClient]struct{}
	closed  bool
}

type attachClient struct {
	conn net.Conn
	out  chan []byte
	once sync.Once
}

// serveAttach starts serving attach clients of a run whose output has
// started; nil when the socket cannot be made (attach then reports that
// there is nothing to attach to).
func (o *outputs) serveAttach(dir string, tty bool) *attachServer {
	input := o.stdin
	if tty {
		if input = o.readers[streamStdout]; input == nil {
			return nil
		}
	}
	var ln *net.UnixListener
	p := dir + "/" + attachSocket
	err := unixSocketPath(dir, attachSocket, func(sp string) error {
		_ = os.Remove(sp)
		l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sp, Net: "unix"})
		if err == nil {
			l.SetUnlinkOnClose(false)
		}
		ln = l
		return err
	})
	if err != nil {
		return nil
	}
	a := &attachServer{ln: ln, input: input, tty: tty, path: p, clients: map[*attachClient]struct{}{}}
	if tty {
		o.tee = a
	}
	go a.serve()
	return a
}

func (a *attachServer) serve() {
	for {
		conn, err := a.ln.Accept()
		if err != nil {
			return
		}
		c := &attachClient{conn: conn, out: make(chan []byte, clientBacklog)}
		a.mu.Lock()
		if a.closed {
			a.mu.Unlock()
			conn.Close()
			return
		}
		a.clients[c] = struct{}{}
		a.mu.Unlock()
		go a.send(c)
		go a.receive(c)
	}
}

// Write hands the terminal's output to every client; it never blocks.
func (a *attachServer) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for c := range a.clients {
		select {
		case c.out <- append([]byte(nil), p...):
		default:
			a.drop(c)
		}
	}
	return len(p), nil
}

// drop disconnects c; called with a.mu held.
func (a *attachServer) drop(c *attachClient) {
	delete(a.clients, c)
	c.once.Do(func() { close(c.out) })
}

func (a *attachServer) send(c *attachClient) {
	defer c.conn.Close()
	for b := range c.out {
		if _, err := c.conn.Write(b); err != nil {
			break
		}
	}
	a.mu.Lock()
	a.drop(c)
	a.mu.Unlock()
}

// receive applies c's frames to the terminal until it goes.
func (a *attachServer) receive(c *attachClient) {
	defer func() {
		a.mu.Lock()
		a.drop(c)
		a.mu.Unlock()
	}()
	var hdr [5]byte
	for {
		if _, err := io.ReadFull(c.conn, hdr[:]); err != nil {
			return
		}
		n := binary.BigEndian.Uint32(hdr[1:])
		if n > maxFrame {
			return
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.conn, payload); err != nil {
			return
		}
		switch hdr[0] {
		case frameInput:
			// Input the process no longer reads (it closed its stdin)
			// is dropped; the client stays until the run ends.
			if a.input != nil {
				_, _ = a.input.Write(payload)
			}
		case frameResize:
			if a.tty && len(payload) == 4 {
				ws := &unix.Winsize{Col: binary.BigEndian.Uint16(payload), Row: binary.BigEndian.Uint16(payload[2:])}
				_ = unix.IoctlSetWinsize(int(a.input.Fd()), unix.TIOCSWINSZ, ws)
			}
		}
	}
}

// close stops listening and disconnects every client (they see the end
// of the output); nil-safe.
func (a *attachServer) close() {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.closed = true
	for c := range a.clients {
		a.drop(c)
	}
	a.mu.Unlock()
	a.ln.Close()
	_ = os.Remove(a.path)
}

// unixSocketPath calls fn with a path to <dir>/<name> short enough for a
// unix socket address (108 bytes), going through /proc/self/fd when the
// real one is too long.
func unixSocketPath(dir, name string, fn func(path string) error) error {
	p := dir + "/" + name
	if len(p) < 100 {
		return fn(p)
	}
	d, err := os.OpenFile(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer d.Close()
	return fn("/proc/self/fd/" + strconv.Itoa(int(d.Fd())) + "/" + name)
}
