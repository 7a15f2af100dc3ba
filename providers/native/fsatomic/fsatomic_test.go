package fsatomic

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Durability
	}{{"no sync", NoSync}, {"sync file", SyncFile}, {"sync all", SyncAll}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.json")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := WriteFile(path, []byte("new"), 0o600, ".rec.tmp*", tc.d); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != "new" {
				t.Fatalf("read back %q, %v", got, err)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".rec.tmp*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// A write that fails leaves the old file and no temporary one.
func TestWriteFileFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rec")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory where the file should go: the rename fails.
	target := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(target, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("new"), 0o600, ".sub.tmp*", SyncAll); err == nil {
		t.Fatal("renaming over a non-empty directory succeeded")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".sub.tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("old file reads %q", got)
	}
}
