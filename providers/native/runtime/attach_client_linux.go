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

// Attach connects the caller to the main process of container id, run
// by a supervisor, like docker attach. With a terminal (Spec.Tty) the
// terminal's output goes to o.Stdout and o.Stdin to its input. Without
// one, what the process writes from now on is followed in its log
// (stdout to o.Stdout, stderr to o.Stderr), and o.Stdin goes to its
// stdin if it was started with Spec.OpenStdin (else o.Stdin is not
// read). It returns when the main process exits (detached false), when
// the detach keys are typed (detached true), or when ctx ends.
func (r *Runtime) Attach(ctx context.Context, id string, o AttachOptions) (detached bool, err error) {
	st, err := r.Status(id)
	if err != nil {
		return false, err
	}
	if st.State != StateRunning {
		return false, fmt.Errorf("%w: %s is %s", ErrNotRunning, id, st.State)
	}
	conn, err := dialAttach(ctx, r.dir(id))
	if err != nil {
		return false, fmt.Errorf("attach to %s: %w", id, err)
	}
	defer conn.Close()
	if !st.Spec.Tty {
		if !st.Spec.OpenStdin {
			o.Stdin = nil
		}
		return r.attachLog(ctx, id, conn, o)
	}
	return attachTerminal(ctx, conn, o)
}

// attachTerminal relays the container's terminal over conn.
func attachTerminal(ctx context.Context, conn net.Conn, o AttachOptions) (bool, error) {
	restore := o.prepareTerminal(conn)
	defer restore()
	outDone := make(chan struct{})
	go func() { _, _ = io.Copy(o.Stdout, conn); close(outDone) }()
	detach := o.sendInput(conn)
	select {
	case <-outDone:
		return false, nil
	case <-detach:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// attachLog follows the log of a container without a terminal from its
// current end, and sends o.Stdin over conn, until conn closes (the main
// process has exited and all its output is in the log) or the caller
// detaches.
func (r *Runtime) attachLog(ctx context.Context, id string, conn net.Conn, o AttachOptions) (bool, error) {
	l, err := r.OpenLogs(id)
	if err != nil {
		return false, err
	}
	defer l.Close()
	if err := l.drain(func(LogEntry) error { return nil }); err != nil {
		return false, err
	}
	stderr := o.Stderr
	if stderr == nil {
		stderr = o.Stdout
	}
	show := func(e LogEntry) error {
		w := o.Stdout
		if e.Stream == streamStderr {
			w = stderr
		}
		_, err := io.WriteString(w, e.Log)
		return err
	}
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	followed := make(chan error, 1)
	go func() { followed <- l.Follow(fctx, show) }()
	ended := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, conn); close(ended) }()
	detach := o.sendInput(conn)
	select {
	case <-ended:
	case <-detach:
		stop()
		return true, <-followed
	case err := <-followed:
		return false, err // the container was removed, or printing failed
	case <-ctx.Done():
		stop()
		<-followed
		return false, ctx.Err()
	}
	stop()
	if err := <-followed; err != nil {
		return false, err
	}
	// The last lines: Follow reads what is there, then sees fctx ended.
	return false, l.Follow(fctx, show)
}

// sendInput sends o.Stdin over conn in the background; the channel
// closes when the detach keys are typed. Nil Stdin sends nothing.
func (o AttachOptions) sendInput(conn net.Conn) <-chan struct{} {
	detach := make(chan struct{})
	if o.Stdin != nil {
		go func() {
			if sendInput(conn, o.Stdin, o.DetachKeys) {
				close(detach)
			}
		}()
	}
	return detach
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
		return nil, errors.New("nothing to attach to: it runs in the foreground of a berth run, is stopping, or was started by a berth older than attach without a terminal (berth restart starts it anew)")
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
