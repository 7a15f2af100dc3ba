package views

import (
	"fmt"
	"github.com/zclconf/go-cty/cty"
	"io"
	"sync"
	"time"

	"github.com/berthhq/berth/executor"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas/addrs"
)

// Progress prints apply progress as Terraform does, one plain line per
// event: "container.web: Creating...", "Still creating... [10s elapsed]"
// while a step runs, and "Creation complete after 2s [id=...]". It
// implements executor.Hooks and is safe for concurrent use.
type Progress struct {
	w      io.Writer
	colors Colors
	// Interval is how often a running step reports that it still runs.
	Interval time.Duration

	mu      sync.Mutex
	running map[string]chan struct{}
}

var _ executor.Hooks = (*Progress)(nil)

// NewProgress returns a progress view writing to w.
func NewProgress(w io.Writer, colors Colors) *Progress {
	return &Progress{w: w, colors: colors, Interval: 10 * time.Second, running: map[string]chan struct{}{}}
}

// verbs are the words of progress lines for one action.
type verbs struct{ ing, still, done, noun string }

func verbsOf(a planner.Action) verbs {
	switch a {
	case planner.Create:
		return verbs{"Creating", "creating", "Creation", "created"}
	case planner.Update:
		return verbs{"Modifying", "modifying", "Modifications", "modified"}
	case planner.Delete:
		return verbs{"Destroying", "destroying", "Destruction", "destroyed"}
	case planner.DeleteThenCreate, planner.CreateThenDelete:
		return verbs{"Replacing", "replacing", "Replacement", "replaced"}
	}
	return verbs{"Reading", "reading", "Read", "read"}
}

func (p *Progress) println(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, s)
}

// PreApply reports the start of a change and starts its "Still ..." ticker.
func (p *Progress) PreApply(addr addrs.Instance, action planner.Action) {
	v := verbsOf(action)
	p.println(p.colors.Bold(addr.String()+":") + " " + v.ing + "...")
	done := make(chan struct{})
	p.mu.Lock()
	if old, ok := p.running[addr.String()]; ok {
		close(old)
	}
	p.running[addr.String()] = done
	p.mu.Unlock()
	go p.tick(addr, v, done)
}

func (p *Progress) tick(addr addrs.Instance, v verbs, done chan struct{}) {
	start := time.Now()
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			elapsed := time.Since(start).Round(time.Second)
			p.mu.Lock()
			select {
			case <-done: // finished meanwhile: PostApply closes done under mu
				p.mu.Unlock()
				return
			default:
			}
			fmt.Fprintf(p.w, "%s Still %s... [%s elapsed]\n", p.colors.Bold(addr.String()+":"), v.still, elapsed)
			p.mu.Unlock()
		}
	}
}

// Progress passes on a provider's progress message.
func (p *Progress) Progress(addr addrs.Instance, msg string) {
	p.println(p.colors.Bold(addr.String()+":") + " " + msg)
}

// PostApply reports the end of a change and stops its ticker.
func (p *Progress) PostApply(addr addrs.Instance, action planner.Action, elapsed time.Duration, newValue cty.Value, err error) {
	p.mu.Lock()
	if done, ok := p.running[addr.String()]; ok {
		close(done)
		delete(p.running, addr.String())
	}
	p.mu.Unlock()
	v := verbsOf(action)
	took := elapsed.Round(time.Second)
	if err != nil {
		p.println(fmt.Sprintf("%s %s failed after %s", p.colors.Bold(addr.String()+":"), v.done, took))
		return
	}
	id := ""
	if action != planner.Delete {
		if s := idOf(newValue); s != "" {
			id = " [id=" + s + "]"
		}
	}
	p.println(fmt.Sprintf("%s %s complete after %s%s", p.colors.Bold(addr.String()+":"), v.done, took, id))
}

// Stop ends every ticker still running (after an abandoned apply).
func (p *Progress) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, done := range p.running {
		close(done)
		delete(p.running, k)
	}
}

// idOf reads the "id" attribute of an object value, or "".
func idOf(v cty.Value) string {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute("id") {
		return ""
	}
	id := v.GetAttr("id")
	if id.IsNull() || !id.IsKnown() || id.Type() != cty.String {
		return ""
	}
	return id.AsString()
}
