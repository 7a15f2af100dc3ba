package state

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
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

// writeAtomic replaces path with data so that a reader sees either the
// old file or the new one, never a mix: a temp file in the same directory
// is written, fsynced and closed, beforeRename runs (the state backup),
// the temp file is renamed over path and the directory is fsynced. On any
// error before the rename the temp file is removed and path is untouched.
func writeAtomic(path string, data []byte, beforeRename func() error) error {
	return replaceFile(path, data, true, beforeRename)
}

// writeInfo replaces path like writeAtomic but without the fsyncs: for
// files that only inform (the lock holder), whose loss in a power cut
// costs nothing, and which are written on every locked operation.
func writeInfo(path string, data []byte) error {
	return replaceFile(path, data, false, nil)
}

func replaceFile(path string, data []byte, durable bool, beforeRename func() error) (err error) {
	dir := filepath.Dir(path)
	if err := hook("create"); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = hook("write"); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = hook("sync"); err != nil {
		return err
	}
	if durable {
		if err = f.Sync(); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	if beforeRename != nil {
		if err = beforeRename(); err != nil {
			return err
		}
	}
	if err = hook("rename"); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if !durable {
		return nil
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
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
