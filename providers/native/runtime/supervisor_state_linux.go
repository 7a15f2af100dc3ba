//go:build cgo

package runtime

import (
	"encoding/json"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func (s *supervisor) markStopped() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.Stopped {
		s.st.Stopped = true
		s.saveLocked()
	}
}

func (s *supervisor) markShutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdown = true
}

func (s *supervisor) setState(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.State = state
	s.saveLocked()
}

func (s *supervisor) stopSignal() syscall.Signal {
	s.mu.Lock()
	defer s.mu.Unlock()
	sig, err := ParseSignal(s.spec.StopSignal)
	if err != nil {
		return unix.SIGTERM
	}
	return sig
}

func (s *supervisor) stopTimeout() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spec.StopTimeout
}

// saveLocked writes status.json; s.mu must be held.
func (s *supervisor) saveLocked() {
	s.st.Spec = s.spec
	if err := writeStatus(s.dir, &s.st); err != nil {
		s.logger.Printf("write status: %v", err)
	}
}

func sendReport(f *os.File, rep report) {
	if f == nil {
		return
	}
	_ = json.NewEncoder(f).Encode(rep)
	f.Close()
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func waitGroupTimeout(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}
