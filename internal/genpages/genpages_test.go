package genpages

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteThenCompare(t *testing.T) {
	dir := t.TempDir()
	pages := map[string][]byte{"a.md": []byte("one\ntwo\n"), "b.md": []byte("b\n")}
	if err := os.WriteFile(filepath.Join(dir, "gone.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Compare(dir, pages); len(got) != 3 {
		t.Fatalf("before Write: %q, want a.md and b.md missing and gone.md no longer generated", got)
	}
	if err := Write(dir, pages); err != nil {
		t.Fatal(err)
	}
	if got := Compare(dir, pages); len(got) != 0 {
		t.Fatalf("after Write: %q", got)
	}
	pages["a.md"] = []byte("one\nTWO\n")
	got := Compare(dir, pages)
	if len(got) != 1 || !strings.Contains(got[0], "a.md is out of date at line 2") || !strings.Contains(got[0], `"TWO"`) {
		t.Fatalf("changed page: %q", got)
	}
}
