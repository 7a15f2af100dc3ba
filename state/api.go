package state

// API sketch the rest of berth codes against; the state helper implements
// it in the package's other files (and deletes this file's stubs).

import (
	"context"
	"time"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/zclconf/go-cty/cty"
)

// New returns an empty state with a fresh lineage and serial 0.
func New() *State { panic("todo") }

// Value decodes the attributes as a value of type ty.
func (r *Resource) Value(ty cty.Type) (cty.Value, error) { panic("todo") }

// SetValue encodes v (wholly known) as the attributes.
func (r *Resource) SetValue(v cty.Value) error { panic("todo") }

// Resource returns the instance at addr, or nil.
func (s *State) Resource(addr addrs.Instance) *Resource { panic("todo") }

// Set adds or replaces the record of r.Addr, keeping Resources sorted.
func (s *State) Set(r *Resource) { panic("todo") }

// Remove deletes the record at addr; it reports whether one existed.
func (s *State) Remove(addr addrs.Instance) bool { panic("todo") }

// DeepCopy returns an independent copy.
func (s *State) DeepCopy() *State { panic("todo") }

// Empty reports whether no resources and no outputs are recorded.
func (s *State) Empty() bool { panic("todo") }

// LockInfo says who holds a lock; it is written beside the state.
type LockInfo struct {
	ID        string
	Operation string // the command, e.g. "berth apply"
	Who       string // user@host
	PID       int
	Host      string
	Created   time.Time
	Version   string
	Path      string
}

// Store is a state file on disk with its lock and backup.
type Store struct{ Path string }

// Open returns the store for a state file path (the file need not exist).
func Open(path string) *Store { return &Store{Path: path} }

// Read loads the state; a missing file yields New(). A file that does not
// parse, or has a newer version, is an error and nothing is changed.
func (s *Store) Read() (*State, error) { panic("todo") }

// Write persists st atomically: serial+1, previous file kept as backup.
func (s *Store) Write(st *State) error { panic("todo") }

// Lock takes the lock for the whole operation, retrying until timeout; on
// failure the error is a *LockError naming the holder.
func (s *Store) Lock(ctx context.Context, operation string, timeout time.Duration) (*Lock, error) {
	panic("todo")
}

// Lock is a held lock.
type Lock struct{ Info LockInfo }

// Unlock releases the lock.
func (l *Lock) Unlock() error { panic("todo") }

// ForceUnlock removes a lock whose ID is id, whoever holds it.
func (s *Store) ForceUnlock(id string) error { panic("todo") }

// LockError is returned when another process holds the lock.
type LockError struct{ Holder LockInfo }

func (e *LockError) Error() string { panic("todo") }
