package runtime

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

// Spec describes one container. Process fields (Args, Env, WorkingDir,
// User) are final: the caller has already merged them with the image's
// config (MergeImageConfig).
type Spec struct {
	ID     string            `json:"id"`
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`

	// LowerDirs are the image's layer directories, lowest first (the
	// overlay lowerdir option lists them the other way round).
	LowerDirs []string `json:"lower_dirs"`

	Args       []string `json:"args"`
	Env        []string `json:"env,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"` // default "/"
	User       string   `json:"user,omitempty"`        // uid, name, uid:gid or name:group; default root

	Hostname string  `json:"hostname,omitempty"` // default: Name if it is a valid hostname, else ID[:12]
	ReadOnly bool    `json:"read_only,omitempty"`
	Mounts   []Mount `json:"mounts,omitempty"`

	Resources Resources `json:"resources"`
	CapAdd    []string  `json:"cap_add,omitempty"`
	CapDrop   []string  `json:"cap_drop,omitempty"`

	Restart     string        `json:"restart,omitempty"` // RestartNo (default), RestartAlways, RestartOnFailure, RestartUnlessStopped
	Health      *Health       `json:"health,omitempty"`
	StopSignal  string        `json:"stop_signal,omitempty"`  // default SIGTERM
	StopTimeout time.Duration `json:"stop_timeout,omitempty"` // default DefaultStopTimeout

	Network NetworkMode `json:"network"`
	Tty     bool        `json:"tty,omitempty"`
	// OpenStdin keeps the main process's stdin open, like docker run -i:
	// without Tty it reads a pipe the supervisor holds and Attach writes
	// to; without OpenStdin (and without Tty) its stdin is /dev/null.
	// With Tty its stdin is the terminal, always open.
	OpenStdin bool `json:"open_stdin,omitempty"`

	// AutoRemove removes the container once its main process has exited
	// for good (the restart policy will not restart it, or it was
	// stopped), like docker run --rm: the supervisor does it for a
	// container made by Create, RunForeground on its return.
	AutoRemove bool `json:"auto_remove,omitempty"`

	// Hosts are /etc/hosts lines after the defaults, and ResolvConf the
	// /etc/resolv.conf, written at create (nil: the host's, as
	// HostResolvConf gives it); networks keep both current later with
	// WriteHosts and WriteResolvConf.
	Hosts      []HostEntry `json:"hosts,omitempty"`
	ResolvConf *ResolvConf `json:"resolv_conf,omitempty"`
}

// Restart policies.
const (
	RestartNo            = "no"
	RestartAlways        = "always"
	RestartOnFailure     = "on-failure"
	RestartUnlessStopped = "unless-stopped"
)

// Mount types.
const (
	MountBind   = "bind"
	MountVolume = "volume" // a bind mount of a host directory the caller made
	MountTmpfs  = "tmpfs"
)

// Mount is one mount inside the container.
type Mount struct {
	Type     string `json:"type"`
	Source   string `json:"source,omitempty"` // absolute host path; empty for tmpfs
	Target   string `json:"target"`
	ReadOnly bool   `json:"read_only,omitempty"`
	Size     int64  `json:"size,omitempty"` // tmpfs size in bytes; 0 = the kernel's default (half of RAM)
}

// Resources are cgroup limits; zero means unlimited, except Pids.
type Resources struct {
	Memory int64   `json:"memory,omitempty"` // bytes
	CPUs   float64 `json:"cpus,omitempty"`   // cores, e.g. 0.5
	Pids   int64   `json:"pids,omitempty"`   // 0 = DefaultPidsLimit; -1 = unlimited
}

// Health is a health check run inside the container by the supervisor.
// Zero durations and retries take Docker's defaults (30 s, 30 s, 0, 3).
type Health struct {
	// Command is run in the container: exec form, or Docker's forms
	// ["CMD", args...] and ["CMD-SHELL", "shell command"].
	Command     []string      `json:"command"`
	Interval    time.Duration `json:"interval,omitempty"`
	Timeout     time.Duration `json:"timeout,omitempty"`
	StartPeriod time.Duration `json:"start_period,omitempty"`
	Retries     int           `json:"retries,omitempty"`
}

// Network modes.
const (
	NetworkNone = "none" // own network namespace with only loopback (the default)
	NetworkHost = "host" // the host's network namespace
	NetworkPath = "path" // join the network namespace at NetNSPath
)

// NetworkMode says which network namespace the container gets.
type NetworkMode struct {
	Mode      string `json:"mode,omitempty"`
	NetNSPath string `json:"netns_path,omitempty"`
}

// Defaults.
const (
	DefaultStopTimeout = 10 * time.Second
	DefaultStopSignal  = "SIGTERM"
	// DefaultPidsLimit applies when Resources.Pids is 0. Docker sets no
	// limit; 4096 stops a fork bomb while leaving room for any sane
	// service (Podman uses 2048).
	DefaultPidsLimit  = 4096
	defaultInterval   = 30 * time.Second
	defaultTimeout    = 30 * time.Second
	defaultRetries    = 3
	defaultPathEnv    = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	maxHealthLog      = 5
	maxHealthOutput   = 4096
	maxIDLength       = 64
	shortIDLength     = 12
	defaultTmpfsFlags = "nosuid,nodev,noexec"
)

var idPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// validHostname reports whether h is a hostname of RFC 1123 labels: each
// 1 to 63 letters, digits and '-', not starting or ending with '-'; at
// most 253 bytes in all. (Written out rather than as a regexp: its
// bounded repetitions compile into a large program at every start of the
// binary, container inits included.)
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// ValidID reports whether id can name a container: letters, digits,
// '_', '.', '-', starting with a letter or digit, at most 64 bytes.
func ValidID(id string) bool {
	return len(id) <= maxIDLength && idPattern.MatchString(id)
}

// withDefaults returns a copy of s with every default filled in and
// checks it. The stored spec (Status.Spec) is this normalised copy.
func (s Spec) withDefaults() (Spec, error) {
	if !ValidID(s.ID) {
		return s, fmt.Errorf("%w: %q", ErrInvalidID, s.ID)
	}
	if s.Network.Mode == NetworkHost && s.Hostname == "" {
		s.Hostname, _ = os.Hostname() // as Docker does with the host's network
	}
	if s.Hostname == "" {
		s.Hostname = defaultHostname(s)
	}
	if s.WorkingDir == "" {
		s.WorkingDir = "/"
	}
	if s.Restart == "" {
		s.Restart = RestartNo
	}
	if s.StopSignal == "" {
		s.StopSignal = DefaultStopSignal
	}
	if s.StopTimeout <= 0 {
		s.StopTimeout = DefaultStopTimeout
	}
	if s.Network.Mode == "" {
		s.Network.Mode = NetworkNone
	}
	if s.Health != nil {
		h := s.Health.withDefaults()
		s.Health = &h
	}
	return s, s.check()
}

func defaultHostname(s Spec) string {
	if len(s.Name) <= 63 && validHostname(s.Name) {
		return s.Name
	}
	return shortID(s.ID)
}

func shortID(id string) string {
	if len(id) > shortIDLength {
		return id[:shortIDLength]
	}
	return id
}

func (h Health) withDefaults() Health {
	if h.Interval <= 0 {
		h.Interval = defaultInterval
	}
	if h.Timeout <= 0 {
		h.Timeout = defaultTimeout
	}
	if h.Retries <= 0 {
		h.Retries = defaultRetries
	}
	return h
}
