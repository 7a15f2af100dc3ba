package runtime

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// check validates a spec with defaults filled in.
func (s Spec) check() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(s.Args) == 0 || s.Args[0] == "" {
		bad("no command to run (neither the image nor the container sets one)")
	}
	for _, err := range []error{CheckHostname(s.Hostname), CheckWorkingDir(s.WorkingDir), CheckUser(s.User)} {
		if err != nil {
			bad("%v", err)
		}
	}
	problems = append(problems, s.textProblems()...)
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
	if err := CheckCapabilities(s.CapAdd, s.CapDrop); err != nil {
		bad("%v", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: container %s: %s", ErrInvalidSpec, s.ID, strings.Join(problems, "; "))
	}
	return nil
}

// textProblems lists the process strings with a NUL byte, and
// environment entries without a name.
func (s Spec) textProblems() []string {
	var p []string
	for i, a := range s.Args {
		if err := CheckText(a); err != nil {
			p = append(p, fmt.Sprintf("argument %d %v", i, err))
		}
	}
	for _, kv := range s.Env {
		k, _, _ := strings.Cut(kv, "=")
		if err := CheckEnvName(k); err != nil {
			p = append(p, err.Error())
		} else if err := CheckText(kv); err != nil {
			p = append(p, fmt.Sprintf("environment variable %s %v", k, err))
		}
	}
	for k, v := range s.Labels {
		if err := CheckText(k + v); err != nil {
			p = append(p, fmt.Sprintf("label %q %v", k, err))
		}
	}
	return p
}

func (m Mount) check() error {
	if err := CheckMountTarget(m.Target); err != nil {
		return err
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
	if err := CheckMemory(r.Memory); err != nil {
		p = append(p, err.Error())
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
