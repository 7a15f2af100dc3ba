package runtime

import (
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Stray children of a supervisor.
//
// libcontainer starts a process in a container (an exec, a health check)
// through runc init, whose C part clones two more processes with
// CLONE_PARENT: "runc:[1:CHILD]" and "runc:[2:INIT]" are children of the
// supervisor itself. On success libcontainer waits for both; when the
// setns fails midway (the container is exiting, say) it returns an error
// and waits for neither. Those zombies are never reaped, and worse: one
// that had joined the container's PID namespace keeps the container's
// init in the kernel's zap_pid_ns_processes, waiting for every process of
// the namespace to be reaped, so the container never finishes exiting
// and the supervisor waits for it forever. The reaper below reaps them.

// strayNames are the names of runc init's stages that libcontainer may
// leave behind; a process that exec'd its command has that command's
// name, and "runc:[0:PARENT]", which libcontainer always waits for, is
// not one of them.
var strayNames = []string{"runc:[1:CHILD]", "runc:[2:INIT]"}

// reapStrays reaps stray zombie children whenever a child changes state
// (and every few seconds besides) until stop is closed. keep reports a
// pid that is not to be touched (the container's init).
func reapStrays(keep func(pid int) bool, stop <-chan struct{}) {
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, unix.SIGCHLD)
	defer signal.Stop(chld)
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-chld:
		case <-tick.C:
		}
		reapStraysOnce(os.Getpid(), keep)
	}
}

// reapStraysOnce reaps the stray zombies among pid's children.
func reapStraysOnce(pid int, keep func(int) bool) {
	for _, c := range childrenOf(pid) {
		if !keep(c) && isStrayZombie(c) {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(c, &ws, unix.WNOHANG, nil)
		}
	}
}

// childrenOf lists pid's children: from every thread's children file,
// or, where the kernel lacks CONFIG_PROC_CHILDREN, from the parent pid
// of every process.
func childrenOf(pid int) []int {
	files, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	if len(files) == 0 {
		return childrenByScan(pid)
	}
	var out []int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func childrenByScan(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, f := range stats {
		if _, ppid, _, ok := readStat(f); ok && ppid == pid {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			out = append(out, n)
		}
	}
	return out
}

// readStat reads a /proc/PID/stat file: the command name, parent pid and
// state.
func readStat(path string) (comm string, ppid int, state byte, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, 0, false
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, 0, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 2 || len(f[0]) != 1 {
		return "", 0, 0, false
	}
	ppid, err = strconv.Atoi(f[1])
	return s[open+1 : end], ppid, f[0][0], err == nil
}

// isStrayZombie reports whether pid is a zombie left by runc init.
func isStrayZombie(pid int) bool {
	comm, _, state, ok := readStat("/proc/" + strconv.Itoa(pid) + "/stat")
	if !ok || state != 'Z' {
		return false
	}
	for _, n := range strayNames {
		if comm == n {
			return true
		}
	}
	return false
}
