//go:build cgo

package runtime

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// Attach connects the caller to the terminal of container id, started
// with one (Spec.Tty) under a supervisor, like docker attach: the
// terminal's output to o.Stdout, o.Stdin to its input. It returns when
// the main process exits (detached false) or when the detach keys are
// typed (detached true), or ctx ends.
func (r *Runtime) Attach(ctx context.Context, id string, o AttachOptions) (detached bool, err error) {
	st, err := r.Status(id)
	if err != nil {
		return false, err
	}
	switch {
	case st.State != StateRunning:
		return false, fmt.Errorf("%w: %s is %s", ErrNotRunning, id, st.State)
	case !st.Spec.Tty:
		return false, fmt.Errorf("%w: %s", ErrNoTerminal, id)
	}
	conn, err := dialAttach(ctx, r.dir(id))
	if err != nil {
		return false, fmt.Errorf("attach to %s: %w", id, err)
	}
	defer conn.Close()
	restore := o.prepareTerminal(conn)
	defer restore()
	outDone := make(chan struct{})
	go func() { _, _ = io.Copy(o.Stdout, conn); close(outDone) }()
	detach := make(chan struct{})
	if o.Stdin != nil {
		go func() {
			if sendInput(conn, o.Stdin, o.DetachKeys) {
				close(detach)
			}
		}()
	}
	select {
	case <-outDone:
		return false, nil
	case <-detach:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// dialAttach connects to the container's attach socket.
func dialAttach(ctx context.Context, dir string) (net.Conn, error) {
	var conn net.Conn
	err := unixSocketPath(dir, attachSocket, func(p string) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "unix", p)
		conn = c
		return err
	})
	if errors.Is(err, unix.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) {
		return nil, errors.New("nothing to attach to: it runs in the foreground of a berth run, or is stopping")
	}
	return conn, err
}

// prepareTerminal puts the caller's terminal in raw mode (with Stdin),
// sends its size and follows it; the returned function undoes it.
func (o AttachOptions) prepareTerminal(conn net.Conn) func() {
	t := o.Terminal
	if t == nil {
		return func() {}
	}
	restore := func() {}
	if o.Stdin != nil {
		if state, err := term.MakeRaw(int(t.Fd())); err == nil {
			restore = func() { _ = term.Restore(int(t.Fd()), state) }
		}
	}
	sendSize := func() {
		if w, h, err := term.GetSize(int(t.Fd())); err == nil {
			var p [4]byte
			binary.BigEndian.PutUint16(p[:], uint16(w))
			binary.BigEndian.PutUint16(p[2:], uint16(h))
			_ = writeFrame(conn, frameResize, p[:])
		}
	}
	sendSize()
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, unix.SIGWINCH)
	go func() {
		for range winch {
			sendSize()
		}
	}()
	return func() {
		signal.Stop(winch)
		close(winch)
		restore()
	}
}

// sendInput sends what src gives as input frames until it ends or the
// detach sequence is typed (true). A partial sequence is held back until
// the next key shows whether it completes.
func sendInput(conn net.Conn, src io.Reader, keys []byte) bool {
	buf := make([]byte, 4096)
	matched := 0
	for {
		n, err := src.Read(buf)
		var out []byte
		for _, b := range buf[:n] {
			if len(keys) > 0 && b == keys[matched] {
				if matched++; matched == len(keys) {
					_ = writeFrame(conn, frameInput, out)
					return true
				}
				continue
			}
			out = append(out, keys[:matched]...)
			matched = 0
			if len(keys) > 0 && b == keys[0] {
				matched = 1
				if len(keys) == 1 {
					_ = writeFrame(conn, frameInput, out)
					return true
				}
				continue
			}
			out = append(out, b)
		}
		if len(out) > 0 && writeFrame(conn, frameInput, out) != nil {
			return false
		}
		if err != nil {
			return false
		}
	}
}

func writeFrame(w io.Writer, typ byte, payload []byte) error {
	if len(payload) == 0 {
		return nil
	}
	hdr := [5]byte{typ}
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	_, err := w.Write(append(hdr[:], payload...))
	return err
}
