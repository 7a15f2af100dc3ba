// Package fsatomic replaces files so that a reader, or a process killed
// at any point, sees the old content or the new, never a part: the data
// goes to a temporary file in the same directory, which is renamed over
// the target. How much of that is fsynced is the caller's choice, since
// the state file, the runtime's records, the network records and the
// image store weigh durability against speed differently.
//
// It is the one atomic writer of berth, shared by package state and the
// native provider, and so imports nothing of berth's.
package fsatomic

import (
	"fmt"
	"os"
	"path/filepath"
)

// Durability says what is fsynced.
type Durability int

const (
	// Rename only: after a power loss the file may be empty or old.
	NoSync Durability = iota
	// SyncFile fsyncs the data before the rename.
	SyncFile
	// SyncAll also fsyncs the directory after the rename, so that the
	// rename itself survives a power loss.
	SyncAll
)

// Options say how Write replaces a file.
type Options struct {
	// Perm is the new file's mode.
	Perm os.FileMode
	// Pattern names the temporary file as os.CreateTemp's pattern does
	// (e.g. ".name.tmp*"), so that a caller that sweeps leftovers knows
	// their names.
	Pattern    string
	Durability Durability
	// BeforeRename, when set, runs once the temporary file is complete
	// (written, synced as asked, closed), just before it replaces the
	// target: package state keeps its backup there. Its error aborts the
	// write with the target untouched.
	BeforeRename func() error
	// Step, when set, is called before each step of the write ("create",
	// "write", "sync", "rename"), and its error fails the write as that
	// step's own would: tests inject failures through it.
	Step func(step string) error
}

// WriteFile replaces path with data, mode perm, fsyncing as d says. The
// temporary file is named by pattern (see Options.Pattern) and removed on
// error.
func WriteFile(path string, data []byte, perm os.FileMode, pattern string, d Durability) error {
	return Write(path, data, Options{Perm: perm, Pattern: pattern, Durability: d})
}

// Write replaces path with data as o says: a temporary file in the same
// directory is created, written, fsynced (SyncFile and up) and closed,
// o.BeforeRename runs, the file is renamed over path and the directory is
// fsynced (SyncAll). On any error before the rename the temporary file is
// removed and path is untouched.
func Write(path string, data []byte, o Options) (err error) {
	step := o.Step
	if step == nil {
		step = func(string) error { return nil }
	}
	dir := filepath.Dir(path)
	if err = step("create"); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, o.Pattern)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(o.Perm); err != nil {
		return err
	}
	if err = step("write"); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = finish(f, o, step); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if o.Durability >= SyncAll {
		return SyncDir(dir)
	}
	return nil
}

// finish syncs and closes the written temporary file and runs the steps
// that come before its rename.
func finish(f *os.File, o Options, step func(string) error) error {
	if err := step("sync"); err != nil {
		return err
	}
	if o.Durability >= SyncFile {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if o.BeforeRename != nil {
		if err := o.BeforeRename(); err != nil {
			return err
		}
	}
	return step("rename")
}

// SyncDir fsyncs a directory: what was created, renamed or removed in it
// survives a power loss.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
