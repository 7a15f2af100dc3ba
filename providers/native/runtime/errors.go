package runtime

import (
	"errors"
	"strconv"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNotFound: no container with that ID under the runtime root.
	ErrNotFound = errors.New("container not found")
	// ErrExists: Create with an ID that is already used.
	ErrExists = errors.New("container already exists")
	// ErrInvalidID: the ID is not usable as a directory and cgroup name.
	ErrInvalidID = errors.New("invalid container ID")
	// ErrInvalidSpec: the Spec does not describe a runnable container.
	ErrInvalidSpec = errors.New("invalid container spec")
	// ErrRunning: the operation needs a stopped container (Remove without force).
	ErrRunning = errors.New("container is running")
	// ErrNotRunning: the operation needs a running container (Kill).
	ErrNotRunning = errors.New("container is not running")
	// ErrNoSeccomp: the binary was built without seccomp support, and
	// the runtime refuses to run containers without the default profile.
	ErrNoSeccomp = errors.New("berth was built without seccomp support (build with CGO_ENABLED=1 and -tags seccomp, libseccomp-dev installed)")
	// ErrUnsupported: the native runtime needs Linux and cgo.
	ErrUnsupported = errors.New("the native container runtime needs Linux and a cgo build")
)

// ErrNameTaken: Create with a name another container holds; the error is
// a *NameTakenError naming the holder.
var ErrNameTaken = errors.New("container name taken")

// NameTakenError is Create's error when a container of that name exists
// (running or not). Holder is that container's status, whose labels tell
// who made it.
type NameTakenError struct {
	Name   string
	Holder *Status
}

func (e *NameTakenError) Error() string {
	return "a container named " + strconv.Quote(e.Name) + " already exists (" + shortID(e.Holder.ID) + ", " + e.Holder.State + ")"
}

func (e *NameTakenError) Unwrap() error { return ErrNameTaken }
