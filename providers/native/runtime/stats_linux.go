//go:build cgo

package runtime

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opencontainers/cgroups"
	"github.com/opencontainers/cgroups/manager"
)

// Stats samples the resource use of the running container id.
func (r *Runtime) Stats(id string) (*Stats, error) {
	st, err := r.Status(id)
	if err != nil {
		return nil, err
	}
	if st.State != StateRunning {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotRunning, id, st.State)
	}
	m, err := manager.New(&cgroups.Cgroup{Path: cgroupPath(id), Resources: &cgroups.Resources{}})
	if err != nil {
		return nil, fmt.Errorf("cgroup of %s: %w", id, err)
	}
	cs, err := m.GetStats()
	if err != nil {
		return nil, fmt.Errorf("cgroup statistics of %s: %w", id, err)
	}
	s := &Stats{Time: time.Now(), CPU: cs.CpuStats.CpuUsage.TotalUsage, Pids: cs.PidsStats.Current, PidsLimit: cs.PidsStats.Limit}
	s.Memory, s.MemoryLimit = memoryUse(cs.MemoryStats)
	for _, e := range cs.BlkioStats.IoServiceBytesRecursive {
		switch strings.ToLower(e.Op) {
		case "read":
			s.BlockRead += e.Value
		case "write":
			s.BlockWrite += e.Value
		}
	}
	if st.Spec.Network.Mode != NetworkHost {
		s.NetRx, s.NetTx = netDev("/proc/" + strconv.Itoa(st.Pid) + "/net/dev")
	}
	return s, nil
}

// memoryUse is the usage without inactive file pages (cgroup v1 names
// them total_inactive_file, v2 inactive_file) and the limit, the host's
// memory when unlimited.
func memoryUse(ms cgroups.MemoryStats) (usage, limit uint64) {
	usage = ms.Usage.Usage
	inactive, ok := ms.Stats["total_inactive_file"]
	if !ok {
		inactive = ms.Stats["inactive_file"]
	}
	if inactive < usage {
		usage -= inactive
	}
	limit = ms.Usage.Limit
	if host := hostMemory(); host > 0 && (limit == 0 || limit > host) {
		limit = host
	}
	return usage, limit
}

var hostMemory = sync.OnceValue(func() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
})

// netDev sums the received and sent bytes of every interface but lo in
// a /proc/PID/net/dev file.
func netDev(path string) (rx, tx uint64) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "lo" {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 9 {
			continue
		}
		r, _ := strconv.ParseUint(f[0], 10, 64)
		t, _ := strconv.ParseUint(f[8], 10, 64)
		rx, tx = rx+r, tx+t
	}
	return rx, tx
}
