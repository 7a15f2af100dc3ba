//go:build cgo

package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// serve accepts control connections until the listener is closed.
func (s *supervisor) serve() { serveControl(s.ln, &s.conns, s.dispatch, s.serveExec) }

// execServer runs an exec request on its connection (exec_supervised_linux.go).
type execServer func(req *execRequest, files []*os.File, dec *json.Decoder, conn net.Conn)

// serveControl answers control requests on ln, one JSON request and one
// JSON reply per connection, until ln is closed; conns counts the
// connections being answered. The supervisor and a foreground run share
// it, each with its own dispatch; exec requests go to exec, which may be
// nil (the caller then runs the process itself).
func serveControl(ln *net.UnixListener, conns *sync.WaitGroup, dispatch func(controlRequest) controlReply, exec execServer) {
	for {
		conn, err := ln.AcceptUnix()
		if err != nil {
			return
		}
		conns.Add(1)
		go func() {
			defer conns.Done()
			defer conn.Close()
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			// The first read takes the descriptors an exec request
			// carries; the request may go on past it.
			buf, oob := make([]byte, 16<<10), make([]byte, unix.CmsgSpace(4*4))
			n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
			if err != nil {
				return
			}
			files := receivedFiles(oob[:oobn])
			dec := json.NewDecoder(io.MultiReader(bytes.NewReader(buf[:n]), conn))
			var req controlRequest
			if err := dec.Decode(&req); err != nil {
				closeFiles(files)
				return
			}
			_ = conn.SetReadDeadline(time.Time{})
			if req.Op == opExec {
				if exec == nil || req.Exec == nil {
					closeFiles(files)
					_ = json.NewEncoder(conn).Encode(controlReply{Unsupported: true})
					return
				}
				exec(req.Exec, files, dec, conn)
				return
			}
			closeFiles(files)
			_ = json.NewEncoder(conn).Encode(dispatch(req))
		}()
	}
}

// receivedFiles are the descriptors passed in oob, if any.
func receivedFiles(oob []byte) []*os.File {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil
	}
	var files []*os.File
	for i := range msgs {
		fds, err := unix.ParseUnixRights(&msgs[i])
		if err != nil {
			continue
		}
		for _, fd := range fds {
			files = append(files, os.NewFile(uintptr(fd), "exec stream"))
		}
	}
	return files
}

func (s *supervisor) dispatch(req controlRequest) controlReply {
	switch req.Op {
	case opStop:
		// The reply waits until the supervisor has finished: the
		// container has exited, been cleaned up and recorded.
		select {
		case s.stops <- req.Timeout:
		case <-s.doneCh:
		}
		<-s.doneCh
		return controlReply{}
	case opKill:
		return s.kill(req.Signal)
	case opReload:
		if err := s.reload(); err != nil {
			return controlReply{Error: err.Error()}
		}
		return controlReply{}
	}
	return controlReply{Error: fmt.Sprintf("unknown request %q", req.Op)}
}

// kill signals the main process. As in Docker, SIGKILL or the stop
// signal also means "do not restart".
func (s *supervisor) kill(sig unix.Signal) controlReply {
	stopSig := s.stopSignal()
	s.mu.Lock()
	r := s.cur
	if r != nil && (sig == unix.SIGKILL || sig == stopSig) && !s.st.Stopped {
		s.st.Stopped = true
		s.saveLocked()
	}
	s.mu.Unlock()
	if r == nil {
		return controlReply{NotRunning: true}
	}
	if err := r.signal(sig); err != nil {
		return controlReply{Error: err.Error()}
	}
	return controlReply{}
}

// reload re-reads config.json and applies what may change on a live
// container: resources now, health checks from the next interval, the
// restart policy and stop settings when next needed.
func (s *supervisor) reload() error {
	spec, err := readSpec(s.dir)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.spec = spec
	r := s.cur
	if r != nil {
		r.stopHealth()
		if spec.Health != nil {
			if s.st.Health == HealthNone {
				s.st.Health = HealthStarting
			}
			r.startHealth(s, *spec.Health)
		} else {
			s.st.Health, s.st.FailingStreak = HealthNone, 0
		}
	}
	s.saveLocked()
	s.mu.Unlock()
	if r == nil {
		return nil
	}
	return r.setResources(spec.Resources)
}
