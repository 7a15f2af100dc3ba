package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// logRig is a container directory with a log writer that rotates every
// few entries, and a reader on it.
func logRig(t *testing.T, maxSize int64) (*Runtime, string, *logWriter) {
	t.Helper()
	root := t.TempDir()
	id := "c1"
	dir := filepath.Join(root, id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	w, err := openLogWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	w.maxSize = maxSize
	t.Cleanup(func() { w.Close() })
	return &Runtime{root: root}, id, w
}

func writeNumbered(t *testing.T, w *logWriter, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		if err := w.write(streamStdout, []byte(strconv.Itoa(i)+"\n")); err != nil {
			t.Fatal(err)
		}
	}
}

func numbers(entries []LogEntry) string {
	s := ""
	for _, e := range entries {
		s += e.Log[:len(e.Log)-1] + " "
	}
	return s
}

func TestLogReaderReadAllAcrossRotations(t *testing.T) {
	rt, id, w := logRig(t, 200) // about 4 entries a file
	writeNumbered(t, w, 1, 10)
	l, err := rt.OpenLogs(id)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	entries, err := l.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Three files are kept: the oldest entries went, the rest is in order.
	got := numbers(entries)
	if len(entries) < 6 || got[len(got)-3:] != "10 " {
		t.Fatalf("entries %q", got)
	}
	for i := 1; i < len(entries); i++ {
		a, _ := strconv.Atoi(entries[i-1].Log[:len(entries[i-1].Log)-1])
		b, _ := strconv.Atoi(entries[i].Log[:len(entries[i].Log)-1])
		if b != a+1 {
			t.Fatalf("gap in %q", got)
		}
	}
}

func TestLogReaderPartialLineAndMissingLog(t *testing.T) {
	rt, id, _ := logRig(t, logMaxSize)
	l, err := rt.OpenLogs(id)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// An entry written in two pieces is read once whole.
	path := logFile(filepath.Join(rt.root, id), 0)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprint(f, `{"log":"a\n","stream":"stdout","time":"2025-01-02T03:04:05Z"}`+"\n"+`{"log":"b\n","str`)
	entries, err := l.ReadAll()
	if err != nil || numbers(entries) != "a " {
		t.Fatalf("entries %q, %v", numbers(entries), err)
	}
	fmt.Fprint(f, `eam":"stderr","time":"2025-01-02T03:04:06Z"}`+"\nnot json\n")
	var got []LogEntry
	if err := l.drain(func(e LogEntry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Log != "b\n" || got[0].Stream != streamStderr {
		t.Fatalf("after the rest: %+v", got)
	}
	if _, err := rt.OpenLogs("missing"); err == nil {
		t.Error("OpenLogs of a missing container succeeded")
	}
}

func TestLogReaderFollowsRotationsAndEndsOnRemoval(t *testing.T) {
	rt, id, w := logRig(t, 300)
	writeNumbered(t, w, 1, 3)
	l, err := rt.OpenLogs(id)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.ReadAll(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []LogEntry
	done := make(chan error, 1)
	go func() {
		done <- l.Follow(context.Background(), func(e LogEntry) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, e)
			return nil
		})
	}()
	// Batches of about two files, so that the log rotates twice between
	// two looks of the follower; each batch once the last one was read.
	n := 3
	for batch := range 6 {
		writeNumbered(t, w, n+1, n+8)
		n += 8
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			k := len(got)
			mu.Unlock()
			if k == n-3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("batch %d: %d entries followed, want %d: %q", batch, k, n-3, numbers(got))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	w.Close()
	if err := os.RemoveAll(filepath.Join(rt.root, id)); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := ""
	for i := 4; i <= n; i++ {
		want += strconv.Itoa(i) + " "
	}
	if numbers(got) != want {
		t.Fatalf("followed %q\nwant     %q", numbers(got), want)
	}
}

func TestLogReaderFollowStopsWithContext(t *testing.T) {
	rt, id, _ := logRig(t, logMaxSize)
	l, err := rt.OpenLogs(id)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Follow(ctx, func(LogEntry) error { return nil }); err != nil {
		t.Fatal(err)
	}
}
