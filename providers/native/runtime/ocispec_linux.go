//go:build cgo

package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	mobyseccomp "github.com/moby/profiles/seccomp"
	"github.com/moby/sys/capability"
	"github.com/opencontainers/runc/libcontainer/configs"
	"github.com/opencontainers/runc/libcontainer/specconv"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Docker's masked and read-only paths.
var (
	maskedPaths = []string{
		"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
		"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
		"/sys/devices/virtual/powercap",
	}
	readonlyPaths = []string{
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
	}
)

const (
	cpuPeriod     = 100000 // µs, the CFS default
	nofileSoft    = 1024
	nofileHard    = 524288
	devShmOptions = "size=65536k"
)

// containerConfig builds libcontainer's config for s: an OCI runtime spec
// with Docker's defaults, converted by runc's specconv.
func containerConfig(dir string, s Spec, u execUser) (*configs.Config, error) {
	oci, err := ociSpec(dir, s, u)
	if err != nil {
		return nil, err
	}
	cfg, err := specconv.CreateLibcontainerConfig(&specconv.CreateOpts{CgroupName: s.ID, Spec: oci})
	if err != nil {
		return nil, fmt.Errorf("container config: %w", err)
	}
	// The container dies with its supervisor rather than run unwatched.
	cfg.ParentDeathSignal = int(unix.SIGKILL)
	cfg.Rlimits = []configs.Rlimit{nofileLimit()}
	cfg.Labels = append(cfg.Labels, "berth.id="+s.ID, "berth.name="+s.Name)
	return cfg, nil
}

// ociSpec is the runtime spec Docker would produce for s (minus what
// berth does not support).
func ociSpec(dir string, s Spec, u execUser) (*specs.Spec, error) {
	caps, err := capabilitySet(s.CapAdd, s.CapDrop)
	if err != nil {
		return nil, err
	}
	ns, err := namespaces(s.Network)
	if err != nil {
		return nil, err
	}
	spec := &specs.Spec{
		Version:  specs.Version,
		Root:     &specs.Root{Path: filepath.Join(dir, rootfsDir), Readonly: s.ReadOnly},
		Hostname: s.Hostname,
		Mounts:   mounts(dir, s),
		Process: &specs.Process{
			User:            specs.User{UID: uint32(u.uid), GID: uint32(u.gid)},
			Capabilities:    &specs.LinuxCapabilities{Bounding: caps, Effective: caps, Permitted: caps},
			NoNewPrivileges: true,
		},
		Linux: &specs.Linux{
			CgroupsPath:   cgroupPath(s.ID),
			Namespaces:    ns,
			Resources:     resources(s.Resources),
			MaskedPaths:   maskedPaths,
			ReadonlyPaths: readonlyPaths,
			Sysctl:        sysctls(s.Network),
		},
	}
	if spec.Linux.Seccomp, err = mobyseccomp.GetDefaultProfile(spec); err != nil {
		return nil, fmt.Errorf("default seccomp profile: %w", err)
	}
	trimArchitectures(spec.Linux.Seccomp, spec.Root.Path, s.Args)
	return spec, nil
}

// nofileLimit is 1024 soft, 524288 hard (Docker's), lowered to our own
// hard limit when we may not raise it (no CAP_SYS_RESOURCE).
func nofileLimit() configs.Rlimit {
	l := configs.Rlimit{Type: unix.RLIMIT_NOFILE, Soft: nofileSoft, Hard: nofileHard}
	var cur unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &cur); err != nil || cur.Max >= l.Hard {
		return l
	}
	if caps, err := capability.NewPid2(0); err == nil && caps.Load() == nil &&
		caps.Get(capability.EFFECTIVE, capability.CAP_SYS_RESOURCE) {
		return l
	}
	l.Hard = cur.Max
	l.Soft = min(l.Soft, l.Hard)
	return l
}

func namespaces(n NetworkMode) ([]specs.LinuxNamespace, error) {
	ns := []specs.LinuxNamespace{
		{Type: specs.MountNamespace}, {Type: specs.UTSNamespace},
		{Type: specs.IPCNamespace}, {Type: specs.PIDNamespace},
	}
	switch n.Mode {
	case NetworkNone:
		ns = append(ns, specs.LinuxNamespace{Type: specs.NetworkNamespace})
	case NetworkPath:
		if _, err := os.Stat(n.NetNSPath); err != nil {
			return nil, fmt.Errorf("network namespace: %w", err)
		}
		ns = append(ns, specs.LinuxNamespace{Type: specs.NetworkNamespace, Path: n.NetNSPath})
	}
	if _, err := os.Stat("/proc/self/ns/cgroup"); err == nil {
		ns = append(ns, specs.LinuxNamespace{Type: specs.CgroupNamespace})
	}
	return ns, nil
}

// sysctls: in its own network namespace a process may bind ports below
// 1024 and send pings without privileges, as in Docker.
func sysctls(n NetworkMode) map[string]string {
	if n.Mode == NetworkHost {
		return nil
	}
	return map[string]string{
		"net.ipv4.ip_unprivileged_port_start": "0",
		"net.ipv4.ping_group_range":           "0 2147483647",
	}
}

func resources(r Resources) *specs.LinuxResources {
	out := &specs.LinuxResources{
		// Deny every device; specconv appends the default allow list.
		Devices: []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
	}
	if r.Memory > 0 {
		out.Memory = &specs.LinuxMemory{Limit: &r.Memory}
	}
	if r.CPUs > 0 {
		quota, period := int64(r.CPUs*cpuPeriod), uint64(cpuPeriod)
		out.CPU = &specs.LinuxCPU{Quota: &quota, Period: &period}
	}
	pids := r.pidsLimit()
	out.Pids = &specs.LinuxPids{Limit: &pids}
	return out
}

// mounts are Docker's default mounts, the /etc files, then the
// container's own mounts, parents before children.
func mounts(dir string, s Spec) []specs.Mount {
	m := []specs.Mount{
		{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
		{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
		{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
		{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "ro"}},
		{Destination: "/sys/fs/cgroup", Type: "cgroup", Source: "cgroup", Options: []string{"nosuid", "noexec", "nodev", "relatime", "ro"}},
		{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
		{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", devShmOptions}},
	}
	for _, name := range []string{hostnameFile, hostsFile, resolvFile} {
		opts := []string{"rbind", "rprivate"}
		if s.ReadOnly {
			opts = append(opts, "ro")
		}
		m = append(m, specs.Mount{Destination: "/etc/" + name, Type: "bind", Source: filepath.Join(dir, etcDir, name), Options: opts})
	}
	own := slices.Clone(s.Mounts)
	slices.SortStableFunc(own, func(a, b Mount) int { return depth(a.Target) - depth(b.Target) })
	for _, um := range own {
		m = append(m, userMount(um))
	}
	return m
}

func depth(p string) int { return strings.Count(filepath.Clean(p), "/") }

func userMount(um Mount) specs.Mount {
	if um.Type == MountTmpfs {
		opts := []string{"nosuid", "nodev", "mode=1777"}
		if um.Size > 0 {
			opts = append(opts, "size="+strconv.FormatInt(um.Size, 10))
		}
		if um.ReadOnly {
			opts = append(opts, "ro")
		}
		return specs.Mount{Destination: um.Target, Type: "tmpfs", Source: "tmpfs", Options: opts}
	}
	opts := []string{"rbind", "rprivate"}
	if um.ReadOnly {
		opts = append(opts, "ro")
	}
	return specs.Mount{Destination: um.Target, Type: "bind", Source: um.Source, Options: opts}
}
