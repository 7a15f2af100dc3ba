package state

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/berthhq/berth/internal/fsatomic"
)

// writeHook lets tests fail an atomic write at a named step ("create",
// "write", "sync", "backup", "rename"); nil outside tests.
var writeHook func(step string) error

func hook(step string) error {
	if writeHook == nil {
		return nil
	}
	return writeHook(step)
}

// writeAtomic replaces path with data (mode 0600) so that a reader sees
// either the old file or the new one, never a mix: a temp file in the same
// directory is written, fsynced and closed, beforeRename runs (the state
// backup), the temp file is renamed over path and the directory is
// fsynced. On any error before the rename the temp file is removed and
// path is untouched.
func writeAtomic(path string, data []byte, beforeRename func() error) error {
	return replaceFile(path, data, fsatomic.SyncAll, beforeRename)
}

// writeInfo replaces path like writeAtomic but without the fsyncs: for
// files that only inform (the lock holder), whose loss in a power cut
// costs nothing, and which are written on every locked operation.
func writeInfo(path string, data []byte) error {
	return replaceFile(path, data, fsatomic.NoSync, nil)
}

func replaceFile(path string, data []byte, d fsatomic.Durability, beforeRename func() error) error {
	return fsatomic.Write(path, data, fsatomic.Options{
		Perm:         0o600,
		Pattern:      filepath.Base(path) + ".tmp-*",
		Durability:   d,
		BeforeRename: beforeRename,
		Step:         hook,
	})
}

// keepBackup makes backup hold what path holds now, replacing it
// atomically. It hard-links path's inode under a temp name and renames that
// over backup: no copy, and the content is already durable because berth
// fsynced it when it wrote path. The caller fsyncs the directory. Where
// hard links are not supported it copies instead. A missing path is not an
// error: there is nothing to keep.
func keepBackup(path, backup string) error {
	if err := hook("backup"); err != nil {
		return err
	}
	tmp := backup + ".tmp-" + strconv.FormatUint(rand.Uint64(), 36)
	if err := os.Link(path, tmp); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return copyBackup(path, backup)
	}
	err := os.Rename(tmp, backup)
	// When tmp and backup already name the same inode (a write failed
	// after its backup step), rename succeeds without removing tmp.
	if rmErr := os.Remove(tmp); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) && err == nil {
		err = rmErr
	}
	if err != nil {
		return fmt.Errorf("keep backup %s: %w", backup, err)
	}
	return nil
}

func copyBackup(path, backup string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = writeAtomic(backup, data, nil)
	}
	if err != nil {
		return fmt.Errorf("keep backup %s: %w", backup, err)
	}
	return nil
}
