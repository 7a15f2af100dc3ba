package runtime

import "errors"

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
