package runtime

import (
	"io"
	"os"
	"time"
)

// Types of the operating calls (Exec, Top, Stats); the calls themselves
// need Linux and cgo.

// ExecOptions describe an extra process to run in a running container.
type ExecOptions struct {
	// Args is the command and its arguments (looked up in the
	// container's PATH).
	Args []string
	// Env is NAME=VALUE pairs added to the container's environment,
	// overriding the same names.
	Env []string
	// User is USER[:GROUP] as in Spec.User; "" is the container's own.
	User string
	// WorkingDir is the directory to run in; "" is the container's own.
	WorkingDir string
	// IO connects the process to the caller, as for RunForeground:
	// Stdin (nil: /dev/null), Stdout, Stderr, Tty, Terminal (raw mode
	// and window size with Tty) and Signals (forwarded).
	IO ForegroundIO
}

// Process is one process of a running container, as berth top shows it.
type Process struct {
	PID     int           `json:"pid"` // in the host's PID namespace
	PPID    int           `json:"ppid"`
	UID     int           `json:"uid"`
	User    string        `json:"user"` // from the container's /etc/passwd, else the UID
	CPUTime time.Duration `json:"cpu_time"`
	Command string        `json:"command"` // its arguments, or [name] when it has none
}

// Stats is one sample of a running container's resource use, read from
// its cgroup (v1 files on cgroup v1 and hybrid hosts, v2 on unified ones)
// and from its network namespace.
type Stats struct {
	Time time.Time `json:"time"`
	// CPU is the CPU time used since the container started, in
	// nanoseconds: two samples give the CPU percentage.
	CPU uint64 `json:"cpu_ns"`
	// Memory is in use, without the inactive page cache (as docker stats
	// counts it); MemoryLimit is the cgroup limit, or the host's memory
	// when there is none.
	Memory      uint64 `json:"memory"`
	MemoryLimit uint64 `json:"memory_limit"`
	Pids        uint64 `json:"pids"`
	PidsLimit   uint64 `json:"pids_limit"` // 0: none
	BlockRead   uint64 `json:"block_read"`
	BlockWrite  uint64 `json:"block_write"`
	// NetRx and NetTx count the bytes through the container's own
	// network interfaces (loopback aside); zero with the host's network.
	NetRx uint64 `json:"net_rx"`
	NetTx uint64 `json:"net_tx"`
}

// DefaultDetachKeys end an attach session: Ctrl-P Ctrl-Q, as in Docker.
var DefaultDetachKeys = []byte{0x10, 0x11}

// AttachOptions connect the caller to a container's main process.
type AttachOptions struct {
	// Stdin is sent to the terminal, or to the stdin of a container
	// started with OpenStdin (nil: only watch). Stdout gets what the
	// terminal prints, or the process's stdout; Stderr its stderr (nil:
	// Stdout too).
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Terminal, when the caller has one and the container has a
	// terminal, is put in raw mode while Stdin is sent, and its size is
	// given to the container's and followed.
	Terminal *os.File
	// DetachKeys typed on Stdin end the session without stopping the
	// container; nil: none.
	DetachKeys []byte
}
