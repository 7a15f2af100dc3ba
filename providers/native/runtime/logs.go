package runtime

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Log files: logs/container.log is being written; container.log.1 and
// container.log.2 are older. One JSON object per line, as Docker's
// json-file driver writes them:
//
//	{"log":"hello\n","stream":"stdout","time":"2025-01-02T03:04:05.123456789Z"}
//
// "log" is one line of output including its newline; a line longer than
// 16 KiB, or the unterminated rest of the output when the process exits,
// is written without one. "stream" is stdout or stderr (a TTY's output is
// stdout); "time" is RFC 3339 with nanoseconds, UTC, taken when the
// supervisor read the line.
const (
	logName      = "container.log"
	logMaxSize   = 10 << 20 // bytes per file before rotating
	logMaxFiles  = 3        // container.log plus 2 rotations
	logMaxLine   = 16 << 10
	streamStdout = "stdout"
	streamStderr = "stderr"
)

// LogEntry is one line of a log file.
type LogEntry struct {
	Log    string    `json:"log"`
	Stream string    `json:"stream"`
	Time   time.Time `json:"time"`
}

// logPaths lists a container's log files that exist, oldest first.
func logPaths(dir string) ([]string, error) {
	var out []string
	for i := logMaxFiles - 1; i >= 0; i-- {
		p := logFile(dir, i)
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	return out, nil
}

// logFile is container.log for n == 0, else container.log.n.
func logFile(dir string, n int) string {
	p := filepath.Join(dir, logsDir, logName)
	if n > 0 {
		p += "." + strconv.Itoa(n)
	}
	return p
}

// logWriter appends entries to the current log file, rotating by size.
// It is safe for concurrent use by the stdout and stderr copiers.
type logWriter struct {
	mu      sync.Mutex
	dir     string // container directory
	f       *os.File
	size    int64
	maxSize int64
	now     func() time.Time
}

func openLogWriter(dir string) (*logWriter, error) {
	w := &logWriter{dir: dir, maxSize: logMaxSize, now: time.Now}
	if err := os.MkdirAll(filepath.Join(dir, logsDir), 0o700); err != nil {
		return nil, err
	}
	return w, w.open()
}

func (w *logWriter) open() error {
	f, err := os.OpenFile(logFile(w.dir, 0), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	w.f, w.size = f, fi.Size()
	return nil
}

// write records one line from stream.
func (w *logWriter) write(stream string, line []byte) error {
	data, err := json.Marshal(LogEntry{Log: string(line), Stream: stream, Time: w.now().UTC()})
	if err != nil {
		return err
	}
	data = append(data, '\n')
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return os.ErrClosed
	}
	if w.size > 0 && w.size+int64(len(data)) > w.maxSize {
		if err := w.rotate(); err != nil {
			return err
		}
	}
	n, err := w.f.Write(data)
	w.size += int64(n)
	return err
}

// rotate shifts container.log.N to .N+1 (dropping the oldest) and starts
// a new container.log.
func (w *logWriter) rotate() error {
	w.f.Close()
	w.f = nil
	for i := logMaxFiles - 1; i > 0; i-- {
		if err := os.Rename(logFile(w.dir, i-1), logFile(w.dir, i)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("rotate log: %w", err)
		}
	}
	return w.open()
}

func (w *logWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// copyLines reads r until EOF and writes each line to w as stream.
func (w *logWriter) copyLines(stream string, r io.Reader) error {
	br := bufio.NewReaderSize(r, logMaxLine)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			if werr := w.write(stream, line); werr != nil {
				return werr
			}
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return nil
		default:
			return err
		}
	}
}
