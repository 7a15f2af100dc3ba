package state

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the reader through a real file. Read
// must never panic nor touch the file; a Write over a file that does not
// read must fail and leave the directory as it was; and whatever reads
// must encode, and read back to the same bytes.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/roundtrip/*.json")
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"", "{}", `{"version":1}`, `{"version":2}`, `{"version":1,"serial":0,"lineage":"l"}`,
		withResource(okRes), withResource(okRes + `,"index":null,"private":"AA=="`),
		`{` + okHead + `,"outputs":{"o":{"value":{"value":1,"type":"number"},"type":"dynamic","sensitive":true}}}`,
	} {
		f.Add([]byte(s))
	}
	dir := fuzzDir(f)
	path := filepath.Join(dir, "berth.state")
	f.Fuzz(func(t *testing.T, data []byte) {
		defer os.RemoveAll(path)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := Open(path).Read()
		if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
			t.Fatal("Read changed the file")
		}
		if err != nil {
			if Open(path).Write(New()) == nil {
				t.Fatalf("Write over an unreadable file succeeded (read error: %v)", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Fatalf("a refused write left %d files", len(entries))
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
				t.Fatal("a refused write changed the file")
			}
			return
		}
		out, err := Encode(st)
		if err != nil {
			t.Fatalf("read but cannot write: %v", err)
		}
		back, err := Decode(out)
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%s", err, out)
		}
		if out2, err := Encode(back); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second round trip differs (%v):\n%s\n%s", err, out, out2)
		}
	})
}

// fuzzDir is one directory per fuzzing process, emptied after each input,
// on tmpfs where there is one: creating a file per input on a journalling
// file system costs a journal commit, which makes fuzzing (and above all
// the minimisation of interesting inputs) crawl.
func fuzzDir(f *testing.F) string {
	if dir, err := os.MkdirTemp("/dev/shm", "berth-state-fuzz-"); err == nil {
		f.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	return f.TempDir()
}
