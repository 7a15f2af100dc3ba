package runtime

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// logPollInterval is how often a follower looks for new entries, a
// rotation or the container's removal once it has read everything.
const logPollInterval = 100 * time.Millisecond

// LogReader reads one container's log: the entries there are now
// (ReadAll), then those written next (Follow), across rotations and
// restarts (a restarted container appends to the same log).
type LogReader struct {
	dir     string   // the container's directory
	cur     *os.File // container.log as it was when opened
	curIno  uint64
	rd      *bufio.Reader
	partial []byte // an entry whose newline has not been written yet
}

// OpenLogs opens the log of container id for reading from its oldest
// entry.
func (r *Runtime) OpenLogs(id string) (*LogReader, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	dir := r.dir(id)
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	l := &LogReader{dir: dir}
	if err := l.openCurrent(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return l, nil
}

// openCurrent opens container.log; ErrNotExist while there is none.
func (l *LogReader) openCurrent() error {
	f, err := os.Open(logFile(l.dir, 0))
	if err != nil {
		return err
	}
	l.cur, l.curIno, l.rd = f, inode(f), bufio.NewReaderSize(f, 64<<10)
	return nil
}

// Close releases the open log file.
func (l *LogReader) Close() error {
	if l.cur == nil {
		return nil
	}
	err := l.cur.Close()
	l.cur, l.rd = nil, nil
	return err
}

// ReadAll returns every complete entry written so far, oldest first: the
// rotated files, then the current one up to its end, where a Follow
// carries on.
func (l *LogReader) ReadAll() ([]LogEntry, error) {
	var out []LogEntry
	add := func(e LogEntry) error { out = append(out, e); return nil }
	for i := logMaxFiles - 1; i > 0; i-- {
		if err := l.readRotated(logFile(l.dir, i), add); err != nil {
			return nil, err
		}
	}
	if l.cur == nil {
		if err := l.openCurrent(); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return out, nil
			}
			return nil, err
		}
	}
	return out, l.drain(add)
}

// readRotated reads a rotated file whole, unless it is the file opened as
// current (rotated since), which drain reads.
func (l *LogReader) readRotated(path string, fn func(LogEntry) error) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if l.cur != nil && inode(f) == l.curIno {
		return nil
	}
	var partial []byte
	return decodeEntries(bufio.NewReaderSize(f, 64<<10), &partial, fn)
}

// drain reads the current file up to its end.
func (l *LogReader) drain(fn func(LogEntry) error) error {
	if l.rd == nil {
		return nil
	}
	return decodeEntries(l.rd, &l.partial, fn)
}

// Follow calls fn with every entry written from the position ReadAll
// left, following the log through rotations, until ctx ends (nil), the
// container is removed (nil) or fn fails.
func (l *LogReader) Follow(ctx context.Context, fn func(LogEntry) error) error {
	t := time.NewTicker(logPollInterval)
	defer t.Stop()
	for {
		if err := l.drain(fn); err != nil {
			return err
		}
		switch rotated, err := l.rotated(); {
		case err != nil:
			return err
		case rotated:
			if err := l.nextFile(fn); err != nil {
				return err
			}
			continue
		}
		if _, err := os.Stat(l.dir); errors.Is(err, os.ErrNotExist) {
			return nil // removed
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// nextFile moves on from a file that has been rotated: it reads the rest
// of it, then the rotated files written after it (when the log rotated
// more than once since the last look), then opens the new container.log.
func (l *LogReader) nextFile(fn func(LogEntry) error) error {
	if err := l.drain(fn); err != nil {
		return err
	}
	// The rotated files newer than ours: all of them when ours is gone.
	from := logMaxFiles - 1
	for i := logMaxFiles - 1; i > 0 && l.cur != nil; i-- {
		if fi, err := os.Stat(logFile(l.dir, i)); err == nil && inodeOf(fi) == l.curIno {
			from = i - 1
		}
	}
	l.Close()
	l.partial = nil
	for i := from; i > 0; i-- {
		if err := l.readRotated(logFile(l.dir, i), fn); err != nil {
			return err
		}
	}
	if err := l.openCurrent(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// rotated reports whether container.log is now another file than the one
// being read (or exists now when none did).
func (l *LogReader) rotated() (bool, error) {
	fi, err := os.Stat(logFile(l.dir, 0))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return l.cur == nil || inodeOf(fi) != l.curIno, nil
}

// decodeEntries decodes lines until the reader's end; an unterminated
// last line is kept in *partial for the next call.
func decodeEntries(rd *bufio.Reader, partial *[]byte, fn func(LogEntry) error) error {
	for {
		line, err := rd.ReadBytes('\n')
		if len(line) > 0 {
			*partial = append(*partial, line...)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		data := bytes.TrimSpace(*partial)
		*partial = (*partial)[:0]
		if len(data) == 0 {
			continue
		}
		var e LogEntry
		if json.Unmarshal(data, &e) != nil {
			continue // a line torn by a crash: skip it
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

func inode(f *os.File) uint64 {
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	return inodeOf(fi)
}

func inodeOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}
