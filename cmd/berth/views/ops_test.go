package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/providers/native/runtime"
)

func TestPsStatus(t *testing.T) {
	now := time.Date(2025, 1, 2, 12, 0, 0, 0, time.UTC)
	one, zero := 1, 0
	for _, tc := range []struct {
		name string
		row  PsRow
		want string
	}{
		{"running", PsRow{State: "running", StartedAt: now.Add(-5 * time.Minute)}, "Up 5 minutes"},
		{"exited", PsRow{State: "exited", ExitCode: &one, FinishedAt: now.Add(-2 * time.Minute)}, "Exited (1) 2 minutes ago"},
		{"never started", PsRow{State: "exited"}, "Created"},
		{"restarting", PsRow{State: "restarting", ExitCode: &zero, FinishedAt: now.Add(-3 * time.Second)}, "Restarting (0) 3 seconds ago"},
		{"missing", PsRow{State: PsMissing}, "Missing (removed outside berth)"},
		{"dead", PsRow{State: "dead"}, "Dead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PsStatus(tc.row, now); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTableIgnoresColours(t *testing.T) {
	var plainOut, colourOut bytes.Buffer
	rows := []PsRow{{Address: "container.a", Name: "a", State: "running", ID: "0123456789abcdef"}, {Address: "container.bbbbbb", State: PsMissing}}
	now := time.Now()
	if err := PsTable(&plainOut, rows, now, Colors{}); err != nil {
		t.Fatal(err)
	}
	if err := PsTable(&colourOut, rows, now, Colors{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	stripped := strings.NewReplacer("\x1b[32m", "", "\x1b[31m", "", "\x1b[0m", "").Replace(colourOut.String())
	if stripped != plainOut.String() || stripped == colourOut.String() {
		t.Errorf("coloured table differs once uncoloured:\n%s\n%s", plainOut.String(), stripped)
	}
	if !strings.Contains(plainOut.String(), "container.a        a      Up ") {
		t.Errorf("columns:\n%s", plainOut.String())
	}
}

func TestStatsFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{binaryBytes(0), "0B"}, {binaryBytes(1536), "1.5KiB"}, {binaryBytes(64 << 20), "64MiB"},
		{decimalBytes(999), "999B"}, {decimalBytes(1234), "1.234kB"}, {decimalBytes(5e9), "5GB"},
		{topTime(59 * time.Second), "0:59"}, {topTime(2*time.Hour + 3*time.Minute + 4*time.Second), "2:03:04"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	t0 := time.Now()
	prev := &runtime.Stats{Time: t0, CPU: 0}
	cur := &runtime.Stats{Time: t0.Add(time.Second), CPU: uint64(500 * time.Millisecond)}
	if got := CPUPercent(prev, cur); got != 50 {
		t.Errorf("cpu %v%%", got)
	}
}

func TestLogPrinterPrefixesAndStreams(t *testing.T) {
	var out, errOut bytes.Buffer
	p := NewLogPrinter(&out, &errOut, []string{"web#0", "web#10"}, true, Colors{})
	at := time.Date(2025, 1, 2, 3, 4, 5, 60, time.UTC)
	_ = p.Print(LogLine{Source: 0, Stream: "stdout", Time: at, Text: "a\n"})
	_ = p.Print(LogLine{Source: 1, Stream: "stderr", Time: at, Text: "b\n"})
	if out.String() != "web#0  | 2025-01-02T03:04:05.000000060Z a\n" || errOut.String() != "web#10 | 2025-01-02T03:04:05.000000060Z b\n" {
		t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
	}
	out.Reset()
	single := NewLogPrinter(&out, &errOut, []string{"container.web"}, false, Colors{})
	_ = single.Print(LogLine{Stream: "stdout", Text: "x\n"})
	if out.String() != "x\n" {
		t.Errorf("single container %q", out.String())
	}
}
