package views

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/berthhq/berth/providers/native/image"
)

// PullProgress renders the progress of image pulls. On a terminal (Live)
// it keeps one line per layer and redraws them in place, with a bar for
// the bytes read, as docker pull does; otherwise it prints a plain line
// per step: "3f4d90098f5b: done (1.1 MiB)". It is safe for concurrent
// use.
type PullProgress struct {
	w      io.Writer
	live   bool
	width  int
	colors Colors

	mu     sync.Mutex
	layers []*layerLine // in order of first appearance
	byName map[string]*layerLine
	drawn  int // lines drawn by the last redraw
	last   time.Time
}

type layerLine struct {
	name           string // short digest
	current, total int64
	status         string // "", "exists", "done", a retry message
}

// redrawEvery throttles live redraws; layer completions always redraw.
const redrawEvery = 100 * time.Millisecond

// NewPullProgress returns a view writing to w; live redraws in place and
// needs a terminal of the given width (0: 80 columns).
func NewPullProgress(w io.Writer, live bool, width int, colors Colors) *PullProgress {
	if width <= 0 {
		width = 80
	}
	return &PullProgress{w: w, live: live, width: width, colors: colors, byName: map[string]*layerLine{}}
}

// Event takes one progress report of a pull.
func (p *PullProgress) Event(ev image.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ev.Layer == "" {
		p.imageEvent(ev)
		return
	}
	l := p.byName[ev.Layer]
	if l == nil {
		l = &layerLine{name: ShortDigest(ev.Layer)}
		p.byName[ev.Layer] = l
		p.layers = append(p.layers, l)
	}
	l.current, l.total = max(l.current, ev.Current), max(l.total, ev.Total)
	switch {
	case ev.Done && ev.Message == "exists":
		l.status = "exists"
	case ev.Done:
		l.status = "done"
	case strings.HasPrefix(ev.Message, "retrying"):
		l.status = ev.Message
	}
	if !p.live {
		p.plainLine(l, ev)
		return
	}
	if ev.Done || time.Since(p.last) >= redrawEvery {
		p.redraw()
	}
}

// imageEvent prints the image-level steps worth a line.
func (p *PullProgress) imageEvent(ev image.Progress) {
	msg := ""
	switch ev.Message {
	case "resolving":
		msg = "resolving"
	case "exists":
		msg = "already in the store"
	case "up to date":
		msg = "up to date"
	default:
		return // "pulled …": the caller prints the image ID
	}
	p.clear()
	fmt.Fprintf(p.w, "%s: %s\n", ev.Ref, msg)
}

func (p *PullProgress) plainLine(l *layerLine, ev image.Progress) {
	switch {
	case l.status == "exists" && ev.Done:
		fmt.Fprintf(p.w, "%s: already exists\n", l.name)
	case ev.Done:
		fmt.Fprintf(p.w, "%s: done (%s)\n", l.name, HumanBytes(max(l.total, l.current)))
	case strings.HasPrefix(ev.Message, "retrying"):
		fmt.Fprintf(p.w, "%s: %s\n", l.name, ev.Message)
	}
}

// redraw moves up over the previous drawing and draws every layer.
func (p *PullProgress) redraw() {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, l := range p.layers {
		b.WriteString("\x1b[2K")
		b.WriteString(p.liveLine(l))
		b.WriteByte('\n')
	}
	io.WriteString(p.w, b.String())
	p.drawn, p.last = len(p.layers), time.Now()
}

// clear forgets the drawing, so that a line printed now stays above the
// next one.
func (p *PullProgress) clear() {
	if p.live && len(p.layers) > 0 {
		p.redraw()
	}
	p.layers, p.byName, p.drawn = nil, map[string]*layerLine{}, 0
}

func (p *PullProgress) liveLine(l *layerLine) string {
	switch {
	case l.status == "exists":
		return l.name + ": " + p.colors.Dim("already exists")
	case l.status == "done":
		return l.name + ": " + p.colors.Green("done") + " (" + HumanBytes(max(l.total, l.current)) + ")"
	case strings.HasPrefix(l.status, "retrying"):
		return truncate(l.name+": "+l.status, p.width-1)
	case l.total <= 0 && l.current == 0:
		return l.name + ": waiting"
	case l.total <= 0:
		return l.name + ": downloading " + HumanBytes(l.current)
	}
	counts := fmt.Sprintf(" %s/%s", HumanBytes(l.current), HumanBytes(l.total))
	barWidth := min(50, p.width-len(l.name)-len(counts)-len(": downloading []")-1)
	if barWidth < 10 {
		return l.name + ": downloading" + counts
	}
	return l.name + ": downloading [" + bar(l.current, l.total, barWidth) + "]" + counts
}

// bar is a progress bar of width cells: "=====>     ".
func bar(current, total int64, width int) string {
	filled := int(float64(width) * float64(min(current, total)) / float64(total))
	if filled >= width {
		return strings.Repeat("=", width)
	}
	return strings.Repeat("=", filled) + ">" + strings.Repeat(" ", width-filled-1)
}

// Finish ends the drawing; later output starts below it.
func (p *PullProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

func truncate(s string, n int) string {
	if n > 0 && len(s) > n {
		return s[:n]
	}
	return s
}

// ShortDigest is the first 12 hex digits of a "sha256:…" digest.
func ShortDigest(d string) string {
	hex := d
	if i := strings.IndexByte(d, ':'); i >= 0 {
		hex = d[i+1:]
	}
	if len(hex) > 12 {
		return hex[:12]
	}
	return hex
}

// HumanBytes renders a byte count in binary units: "512 B", "1.1 MiB".
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
