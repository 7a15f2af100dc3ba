package state

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinels for the categories a caller branches on; the typed errors below
// unwrap to them.
var (
	// ErrInvalid: a state file (or state to write) breaks the format.
	ErrInvalid = errors.New("not a valid berth state")
	// ErrNewerVersion: a state file was written by a newer berth.
	ErrNewerVersion = errors.New("state written by a newer berth")
	// ErrLineage: a write would replace a different state's file.
	ErrLineage = errors.New("lineage mismatch")
	// ErrLocked: another process (or another Lock in this one) holds the lock.
	ErrLocked = errors.New("state is locked")
	// ErrNotLocked: force-unlock found no lock to remove.
	ErrNotLocked = errors.New("state is not locked")
	// ErrNotFound: an address names nothing recorded in the state.
	ErrNotFound = errors.New("not in the state")
	// ErrExists: an address is already recorded in the state.
	ErrExists = errors.New("already in the state")
)

// FileError is a state file that cannot be read or written, naming it.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "state file " + e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// formatError reports a document that breaks the format: it unwraps to
// ErrInvalid.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }
func (e *formatError) Unwrap() error { return ErrInvalid }

func invalidf(format string, args ...any) error {
	return &formatError{msg: fmt.Sprintf(format, args...)}
}

// VersionError is a state file whose format version this berth cannot read.
type VersionError struct {
	Path    string // "" when decoding bytes without a file
	Version int
}

func (e *VersionError) Error() string {
	what := "state"
	if e.Path != "" {
		what = "state file " + e.Path
	}
	if e.Version > CurrentVersion {
		return fmt.Sprintf("%s was written by a newer berth (format version %d, this berth reads up to %d): upgrade berth",
			what, e.Version, CurrentVersion)
	}
	return fmt.Sprintf("%s has format version %d, which no berth ever wrote (this berth reads 1 to %d)",
		what, e.Version, CurrentVersion)
}

// Unwrap is ErrNewerVersion for a newer format and ErrInvalid otherwise.
func (e *VersionError) Unwrap() error {
	if e.Version > CurrentVersion {
		return ErrNewerVersion
	}
	return ErrInvalid
}

// LineageError is a write refused because the file on disk belongs to
// another state (another lineage).
type LineageError struct {
	Path          string
	OnDisk, Given string
}

func (e *LineageError) Error() string {
	return fmt.Sprintf("lineage mismatch: state file %s has lineage %s, the state to write has %s; "+
		"refusing to overwrite a different state (move the file away if that is really meant)",
		e.Path, e.OnDisk, e.Given)
}
func (e *LineageError) Unwrap() error { return ErrLineage }

// MoveError is a refused Move: Addr is the address that is missing
// (ErrNotFound) or already taken (ErrExists), or Err says why the move
// makes no sense.
type MoveError struct {
	From, To string
	Addr     string
	Err      error
}

func (e *MoveError) Error() string {
	msg := "cannot move " + e.From + " to " + e.To + ": "
	switch {
	case errors.Is(e.Err, ErrNotFound):
		return msg + e.Addr + " is not in the state (see berth state list)"
	case errors.Is(e.Err, ErrExists):
		return msg + e.Addr + " is already in the state; remove it first with berth state rm " + e.Addr
	}
	return msg + e.Err.Error()
}
func (e *MoveError) Unwrap() error { return e.Err }

// LockError is returned when another process (or another Lock in this
// one) holds the lock. Holder is what its lock info says; fields are empty
// when the holder has not written it (yet).
type LockError struct{ Holder LockInfo }

func (e *LockError) Error() string {
	h := e.Holder
	var b strings.Builder
	b.WriteString("state is locked by another berth process\n")
	field := func(name, value string) {
		if value == "" {
			value = "(unknown)"
		}
		b.WriteString("  " + name + ":" + strings.Repeat(" ", 10-len(name)) + value + "\n")
	}
	field("ID", h.ID)
	field("Path", h.Path)
	field("Operation", h.Operation)
	field("Who", h.Who)
	pid, created := "", ""
	if h.PID != 0 {
		pid = strconv.Itoa(h.PID)
	}
	if !h.Created.IsZero() {
		created = h.Created.Format(time.RFC3339)
	}
	field("PID", pid)
	field("Created", created)
	field("Version", h.Version)
	if h.ID == "" {
		b.WriteString("The holder left no lock info; wait for it to finish.")
	} else {
		b.WriteString("Wait for it to finish, or if it is gone, run: berth force-unlock " + h.ID)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrLocked) true.
func (e *LockError) Unwrap() error { return ErrLocked }
