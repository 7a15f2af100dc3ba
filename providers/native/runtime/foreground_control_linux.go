//go:build cgo

package runtime

import (
	"net"
	"sync"
	"time"
)

// foregroundControl answers the control socket of a foreground container
// as a supervisor would, so that Stop, Kill and Remove with force work on
// it: stop (the reply comes once the container has finished and been
// cleaned up) and kill. A foreground container takes no reload: Update
// applies on its next start.
type foregroundControl struct {
	f     *foreground
	ln    *net.UnixListener
	conns sync.WaitGroup
}

// listenForeground opens the control socket; nil when it cannot (the
// container then runs without one, as a supervisor's would not start).
func listenForeground(f *foreground) *foregroundControl {
	ln, err := listenControl(f.dir)
	if err != nil {
		return nil
	}
	c := &foregroundControl{f: f, ln: ln}
	go c.serve()
	return c
}

func (c *foregroundControl) serve() { serveControl(c.ln, &c.conns, c.dispatch, nil) }

func (c *foregroundControl) dispatch(req controlRequest) controlReply {
	f := c.f
	switch req.Op {
	case opStop:
		c.markStopped()
		select {
		case f.stops <- req.Timeout:
		case <-f.done:
		}
		<-f.done
		return controlReply{}
	case opKill:
		select {
		case <-f.run.done:
			return controlReply{NotRunning: true}
		default:
		}
		if err := f.run.signal(req.Signal); err != nil {
			return controlReply{Error: err.Error()}
		}
		return controlReply{}
	}
	return controlReply{Error: "a container run in the foreground (berth run) takes only stop and kill requests, not " + req.Op}
}

// markStopped notes, for the final record, that the container was
// stopped rather than exiting by itself.
func (c *foregroundControl) markStopped() {
	c.f.mu.Lock()
	c.f.st.Stopped = true
	c.f.mu.Unlock()
}

// close stops accepting and waits briefly for replies in flight.
func (c *foregroundControl) close() {
	c.ln.Close()
	waitGroupTimeout(&c.conns, 2*time.Second)
}
