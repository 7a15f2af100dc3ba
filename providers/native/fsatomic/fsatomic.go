// Package fsatomic replaces files so that a reader, or a process killed
// at any point, sees the old content or the new, never a part: the data
// goes to a temporary file in the same directory, which is renamed over
// the target. How much of that is fsynced is the caller's choice, since
// the runtime's records, the network records and the image store weigh
// durability against speed differently.
package fsatomic

import (
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

// WriteFile replaces path with data, mode perm. The temporary file is
// made with os.CreateTemp's pattern (e.g. ".name.tmp*"), so a caller that
// sweeps leftovers knows their names; it is removed on error.
func WriteFile(path string, data []byte, perm os.FileMode, pattern string, d Durability) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if d >= SyncFile {
		if err = f.Sync(); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d >= SyncAll {
		return SyncDir(dir)
	}
	return nil
}

// SyncDir fsyncs a directory: what was created, renamed or removed in it
// survives a power loss.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
