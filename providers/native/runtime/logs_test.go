package runtime

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLogWriterLinesAndRotation(t *testing.T) {
	dir := t.TempDir()
	w, err := openLogWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	w.now = func() time.Time { clock = clock.Add(time.Millisecond); return clock }
	w.maxSize = 400
	long := strings.Repeat("x", logMaxLine+10)
	input := "one\ntwo\n" + long + "\nno newline at end"
	if err := w.copyLines(streamStderr, strings.NewReader(input)); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := w.write(streamStdout, []byte{'a' + byte(i), '\n'}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	paths, err := logPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != logMaxFiles || filepath.Base(paths[0]) != "container.log.2" || filepath.Base(paths[2]) != "container.log" {
		t.Fatalf("log files %v", paths)
	}
	var entries []LogEntry
	for _, p := range paths {
		entries = append(entries, readEntries(t, p)...)
	}
	var last time.Time
	for _, e := range entries {
		if !e.Time.After(last) {
			t.Errorf("entries out of order at %+v", e)
		}
		last = e.Time
	}
	if got := entries[len(entries)-1]; got.Log != "t\n" || got.Stream != streamStdout {
		t.Errorf("last entry %+v", got)
	}
	// The oldest file went; what is left is a suffix of what was written.
	if n := len(entries); n >= 24 || n < 5 {
		t.Errorf("%d entries kept", n)
	}
}

func TestLogWriterSplitsLongLines(t *testing.T) {
	dir := t.TempDir()
	w, err := openLogWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("y", logMaxLine+10)
	if err := w.copyLines(streamStdout, strings.NewReader("a\n"+long+"\nend")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	entries := readEntries(t, logFile(dir, 0))
	var got []string
	for _, e := range entries {
		got = append(got, e.Log)
	}
	want := []string{"a\n", long[:logMaxLine], long[logMaxLine:] + "\n", "end"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("entries %d, want %d; first lengths %d", len(got), len(want), len(got[1]))
	}
}

func readEntries(t *testing.T, path string) []LogEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []LogEntry
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			var e LogEntry
			if err := json.Unmarshal(line, &e); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, e)
		}
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
