//go:build cgo

package runtime

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/sys/user"
	"github.com/opencontainers/cgroups"
	"github.com/opencontainers/cgroups/manager"
)

// clockTicks is USER_HZ, the unit of /proc/PID/stat times: 100 on every
// Linux architecture berth runs on.
const clockTicks = 100

// Top lists the processes in the container's cgroup (its main process,
// their children, and exec'd processes), by PID.
func (r *Runtime) Top(id string) ([]Process, error) {
	st, err := r.Status(id)
	if err != nil {
		return nil, err
	}
	if st.State != StateRunning {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotRunning, id, st.State)
	}
	pids, err := cgroupPids(id)
	if err != nil {
		return nil, err
	}
	names := passwdNames("/proc/" + strconv.Itoa(st.Pid) + "/root")
	out := make([]Process, 0, len(pids))
	for _, pid := range pids {
		p, err := readProcess(pid)
		if err != nil {
			continue // exited meanwhile
		}
		p.User = strconv.Itoa(p.UID)
		if n, ok := names[p.UID]; ok {
			p.User = n
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Process) int { return a.PID - b.PID })
	return out, nil
}

// cgroupPids lists every process in the container's cgroup.
func cgroupPids(id string) ([]int, error) {
	m, err := manager.New(&cgroups.Cgroup{Path: cgroupPath(id), Resources: &cgroups.Resources{}})
	if err != nil {
		return nil, fmt.Errorf("cgroup of %s: %w", id, err)
	}
	pids, err := m.GetAllPids()
	if err != nil {
		return nil, fmt.Errorf("processes of %s: %w", id, err)
	}
	return pids, nil
}

// readProcess reads /proc/PID/stat, status and cmdline.
func readProcess(pid int) (Process, error) {
	p := Process{PID: pid}
	dir := "/proc/" + strconv.Itoa(pid)
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return p, err
	}
	// pid (comm) state ppid ... utime(14) stime(15): comm may hold spaces
	// and parentheses, so split after its last ')'.
	end := bytes.LastIndexByte(stat, ')')
	start := bytes.IndexByte(stat, '(')
	if end < 0 || start < 0 {
		return p, fmt.Errorf("%s/stat: unexpected format", dir)
	}
	comm := string(stat[start+1 : end])
	f := strings.Fields(string(stat[end+1:]))
	if len(f) < 13 {
		return p, fmt.Errorf("%s/stat: unexpected format", dir)
	}
	p.PPID, _ = strconv.Atoi(f[1])
	utime, _ := strconv.ParseUint(f[11], 10, 64)
	stime, _ := strconv.ParseUint(f[12], 10, 64)
	p.CPUTime = time.Duration(utime+stime) * time.Second / clockTicks
	p.UID = processUID(dir)
	cmdline, _ := os.ReadFile(dir + "/cmdline")
	p.Command = strings.TrimSpace(strings.ReplaceAll(string(bytes.TrimRight(cmdline, "\x00")), "\x00", " "))
	if p.Command == "" {
		p.Command = "[" + comm + "]"
	}
	return p, nil
}

// processUID is the real UID in /proc/PID/status.
func processUID(dir string) int {
	data, err := os.ReadFile(dir + "/status")
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				uid, _ := strconv.Atoi(f[0])
				return uid
			}
		}
	}
	return -1
}

// passwdNames reads the user names of the container's /etc/passwd,
// inside its root.
func passwdNames(rootfs string) map[int]string {
	rd, closeFn := openUserDB(rootfs, "/etc/passwd")
	defer closeFn()
	names := map[int]string{}
	if rd == nil {
		return names
	}
	users, err := user.ParsePasswd(rd)
	if err != nil {
		return names
	}
	for _, u := range users {
		if _, ok := names[u.Uid]; !ok {
			names[u.Uid] = u.Name
		}
	}
	return names
}
