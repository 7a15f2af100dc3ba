//go:build cgo

package runtime

import (
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/opencontainers/runc/libcontainer"
	"github.com/opencontainers/runc/libcontainer/utils"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// foregroundStreams connects a foreground container's standard streams to
// its ForegroundIO: a pipe per stream (never the caller's own
// descriptors, so that a container cannot reach the caller's terminal or
// files through them), or with a TTY the pseudo-terminal's master, which
// libcontainer hands over on a socket.
type foregroundStreams struct {
	fio     ForegroundIO
	child   []*os.File // the process's ends, closed once it started
	console *os.File   // TTY: our end of the console socket
	master  *os.File   // TTY: the terminal's master
	outputs map[*os.File]io.Writer
	stdin   *os.File // our end of the stdin pipe (no TTY)
	copies  sync.WaitGroup
	restore func() // gives the caller's terminal its mode back
	winch   chan os.Signal
	once    sync.Once
}

// attachForeground sets p's streams up for fio.
func attachForeground(p *libcontainer.Process, fio ForegroundIO) (*foregroundStreams, error) {
	fs := &foregroundStreams{fio: fio, outputs: map[*os.File]io.Writer{}, restore: func() {}}
	if fio.Tty {
		parent, child, err := utils.NewSockPair("console")
		if err != nil {
			return nil, err
		}
		fs.console, fs.child = parent, []*os.File{child}
		p.ConsoleSocket = child
		p.ConsoleWidth, p.ConsoleHeight = fs.terminalSize()
		return fs, nil
	}
	if fio.Stdin != nil {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		p.Stdin, fs.stdin, fs.child = r, w, append(fs.child, r)
	}
	for _, out := range []struct {
		w   io.Writer
		dst *io.Writer
	}{{fio.Stdout, &p.Stdout}, {fio.Stderr, &p.Stderr}} {
		if out.w == nil {
			continue // os/exec gives the process /dev/null
		}
		r, w, err := os.Pipe()
		if err != nil {
			fs.close()
			return nil, err
		}
		*out.dst, fs.outputs[r], fs.child = w, out.w, append(fs.child, w)
	}
	return fs, nil
}

// terminalSize is the caller's terminal's size, else 80x24.
func (fs *foregroundStreams) terminalSize() (width, height uint16) {
	if fs.fio.Terminal != nil {
		if w, h, err := term.GetSize(int(fs.fio.Terminal.Fd())); err == nil && w > 0 && h > 0 {
			return uint16(w), uint16(h)
		}
	}
	return 80, 24
}

// started closes the process's ends and starts copying; with a TTY it
// receives the master first.
func (fs *foregroundStreams) started() error {
	for _, f := range fs.child {
		f.Close()
	}
	fs.child = nil
	if fs.console != nil {
		master, err := recvFile(fs.console)
		fs.console.Close()
		fs.console = nil
		if err != nil {
			return err
		}
		fs.master = master
		fs.startTerminal()
		return nil
	}
	for r, w := range fs.outputs {
		fs.copies.Add(1)
		go func() {
			defer fs.copies.Done()
			pumpOutput(w, r)
		}()
	}
	if fs.stdin != nil {
		go pumpInput(fs.stdin, fs.fio.Stdin)
	}
	return nil
}

// startTerminal copies between the master and fio, puts the caller's
// terminal in raw mode while keys are forwarded, and follows its size.
func (fs *foregroundStreams) startTerminal() {
	if fs.fio.Stdout != nil {
		fs.copies.Add(1)
		go func() {
			defer fs.copies.Done()
			pumpOutput(fs.fio.Stdout, fs.master)
		}()
	}
	if fs.fio.Stdin != nil {
		if t := fs.fio.Terminal; t != nil {
			if state, err := term.MakeRaw(int(t.Fd())); err == nil {
				fs.restore = func() { _ = term.Restore(int(t.Fd()), state) }
			}
		}
		go func() { _, _ = io.Copy(fs.master, fs.fio.Stdin) }()
	}
	if fs.fio.Terminal != nil {
		fs.winch = make(chan os.Signal, 1)
		signal.Notify(fs.winch, unix.SIGWINCH)
		go func() {
			for range fs.winch {
				fs.resize()
			}
		}()
	}
}

// resize gives the container's terminal the caller's size.
func (fs *foregroundStreams) resize() {
	w, h := fs.terminalSize()
	rc, err := fs.master.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Col: w, Row: h})
	})
}

// drain waits until the output has been copied (the container's
// processes are gone, so its ends are closed), at most d: something
// outside the container may hold them.
func (fs *foregroundStreams) drain(d time.Duration) {
	done := make(chan struct{})
	go func() { fs.copies.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// close releases every descriptor and gives the terminal its mode back.
func (fs *foregroundStreams) close() {
	fs.once.Do(func() {
		fs.restore()
		if fs.winch != nil {
			signal.Stop(fs.winch)
			close(fs.winch)
		}
		for _, f := range fs.child {
			f.Close()
		}
		for r := range fs.outputs {
			r.Close()
		}
		for _, f := range []*os.File{fs.console, fs.master, fs.stdin} {
			if f != nil {
				f.Close()
			}
		}
	})
}

// pumpOutput copies r to w until r ends. When w fails (a closed pipe
// downstream), r is closed, so that the container's writes fail as they
// would in a shell pipeline instead of blocking.
func pumpOutput(w io.Writer, r *os.File) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				r.Close()
				return
			}
		}
		if err != nil {
			return // EOF, or EIO from a master whose terminal has closed
		}
	}
}

// pumpInput copies src to the process's stdin and closes it at the end
// of src, so that the process reads EOF.
func pumpInput(w *os.File, src io.Reader) {
	_, _ = io.Copy(w, src)
	w.Close()
}
