package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/berthhq/berth/providers/native/runtime"
	"golang.org/x/term"
)

// foregroundSignals catches the signals berth run handles itself: before
// the container runs they cancel the run (a pull stops cleanly); while
// it runs they are passed on to it, and the third SIGINT or SIGTERM
// kills it. SIGPIPE is caught too, so that a closed pipe downstream makes
// writes fail (and the container's output stop) rather than kill berth
// before it has cleaned up.
type foregroundSignals struct {
	caught chan os.Signal
	pipe   chan os.Signal
}

// forwardedSignals are the signals passed on to a foreground container.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

func newForegroundSignals(forward bool) *foregroundSignals {
	s := &foregroundSignals{caught: make(chan os.Signal, 8), pipe: make(chan os.Signal, 1)}
	if forward {
		signal.Notify(s.caught, forwardedSignals...)
	} else {
		signal.Notify(s.caught, syscall.SIGINT, syscall.SIGTERM)
	}
	signal.Notify(s.pipe, syscall.SIGPIPE)
	return s
}

// cancelOnSignal calls cancel on the first signal until the returned
// function is called.
func (s *foregroundSignals) cancelOnSignal(cancel func()) func() {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-s.caught:
			cancel()
		case <-done:
		}
	}()
	return func() { close(done); <-exited }
}

// forwarded passes the caught signals on, the third SIGINT or SIGTERM
// as SIGKILL.
func (s *foregroundSignals) forwarded() <-chan os.Signal {
	out := make(chan os.Signal, 8)
	go func() {
		stops := 0
		for sig := range s.caught {
			if sig == syscall.SIGINT || sig == syscall.SIGTERM {
				if stops++; stops >= 3 {
					sig = syscall.SIGKILL
				}
			}
			select {
			case out <- sig:
			default: // the container has finished
			}
		}
	}()
	return out
}

func (s *foregroundSignals) stop() {
	signal.Stop(s.caught)
	signal.Stop(s.pipe)
	close(s.caught)
}

// foregroundIO connects a foreground container (berth run) or process
// (berth exec) to berth's own streams: stdin with -i, a terminal with -t.
func (a *app) foregroundIO(interactive, tty bool, fg *foregroundSignals) runtime.ForegroundIO {
	fio := runtime.ForegroundIO{Stdout: a.stdout, Stderr: a.stderr, Tty: tty, Signals: fg.forwarded()}
	if interactive {
		fio.Stdin = a.stdin
	}
	if tty {
		// stdin first: its terminal is the one put in raw mode.
		for _, x := range []any{a.stdin, a.stdout} {
			if t, ok := x.(*os.File); ok && term.IsTerminal(int(t.Fd())) {
				fio.Terminal = t
				break
			}
		}
	}
	return fio
}
