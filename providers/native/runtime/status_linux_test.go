package runtime

import (
	"os"
	"path/filepath"
	"testing"
)

// A status record left empty (records are not fsynced; a power loss can
// do this) reads as a dead container rather than failing every listing.
func TestTruncatedStatusIsDead(t *testing.T) {
	rt, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	id := "truncated"
	dir := rt.dir(id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := writeSpec(dir, Spec{ID: id, Name: "web", Args: []string{"true"}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, statusFile), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := rt.Status(id)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	if st.State != StateDead || st.Name != "web" {
		t.Errorf("state %q name %q, want dead web", st.State, st.Name)
	}
	list, err := rt.List()
	if err != nil || len(list) != 1 {
		t.Errorf("List = %d entries, %v; want the dead one", len(list), err)
	}
}
