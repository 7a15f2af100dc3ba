package views

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// PushProgress renders a push as one line redrawn in place on a terminal
// ("Pushed 12.0 MiB of 200.0 MiB"); elsewhere it prints nothing until
// Finish. It is safe for concurrent use.
type PushProgress struct {
	w    io.Writer
	live bool

	mu    sync.Mutex
	drawn bool
	last  time.Time
}

// NewPushProgress returns a view writing to w; live redraws in place and
// needs a terminal.
func NewPushProgress(w io.Writer, live bool) *PushProgress {
	return &PushProgress{w: w, live: live}
}

// Update takes the bytes sent so far and the total.
func (p *PushProgress) Update(done, total int64) {
	if !p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.last) >= redrawEvery || (total > 0 && done >= total) {
		p.last = now
		fmt.Fprintf(p.w, "\r\x1b[KPushed %s of %s", HumanBytes(done), HumanBytes(total))
		p.drawn = true
	}
}

// Finish ends the line drawn, if any.
func (p *PushProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
