//go:build cgo

package runtime

import (
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Restart back-off: 100 ms, doubling up to 10 s; back to 100 ms after a
// run that lasted 10 s.
const (
	minBackoff   = 100 * time.Millisecond
	maxBackoff   = 10 * time.Second
	backoffReset = 10 * time.Second
	// reportFd is the pipe on which a new supervisor tells its starter
	// whether the first start worked (see report).
	reportFd = 3
)

// supervisor owns one container: it starts it, copies its output to the
// log files, applies the restart policy, runs health checks, records
// everything in status.json and obeys the control socket. It lives as
// long as the container runs or waits to be restarted, then exits.
type supervisor struct {
	dir    string
	lock   *os.File // keeps the supervisor lock; never closed before exit
	ln     *net.UnixListener
	logs   *logWriter
	stops  chan time.Duration // stop requests with their grace period
	sigs   chan os.Signal
	doneCh chan struct{} // closed when the supervisor has finished
	conns  sync.WaitGroup
	logger *log.Logger

	mu   sync.Mutex // guards what follows
	spec Spec
	st   Status
	cur  *run // the run in progress; nil between runs
	// shutdown: SIGTERM to the supervisor (host shutdown) stopped the
	// container; unlike Stop it does not count as stopped by the user.
	shutdown bool
}

// report is what a supervisor writes on reportFd.
type report struct {
	Pid   int    `json:"pid,omitempty"`
	Error string `json:"error,omitempty"`
}

// supervise is the supervisor process's main; it returns the exit code.
func supervise(root, id string) int {
	// The supervisor's heap is tiny; keep it so.
	debug.SetGCPercent(50)
	debug.SetMemoryLimit(16 << 20)
	logger := log.New(os.Stderr, "berth-supervisor "+id+": ", log.LstdFlags|log.Lmicroseconds)
	rep := os.NewFile(reportFd, "report")
	s, err := newSupervisor(filepath.Join(root, id), logger)
	if err != nil {
		logger.Print(err)
		sendReport(rep, report{Error: err.Error()})
		return 1
	}
	go reapStrays(s.isInit, s.doneCh)
	code := s.loop(rep)
	s.autoRemove()
	return code
}

// isInit reports whether pid is the container's init, which the
// supervisor waits for itself.
func (s *supervisor) isInit(pid int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil && s.cur.pid == pid
}

func newSupervisor(dir string, logger *log.Logger) (*supervisor, error) {
	lock, err := lockSupervisor(dir)
	if err != nil {
		return nil, err
	}
	spec, err := readSpec(dir)
	if err != nil {
		return nil, err
	}
	st, err := readStatus(dir)
	if err != nil {
		st = &Status{ID: spec.ID, Name: spec.Name, Labels: spec.Labels, CreatedAt: time.Now().UTC()}
	}
	st.Restarts, st.Stopped, st.Error, st.SupervisorPid = 0, false, "", os.Getpid()
	st.Spec = spec
	s := &supervisor{
		dir: dir, lock: lock, spec: spec, st: *st, logger: logger,
		stops: make(chan time.Duration, 8), sigs: make(chan os.Signal, 4), doneCh: make(chan struct{}),
	}
	if s.logs, err = openLogWriter(dir); err != nil {
		return nil, err
	}
	if s.ln, err = listenControl(dir); err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	signal.Notify(s.sigs, unix.SIGTERM, unix.SIGINT)
	go s.serve()
	return s, nil
}

// loop runs the container until it is stopped or the policy says no more.
func (s *supervisor) loop(rep *os.File) int {
	delay := minBackoff
	for first := true; ; first = false {
		r, err := s.start()
		if first {
			sendReport(rep, report{Pid: r.pidOrZero(), Error: errString(err)})
			if err != nil {
				s.finish()
				return 1
			}
		}
		if err == nil && s.wait(r) >= backoffReset {
			delay = minBackoff
		}
		if !s.restartWanted() || !s.backoff(delay) {
			s.finish()
			return 0
		}
		delay = min(2*delay, maxBackoff)
	}
}

// start starts one run and records it.
func (s *supervisor) start() (*run, error) {
	s.mu.Lock()
	spec := s.spec
	s.mu.Unlock()
	r, err := startRun(s.dir, spec, s.logs)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.logger.Printf("start: %v", err)
		s.st.State, s.st.Pid, s.st.ExitCode, s.st.Error = StateExited, 0, 127, err.Error()
		s.st.FinishedAt = time.Now().UTC() // saved by backoff or finish
		return nil, err
	}
	s.cur = r
	s.st.State, s.st.Pid, s.st.StartedAt, s.st.Error = StateRunning, r.pid, r.started.UTC(), ""
	s.st.Health, s.st.FailingStreak = HealthNone, 0
	if spec.Health != nil {
		s.st.Health = HealthStarting
		r.startHealth(s, *spec.Health)
	}
	s.saveLocked()
	// Building the config (the seccomp profile above all) made garbage
	// that would otherwise stay mapped for minutes.
	go debug.FreeOSMemory()
	return r, nil
}

// wait waits for r to end, serving stop requests and signals meanwhile,
// and returns how long it ran.
func (s *supervisor) wait(r *run) time.Duration {
	k := &stopper{r: r, sig: s.stopSignal(), kill: make(chan struct{}, 1)}
	defer k.cancel()
	for {
		select {
		case <-r.done:
			s.exited(r)
			return r.finished.Sub(r.started)
		case grace := <-s.stops:
			s.markStopped()
			k.stop(grace)
		case <-s.sigs:
			s.markShutdown()
			k.stop(s.stopTimeout())
		case <-k.kill:
			_ = r.signal(unix.SIGKILL)
		}
	}
}

// stopper ends a run: the stop signal, then SIGKILL at the earliest
// deadline asked for (at once for a zero grace period).
type stopper struct {
	r     *run
	sig   syscall.Signal
	timer *time.Timer
	at    time.Time
	kill  chan struct{}
}

func (k *stopper) stop(grace time.Duration) {
	// No more health checks into a container on its way out (as Docker):
	// they would only fail, and race its exit.
	k.r.stopHealth()
	if grace <= 0 {
		_ = k.r.signal(unix.SIGKILL)
		return
	}
	at := time.Now().Add(grace)
	if k.timer == nil {
		_ = k.r.signal(k.sig)
	} else if at.Before(k.at) {
		k.timer.Stop()
	} else {
		return
	}
	k.at, k.timer = at, time.AfterFunc(grace, func() { k.kill <- struct{}{} })
}

func (k *stopper) cancel() {
	if k.timer != nil {
		k.timer.Stop()
	}
}

// exited records the end of r and releases its container. The record is
// saved by what follows, backoff or finish, so that status.json never
// shows an exited container whose supervisor is still about.
func (s *supervisor) exited(r *run) {
	if err := r.destroy(); err != nil {
		s.logger.Printf("clean up after exit: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = nil
	s.st.State, s.st.Pid, s.st.ExitCode = StateExited, 0, r.exitCode
	s.st.FinishedAt, s.st.Health, s.st.FailingStreak = r.finished.UTC(), HealthNone, 0
}

func (s *supervisor) restartWanted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Stopped || s.shutdown {
		return false
	}
	switch s.spec.Restart {
	case RestartAlways, RestartUnlessStopped:
		return true
	case RestartOnFailure:
		return s.st.ExitCode != 0
	}
	return false
}

// backoff waits delay in state restarting; false when stopped meanwhile.
func (s *supervisor) backoff(delay time.Duration) bool {
	s.setState(StateRestarting)
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		s.mu.Lock()
		s.st.Restarts++
		s.mu.Unlock()
		return true
	case <-s.stops:
		s.markStopped()
	case <-s.sigs:
		s.markShutdown()
	}
	return false
}

// autoRemove removes the finished container when its spec asks for it
// (Spec.AutoRemove): its libcontainer state and cgroups went with its
// last run; the rootfs mount and the directory go now. The lock file is
// unlinked while still held, so the container is gone before the
// supervisor is.
func (s *supervisor) autoRemove() {
	s.mu.Lock()
	remove := s.spec.AutoRemove
	s.mu.Unlock()
	if !remove {
		return
	}
	if err := unmountAll(s.dir); err != nil {
		s.logger.Printf("auto-remove: %v", err)
		return
	}
	if err := os.RemoveAll(s.dir); err != nil {
		s.logger.Printf("auto-remove: %v", err)
	}
}

// finish writes the final status, answers pending stop requests and
// closes up; the process exits next.
func (s *supervisor) finish() {
	s.mu.Lock()
	if s.st.State == StateRestarting || s.st.State == StateRunning {
		s.st.State = StateExited
	}
	s.st.SupervisorPid, s.st.Pid = 0, 0
	s.saveLocked()
	s.mu.Unlock()
	close(s.doneCh)
	s.ln.Close()
	waitGroupTimeout(&s.conns, 2*time.Second)
	s.logs.Close()
}
