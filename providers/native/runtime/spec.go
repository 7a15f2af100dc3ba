package runtime

import (
	"fmt"
	"path"
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

var (
	idPattern       = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)
	hostnamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$`)
)

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
	if s.Name != "" && len(s.Name) <= 63 && hostnamePattern.MatchString(s.Name) {
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

// check validates a spec with defaults filled in.
func (s Spec) check() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(s.Args) == 0 || s.Args[0] == "" {
		bad("no command to run (neither the image nor the container sets one)")
	}
	if !hostnamePattern.MatchString(s.Hostname) || len(s.Hostname) > 253 {
		bad("invalid hostname %q", s.Hostname)
	}
	if !path.IsAbs(s.WorkingDir) {
		bad("working directory %q is not absolute", s.WorkingDir)
	}
	switch s.Restart {
	case RestartNo, RestartAlways, RestartOnFailure, RestartUnlessStopped:
	default:
		bad("unknown restart policy %q (want no, always, on-failure or unless-stopped)", s.Restart)
	}
	if _, err := ParseSignal(s.StopSignal); err != nil {
		bad("%v", err)
	}
	for _, d := range s.LowerDirs {
		if !path.IsAbs(d) || strings.ContainsAny(d, ":,") {
			bad("layer directory %q must be absolute and contain no ':' or ','", d)
		}
	}
	for i, m := range s.Mounts {
		if err := m.check(); err != nil {
			bad("mount %d: %v", i, err)
		}
	}
	problems = append(problems, s.Network.problems()...)
	problems = append(problems, s.Resources.problems()...)
	if s.Health != nil && len(s.Health.Command) == 0 {
		bad("health check without a command")
	}
	if _, err := capabilitySet(s.CapAdd, s.CapDrop); err != nil {
		bad("%v", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: container %s: %s", ErrInvalidSpec, s.ID, strings.Join(problems, "; "))
	}
	return nil
}

func (m Mount) check() error {
	if !path.IsAbs(m.Target) || path.Clean(m.Target) == "/" {
		return fmt.Errorf("target %q must be an absolute path other than /", m.Target)
	}
	switch m.Type {
	case MountBind, MountVolume:
		if !path.IsAbs(m.Source) {
			return fmt.Errorf("%s source %q must be an absolute host path", m.Type, m.Source)
		}
		if m.Size != 0 {
			return fmt.Errorf("size is only for tmpfs mounts")
		}
	case MountTmpfs:
		if m.Source != "" {
			return fmt.Errorf("a tmpfs mount has no source")
		}
		if m.Size < 0 {
			return fmt.Errorf("negative tmpfs size")
		}
	default:
		return fmt.Errorf("unknown mount type %q (want bind, volume or tmpfs)", m.Type)
	}
	return nil
}

func (n NetworkMode) problems() []string {
	switch n.Mode {
	case NetworkNone, NetworkHost:
		if n.NetNSPath != "" {
			return []string{fmt.Sprintf("network mode %s takes no namespace path", n.Mode)}
		}
	case NetworkPath:
		if !path.IsAbs(n.NetNSPath) {
			return []string{fmt.Sprintf("network namespace path %q must be absolute", n.NetNSPath)}
		}
	default:
		return []string{fmt.Sprintf("unknown network mode %q (want none, host or path)", n.Mode)}
	}
	return nil
}

func (r Resources) problems() []string {
	var p []string
	if r.Memory < 0 {
		p = append(p, "negative memory limit")
	}
	if r.Memory > 0 && r.Memory < 6*1024*1024 {
		p = append(p, "memory limit below 6 MiB")
	}
	if r.CPUs < 0 {
		p = append(p, "negative cpus")
	}
	if r.Pids < -1 {
		p = append(p, "pids must be positive, 0 (default) or -1 (unlimited)")
	}
	return p
}

// pidsLimit is the limit to set in the pids cgroup; -1 means none.
func (r Resources) pidsLimit() int64 {
	if r.Pids == 0 {
		return DefaultPidsLimit
	}
	return r.Pids
}

// Update holds what can change on a live container: the cgroup limits
// and what the supervisor re-reads. Every field replaces the current one,
// with the same defaults as in Spec.
type Update struct {
	Resources   Resources
	Restart     string
	Health      *Health
	StopSignal  string
	StopTimeout time.Duration
}

// apply returns s with u's fields, normalised and checked.
func (u Update) apply(s Spec) (Spec, error) {
	s.Resources, s.Restart, s.Health = u.Resources, u.Restart, u.Health
	s.StopSignal, s.StopTimeout = u.StopSignal, u.StopTimeout
	return s.withDefaults()
}
