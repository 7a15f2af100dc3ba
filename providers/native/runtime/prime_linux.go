//go:build cgo

package runtime

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/opencontainers/cgroups"
)

var primeOnce sync.Once

// PrimeStart makes the next container start faster; call it, as early as
// possible, when one is coming. RunForeground and Create call it too.
//
// Moving a process into a cgroup takes the kernel's cgroup threadgroup
// lock for writing, which waits for an RCU grace period (5 to 15 ms on a
// cgroup v1 host) unless a writer took it shortly before. Every start
// pays that once, when libcontainer moves the container's first process
// into its cgroups (runc too). PrimeStart takes the lock in the
// background by writing this process's own PID into the cgroup it is
// already in, which changes nothing, so the grace period passes while
// the start is being prepared rather than in its way. (A host can avoid
// the wait altogether by mounting its cgroup hierarchies with the
// favordynmods option.)
func PrimeStart() {
	primeOnce.Do(func() { go primeCgroupAttach() })
}

func primeCgroupAttach() {
	path := ownCgroupProcs()
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()))
}

// ownCgroupProcs is the cgroup.procs file of the cgroup this process is
// in: in the unified hierarchy, or in the first v1 hierarchy found at
// /sys/fs/cgroup/<controller>.
func ownCgroupProcs() string {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return ""
	}
	unified := cgroups.IsCgroup2UnifiedMode()
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		ctrls, rel := parts[1], parts[2]
		switch {
		case unified && parts[0] == "0" && ctrls == "":
			return filepath.Join("/sys/fs/cgroup", rel, "cgroup.procs")
		case !unified && ctrls != "" && !strings.Contains(ctrls, "="):
			name, _, _ := strings.Cut(ctrls, ",")
			p := filepath.Join("/sys/fs/cgroup", name, rel, "cgroup.procs")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	return ""
}
