package state

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dirSnapshot is every file in dir with its content.
func dirSnapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		snap[e.Name()] = string(data)
	}
	return snap
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}

func TestReadMissingIsNew(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "berth.state")).Read()
	if err != nil || st.Lineage == "" || !st.Empty() || st.Serial != 0 {
		t.Fatalf("Read of a missing file = %+v, %v; want New()", st, err)
	}
}

func TestReadErrorsNameFileAndChangeNothing(t *testing.T) {
	sample, _ := Encode(sampleState(t))
	tests := []struct {
		name, data string
		sentinel   error
		want       string
	}{
		{"empty file", "", ErrInvalid, "empty (0 bytes)"},
		{"truncated", string(sample[:100]), ErrInvalid, "truncated"},
		{"not JSON", "<xml/>", ErrInvalid, "not JSON"},
		{"newer version", `{"version":7}`, ErrNewerVersion, "was written by a newer berth (format version 7, this berth reads up to 1): upgrade berth"},
		{"duplicate address", `{` + okHead + `,"resources":[{` + okRes + `},{` + okRes + `}]}`, ErrInvalid, "recorded twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "berth.state")
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			before := dirSnapshot(t, dir)
			store := Open(path)
			st, err := store.Read()
			if err == nil {
				t.Fatalf("Read succeeded: %+v", st)
			}
			msg := err.Error()
			if !errors.Is(err, tc.sentinel) || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "state file "+path) {
				t.Errorf("Read error = %q, want %v naming %s and containing %q", msg, tc.sentinel, path, tc.want)
			}
			// Write must not replace a file it cannot read either.
			if err := store.Write(sampleState(t)); err == nil {
				t.Error("Write over an unreadable file succeeded")
			}
			if !sameSnapshot(before, dirSnapshot(t, dir)) {
				t.Error("the directory changed")
			}
		})
	}
}

func TestWriteSerialBackupAndRead(t *testing.T) {
	dir := t.TempDir()
	store := Open(filepath.Join(dir, "berth.state"))
	st := sampleState(t)
	BerthVersion = "9.9.9"
	defer func() { BerthVersion = "0.1.0" }()
	var written [][]byte
	for i := 1; i <= 3; i++ {
		st.Set(testResource(t, fmt.Sprintf("container.n[%d]", i)))
		if err := store.Write(st); err != nil {
			t.Fatal(err)
		}
		if st.Serial != uint64(i) || st.BerthVersion != "9.9.9" {
			t.Fatalf("after write %d: serial %d, berth_version %q", i, st.Serial, st.BerthVersion)
		}
		data, err := os.ReadFile(store.Path)
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, data)
		backup, err := os.ReadFile(store.BackupPath())
		switch {
		case i == 1 && !errors.Is(err, os.ErrNotExist):
			t.Errorf("first write made a backup (%v)", err)
		case i > 1 && !bytes.Equal(backup, written[i-2]):
			t.Errorf("write %d: backup is not the previous version", i)
		}
	}
	back, err := Open(store.Path).Read()
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := Encode(back); !bytes.Equal(data, written[2]) {
		t.Errorf("read back differs from what was written")
	}
	if back.Serial != 3 || back.Lineage != st.Lineage || back.BerthVersion != "9.9.9" {
		t.Errorf("read back serial %d lineage %s", back.Serial, back.Lineage)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"berth.state", "berth.state.backup"}) {
		t.Errorf("files left: %q", got)
	}
	info, _ := os.Stat(store.Path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", info.Mode().Perm())
	}
}

func dirNames(t *testing.T, dir string) []string {
	var names []string
	for name := range dirSnapshot(t, dir) {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// TestWriteSerialOnlyGrows: a stale copy written later still gets a serial
// above the file's.
func TestWriteSerialOnlyGrows(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	st := New()
	stale := st.DeepCopy()
	for range 3 {
		if err := store.Write(st); err != nil {
			t.Fatal(err)
		}
	}
	if err := Open(store.Path).Write(stale); err != nil {
		t.Fatal(err)
	}
	if stale.Serial != 4 {
		t.Errorf("stale copy written with serial %d, want 4", stale.Serial)
	}
}

func TestWriteLineageMismatch(t *testing.T) {
	dir := t.TempDir()
	store := Open(filepath.Join(dir, "berth.state"))
	if err := store.Write(New()); err != nil {
		t.Fatal(err)
	}
	before := dirSnapshot(t, dir)
	other := New()
	for _, s := range []*Store{store, Open(store.Path)} { // cached and fresh view of the file
		err := s.Write(other)
		var le *LineageError
		if !errors.As(err, &le) || !errors.Is(err, ErrLineage) || !strings.Contains(err.Error(), "lineage mismatch") {
			t.Errorf("Write of another lineage = %v", err)
		}
	}
	if other.Serial != 0 || !sameSnapshot(before, dirSnapshot(t, dir)) {
		t.Error("a refused write changed something")
	}
}

// TestWriteNoticesReplacedFile: another process replacing the file (a new
// lineage) between two writes of one Store is caught.
func TestWriteNoticesReplacedFile(t *testing.T) {
	store := Open(filepath.Join(t.TempDir(), "berth.state"))
	st := New()
	if err := store.Write(st); err != nil {
		t.Fatal(err)
	}
	if err := Open(store.Path + ".x").Write(New()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(store.Path+".x", store.Path); err != nil {
		t.Fatal(err)
	}
	if err := store.Write(st); !errors.Is(err, ErrLineage) {
		t.Errorf("Write after the file was replaced = %v, want a lineage mismatch", err)
	}
}

func TestWriteRefusesNewerFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "berth.state")
	os.WriteFile(path, []byte(`{"version":2,"lineage":"l","serial":5}`), 0o600)
	before := dirSnapshot(t, dir)
	if err := Open(path).Write(New()); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("Write over a newer file = %v", err)
	}
	if !sameSnapshot(before, dirSnapshot(t, dir)) {
		t.Error("the directory changed")
	}
}

// TestAtomicWriteFailure fails each step of a write and checks that the
// old file and the state's serial are untouched, the backup is unchanged
// (or, once the backup step ran, holds the current file) and no temp file
// is left.
func TestAtomicWriteFailure(t *testing.T) {
	for _, step := range []string{"create", "write", "sync", "backup", "rename"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			store := Open(filepath.Join(dir, "berth.state"))
			st := sampleState(t)
			for range 2 {
				if err := store.Write(st); err != nil {
					t.Fatal(err)
				}
			}
			before := dirSnapshot(t, dir)
			st.Set(testResource(t, "container.more"))
			writeHook = func(s string) error {
				if s == step {
					return errors.New("injected failure")
				}
				return nil
			}
			err := store.Write(st)
			writeHook = nil
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("Write = %v, want the injected failure", err)
			}
			if st.Serial != 2 {
				t.Errorf("serial %d after a failed write, want 2", st.Serial)
			}
			after := dirSnapshot(t, dir)
			if step == "rename" {
				// the backup step ran: the backup is now the current file
				before["berth.state.backup"] = before["berth.state"]
			}
			if !sameSnapshot(before, after) {
				t.Errorf("files after a failed write: %q", dirNames(t, dir))
			}
			// and the next write works and numbers on
			if err := store.Write(st); err != nil || st.Serial != 3 {
				t.Errorf("write after failure: serial %d, %v", st.Serial, err)
			}
		})
	}
}

// TestWriteReadOnlyDir is the same check through a real permission error.
func TestWriteReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions; TestAtomicWriteFailure covers this with injected failures")
	}
	dir := t.TempDir()
	store := Open(filepath.Join(dir, "berth.state"))
	st := New()
	if err := store.Write(st); err != nil {
		t.Fatal(err)
	}
	before := dirSnapshot(t, dir)
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	if err := store.Write(st); err == nil {
		t.Fatal("Write into a read-only directory succeeded")
	}
	os.Chmod(dir, 0o700)
	if !sameSnapshot(before, dirSnapshot(t, dir)) {
		t.Error("the directory changed")
	}
}

// TestBackupAfterFailedRename: a failure after the backup step leaves the
// backup a hard link to the current file; the next write must still end
// with the previous version as backup and no stray temp file.
func TestBackupAfterFailedRename(t *testing.T) {
	dir := t.TempDir()
	store := Open(filepath.Join(dir, "berth.state"))
	st := New()
	store.Write(st)
	writeHook = func(s string) error {
		if s == "rename" {
			return errors.New("injected failure")
		}
		return nil
	}
	store.Write(st)
	writeHook = nil
	current, _ := os.ReadFile(store.Path)
	if err := store.Write(st); err != nil {
		t.Fatal(err)
	}
	if backup, _ := os.ReadFile(store.BackupPath()); !bytes.Equal(backup, current) {
		t.Error("backup is not the previous version")
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"berth.state", "berth.state.backup"}) {
		t.Errorf("files left: %q", got)
	}
}

func TestWriteRefusesInvalidState(t *testing.T) {
	dir := t.TempDir()
	st := &State{} // no lineage
	if err := Open(filepath.Join(dir, "berth.state")).Write(st); !errors.Is(err, ErrInvalid) {
		t.Errorf("Write of a state without lineage = %v", err)
	}
	if len(dirSnapshot(t, dir)) != 0 {
		t.Error("a refused write created files")
	}
}
