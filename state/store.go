package state

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// Store is a state file on disk with its lock and backup:
//
//	berth.state            the state (format: see doc.go)
//	berth.state.backup     the previous version
//	berth.state.lock       the flock(2) target
//	berth.state.lock.info  who holds the lock (LockInfo as JSON)
type Store struct {
	Path string

	mu sync.Mutex // serialises Write
	// last identifies the file as this Store last read or wrote it, so
	// that Write need not re-read an unchanged file to check its lineage.
	last *seen
}

// seen is a state file's identity and header at one moment.
type seen struct {
	info    fs.FileInfo
	lineage string
	serial  uint64
}

// Open returns the store for a state file path (the file need not exist).
func Open(path string) *Store { return &Store{Path: path} }

// BackupPath is where Write keeps the previous version of the state.
func (s *Store) BackupPath() string { return s.Path + ".backup" }

// Read loads the state; a missing file yields New(). A file that does not
// parse (an empty file included: that is a truncated one) or has a newer
// format version is an error naming the file, and nothing is changed.
func (s *Store) Read() (*State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, info, err := s.load()
	if err != nil {
		return nil, err
	}
	if st == nil {
		return New(), nil
	}
	s.last = &seen{info: info, lineage: st.Lineage, serial: st.Serial}
	return st, nil
}

// load reads and decodes the file; a missing file yields a nil state.
func (s *Store) load() (*State, fs.FileInfo, error) {
	f, err := os.Open(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, &FileError{Path: s.Path, Err: err}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, &FileError{Path: s.Path, Err: err}
	}
	if info.IsDir() {
		return nil, nil, &FileError{Path: s.Path, Err: errors.New("is a directory")}
	}
	// berth replaces the file by rename and never writes it in place, so
	// the open inode's content matches info.
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, nil, &FileError{Path: s.Path, Err: err}
	}
	st, err := Decode(data)
	if err != nil {
		return nil, nil, s.decodeError(err)
	}
	return st, info, nil
}

// decodeError names the file in a Decode error and says what to do.
func (s *Store) decodeError(err error) error {
	var ve *VersionError
	if errors.As(err, &ve) {
		ve.Path = s.Path
		return ve
	}
	next := "repair it by hand or move it away"
	if _, statErr := os.Stat(s.BackupPath()); statErr == nil {
		next = "repair it by hand, or restore the previous version from " + s.BackupPath()
	}
	return &FileError{Path: s.Path, Err: fmt.Errorf("%w; nothing was changed: %s", err, next)}
}

// Write persists st atomically (see writeAtomic), keeping the file it
// replaces as BackupPath. The new serial is one more than the greater of
// st.Serial and the serial on disk, so serials on disk only grow; on success
// st.Serial, st.Version and st.BerthVersion are updated to what was written.
// Write refuses, changing nothing, when the file on disk has another
// lineage, is not a valid state, or comes from a newer berth.
func (s *Store) Write(st *State) error {
	if st == nil {
		return &FileError{Path: s.Path, Err: errors.New("refusing to write a nil state")}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	disk, err := s.onDisk()
	if err != nil {
		return err
	}
	out := *st
	out.Serial = st.Serial + 1
	if disk != nil {
		if disk.lineage != st.Lineage {
			return &LineageError{Path: s.Path, OnDisk: disk.lineage, Given: st.Lineage}
		}
		out.Serial = max(st.Serial, disk.serial) + 1
	}
	out.Version, out.BerthVersion = CurrentVersion, BerthVersion
	data, err := Encode(&out)
	if err != nil {
		return &FileError{Path: s.Path, Err: fmt.Errorf("refusing to write: %w", err)}
	}
	s.last = nil
	err = writeAtomic(s.Path, data, func() error { return keepBackup(s.Path, s.BackupPath()) })
	if err != nil {
		return &FileError{Path: s.Path, Err: fmt.Errorf("write: %w", err)}
	}
	st.Serial, st.Version, st.BerthVersion = out.Serial, out.Version, out.BerthVersion
	if info, err := os.Stat(s.Path); err == nil {
		s.last = &seen{info: info, lineage: out.Lineage, serial: out.Serial}
	}
	return nil
}

// onDisk returns the header of the current file, nil when there is none.
// It trusts what this Store last saw when the file is still that file
// (same inode, size and modification time), and reads it otherwise.
func (s *Store) onDisk() (*seen, error) {
	info, err := os.Stat(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &FileError{Path: s.Path, Err: err}
	}
	if l := s.last; l != nil && os.SameFile(l.info, info) &&
		l.info.Size() == info.Size() && l.info.ModTime().Equal(info.ModTime()) {
		return l, nil
	}
	st, info, err := s.load()
	if err != nil {
		return nil, fmt.Errorf("refusing to overwrite: %w", err)
	}
	if st == nil {
		return nil, nil
	}
	return &seen{info: info, lineage: st.Lineage, serial: st.Serial}, nil
}
