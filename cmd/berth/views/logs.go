package views

import (
	"io"
	"strings"
	"sync"
	"time"
)

// LogLine is one log entry to print.
type LogLine struct {
	Source int // index of the container in LogPrinter's labels
	Stream string
	Time   time.Time
	Text   string // with its newline, unless the line was cut
}

// LogPrinter writes log lines, stdout entries to Stdout and stderr
// entries to Stderr, each after its container's label ("web#1 | ") when
// there are several, and its time with Timestamps. It is safe for
// concurrent use.
type LogPrinter struct {
	Stdout, Stderr io.Writer
	Timestamps     bool
	Colors         Colors

	mu       sync.Mutex
	prefixes []string
}

// NewLogPrinter prints lines of the containers labelled labels; with one
// label, no prefix.
func NewLogPrinter(stdout, stderr io.Writer, labels []string, timestamps bool, c Colors) *LogPrinter {
	p := &LogPrinter{Stdout: stdout, Stderr: stderr, Timestamps: timestamps, Colors: c}
	if len(labels) < 2 {
		return p
	}
	width := 0
	for _, l := range labels {
		width = max(width, len(l))
	}
	palette := []func(string) string{c.Cyan, c.Yellow, c.Green, c.Bold}
	for i, l := range labels {
		p.prefixes = append(p.prefixes, palette[i%len(palette)](l+spaces(width-len(l))+" | "))
	}
	return p
}

// Print writes one line.
func (p *LogPrinter) Print(l LogLine) error {
	var b strings.Builder
	if l.Source < len(p.prefixes) {
		b.WriteString(p.prefixes[l.Source])
	}
	if p.Timestamps {
		b.WriteString(l.Time.UTC().Format("2006-01-02T15:04:05.000000000Z07:00"))
		b.WriteByte(' ')
	}
	b.WriteString(l.Text)
	w := p.Stdout
	if l.Stream == "stderr" {
		w = p.Stderr
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := io.WriteString(w, b.String())
	return err
}
