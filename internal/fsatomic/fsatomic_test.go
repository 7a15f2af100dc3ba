package fsatomic

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
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

// A failure at any step, or from BeforeRename, leaves the old file and no
// temporary one; BeforeRename sees the temporary file complete and the
// target still old.
func TestWriteStepFailure(t *testing.T) {
	injected := errors.New("injected failure")
	for _, failAt := range []string{"create", "write", "sync", "before rename", "rename"} {
		t.Run(failAt, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rec")
			if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			var steps []string
			o := Options{Perm: 0o600, Pattern: "rec.tmp-*", Durability: SyncAll,
				Step: func(s string) error {
					steps = append(steps, s)
					if s == failAt {
						return injected
					}
					return nil
				},
				BeforeRename: func() error {
					steps = append(steps, "before rename")
					tmp, _ := filepath.Glob(filepath.Join(dir, "rec.tmp-*"))
					if len(tmp) != 1 {
						t.Fatalf("temporary files before the rename: %v", tmp)
					}
					if got, _ := os.ReadFile(tmp[0]); string(got) != "new" {
						t.Errorf("temporary file holds %q before the rename", got)
					}
					if got, _ := os.ReadFile(path); string(got) != "old" {
						t.Errorf("target holds %q before the rename", got)
					}
					if failAt == "before rename" {
						return injected
					}
					return nil
				}}
			if err := Write(path, []byte("new"), o); !errors.Is(err, injected) {
				t.Fatalf("Write = %v, want the injected failure", err)
			}
			if last := steps[len(steps)-1]; last != failAt {
				t.Errorf("steps %v: went on past %q", steps, failAt)
			}
			if got, _ := os.ReadFile(path); string(got) != "old" {
				t.Errorf("old file reads %q", got)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "rec.tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// The steps run in order and BeforeRename between "sync" and "rename".
func TestWriteStepOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec")
	var steps []string
	o := Options{Perm: 0o640, Pattern: "rec.tmp-*", Durability: NoSync,
		Step:         func(s string) error { steps = append(steps, s); return nil },
		BeforeRename: func() error { steps = append(steps, "before rename"); return nil }}
	if err := Write(path, []byte("new"), o); err != nil {
		t.Fatal(err)
	}
	want := []string{"create", "write", "sync", "before rename", "rename"}
	if !slices.Equal(steps, want) {
		t.Errorf("steps %v, want %v", steps, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("stat %v, %v; want mode 0640", fi, err)
	}
}
