//go:build cgo

package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/opencontainers/runc/libcontainer"
	"github.com/opencontainers/runc/libcontainer/utils"
	"golang.org/x/sys/unix"
)

// outputs connects a main process's output to the log: a pipe each for
// stdout and stderr, or with a TTY the pseudo-terminal's master, which
// libcontainer hands over on a socket. With Spec.OpenStdin and no TTY
// the process's stdin is a pipe whose writing end stays here, open for
// the whole run, so that a shell waits for input instead of exiting.
type outputs struct {
	readers map[string]*os.File // stream name → our end
	child   []*os.File          // the process's ends, closed once it started
	console *os.File            // TTY: our end of the console socket
	stdin   *os.File            // OpenStdin without TTY: our end of its stdin
	tee     io.Writer           // TTY: also gets the terminal's output (attach)
}

func attachOutput(p *libcontainer.Process, s Spec) (*outputs, error) {
	o := &outputs{readers: map[string]*os.File{}}
	if s.Tty {
		parent, child, err := utils.NewSockPair("console")
		if err != nil {
			return nil, err
		}
		o.console, o.child = parent, []*os.File{child}
		p.ConsoleSocket = child
		p.ConsoleWidth, p.ConsoleHeight = 80, 24
		return o, nil
	}
	if s.OpenStdin {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		p.Stdin, o.stdin, o.child = r, w, append(o.child, r)
	}
	for _, stream := range []string{streamStdout, streamStderr} {
		r, w, err := os.Pipe()
		if err != nil {
			o.close()
			return nil, err
		}
		o.readers[stream], o.child = r, append(o.child, w)
		if stream == streamStdout {
			p.Stdout = w
		} else {
			p.Stderr = w
		}
	}
	return o, nil
}

// started closes the process's ends and, with a TTY, receives the master.
func (o *outputs) started() error {
	for _, f := range o.child {
		f.Close()
	}
	o.child = nil
	if o.console == nil {
		return nil
	}
	defer func() { o.console.Close(); o.console = nil }()
	master, err := recvFile(o.console)
	if err != nil {
		return fmt.Errorf("receive console: %w", err)
	}
	o.readers[streamStdout] = master
	return nil
}

// copyTo copies every stream to logs; the channel closes at EOF of all.
func (o *outputs) copyTo(logs *logWriter) <-chan struct{} {
	var wg sync.WaitGroup
	for stream, r := range o.readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var src io.Reader = r
			if o.tee != nil {
				src = io.TeeReader(r, o.tee)
			}
			err := logs.copyLines(stream, src)
			if err != nil && !errors.Is(err, unix.EIO) && !errors.Is(err, os.ErrClosed) {
				fmt.Fprintf(os.Stderr, "copy %s to log: %v\n", stream, err)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	return done
}

func (o *outputs) close() {
	for _, f := range o.child {
		f.Close()
	}
	for _, f := range o.readers {
		f.Close()
	}
	for _, f := range []*os.File{o.console, o.stdin} {
		if f != nil {
			f.Close()
		}
	}
}

// recvFile receives one file descriptor sent with SCM_RIGHTS.
func recvFile(sock *os.File) (*os.File, error) {
	name := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := unix.Recvmsg(int(sock.Fd()), name, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return nil, err
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		return nil, fmt.Errorf("no file descriptor received (%v)", err)
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return nil, fmt.Errorf("no file descriptor received (%v)", err)
	}
	return os.NewFile(uintptr(fds[0]), string(name[:n])), nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

var _ io.Writer = (*limitedBuffer)(nil)
