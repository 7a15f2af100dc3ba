//go:build cgo

package runtime

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// healthArgs turns Docker's forms into exec form: ["CMD", args...] →
// args, ["CMD-SHELL", cmd] → /bin/sh -c cmd; anything else is exec form.
func healthArgs(cmd []string) []string {
	switch {
	case len(cmd) > 1 && cmd[0] == "CMD":
		return cmd[1:]
	case len(cmd) == 2 && cmd[0] == "CMD-SHELL":
		return []string{"/bin/sh", "-c", cmd[1]}
	}
	return cmd
}

// startHealth starts checking r every h.Interval until r ends or
// stopHealth is called. Called with s.mu held.
func (r *run) startHealth(s *supervisor, h Health) {
	ctx, cancel := context.WithCancel(r.ctx)
	r.healthMu.Lock()
	r.healthCancel = cancel
	r.healthMu.Unlock()
	go func() {
		t := time.NewTicker(h.Interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			res := r.check(h)
			if ctx.Err() != nil {
				return
			}
			s.recordHealth(r, h, res)
		}
	}()
}

func (r *run) stopHealth() {
	r.healthMu.Lock()
	defer r.healthMu.Unlock()
	if r.healthCancel != nil {
		r.healthCancel()
		r.healthCancel = nil
	}
}

// check runs the health command once in the container. res is named so
// that the deferred stamp of its end reaches the caller.
func (r *run) check(h Health) (res HealthResult) {
	res = HealthResult{Start: time.Now().UTC(), ExitCode: -1}
	defer func() { res.End = time.Now().UTC() }()
	pr, pw, err := os.Pipe()
	if err != nil {
		res.Output = err.Error()
		return res
	}
	defer pr.Close()
	p := r.process(healthArgs(h.Command), false)
	p.Stdout, p.Stderr = pw, pw
	err = r.runProcess(p)
	pw.Close()
	if err != nil {
		res.Output = fmt.Sprintf("run health check: %v", err)
		return res
	}
	out := &limitedBuffer{max: maxHealthOutput}
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(out, pr); close(copied) }()
	var timedOut atomic.Bool
	timer := time.AfterFunc(h.Timeout, func() { timedOut.Store(true); _ = p.Signal(unix.SIGKILL) })
	ps, err := p.Wait()
	timer.Stop()
	select {
	case <-copied:
	case <-time.After(100 * time.Millisecond): // a child of the check keeps the pipe
	}
	res.Output = out.String()
	if timedOut.Load() {
		res.Output = fmt.Sprintf("health check exceeded timeout (%s)", h.Timeout)
		return res
	}
	res.ExitCode = exitStatus(ps, err)
	return res
}

// recordHealth applies Docker's rules: a success makes the container
// healthy; failures count towards Retries except during StartPeriod
// before the first success.
func (s *supervisor) recordHealth(r *run, h Health, res HealthResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != r {
		return
	}
	s.st.HealthLog = append(s.st.HealthLog, res)
	if n := len(s.st.HealthLog); n > maxHealthLog {
		s.st.HealthLog = append([]HealthResult(nil), s.st.HealthLog[n-maxHealthLog:]...)
	}
	switch {
	case res.ExitCode == 0:
		r.healthyOnce = true
		s.st.Health, s.st.FailingStreak = HealthHealthy, 0
	case !r.healthyOnce && res.Start.Sub(r.started) < h.StartPeriod:
		// grace period: not counted
	default:
		s.st.FailingStreak++
		if s.st.FailingStreak >= h.Retries {
			s.st.Health = HealthUnhealthy
		}
	}
	s.saveLocked()
}
