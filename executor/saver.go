package executor

import (
	"sync"

	"github.com/berthhq/berth/state"
)

// saver persists state in the background: every finished change marks the
// state dirty and the saver writes it as soon as the previous write is
// done, so changes never wait on the disk and each is on disk right after
// it finishes (several that finish during one write share the next).
type saver struct {
	persist func(*state.State) error
	st      *state.State
	stMu    *sync.Mutex

	mu      sync.Mutex
	cond    *sync.Cond
	pending bool
	closed  bool
	err     error
	done    chan struct{}
}

func newSaver(persist func(*state.State) error, st *state.State, stMu *sync.Mutex) *saver {
	s := &saver{persist: persist, st: st, stMu: stMu, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	go s.loop()
	return s
}

// dirty asks for a write.
func (s *saver) dirty() {
	s.mu.Lock()
	s.pending = true
	s.mu.Unlock()
	s.cond.Signal()
}

func (s *saver) loop() {
	defer close(s.done)
	for {
		s.mu.Lock()
		for !s.pending && !s.closed {
			s.cond.Wait()
		}
		if !s.pending && s.closed {
			s.mu.Unlock()
			return
		}
		s.pending = false
		s.mu.Unlock()
		s.write()
	}
}

func (s *saver) write() {
	if s.persist == nil {
		return
	}
	s.stMu.Lock()
	err := s.persist(s.st)
	s.stMu.Unlock()
	if err != nil {
		s.mu.Lock()
		if s.err == nil {
			s.err = err
		}
		s.mu.Unlock()
	}
}

// close waits for the last pending write and returns the first error.
func (s *saver) close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cond.Signal()
	<-s.done
	return s.err
}
