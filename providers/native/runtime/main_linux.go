//go:build cgo

package runtime

import (
	"os"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/opencontainers/runc/libcontainer"
	// nsenter's C constructor joins and creates namespaces in the
	// re-executed "init" before the Go runtime starts.
	_ "github.com/opencontainers/runc/libcontainer/nsenter"
	// Device cgroup management; without it every container with device
	// rules fails to start.
	_ "github.com/opencontainers/cgroups/devices"
)

// supervisorArg is os.Args[1] of a re-executed supervisor:
// <binary> __berth-supervise <root> <id>.
const supervisorArg = "__berth-supervise"

// init turns a process re-executed by libcontainer ("<binary> init" with
// its pipes in the environment) into the container's init: it runs
// before main and never returns. The environment check keeps a CLI
// command named "init" (berth init) working.
//
// It first asks for SIGKILL when its parent dies. nsexec's clones have
// made this process a direct child of the supervisor (CLONE_PARENT) and
// cleared the death signal libcontainer set on the first stage; set here,
// it survives libcontainer's setuid (which restores it) and the exec of
// the container's process, so a container dies with its supervisor
// instead of running unwatched. The supervisor forks from one thread that
// lives as long as it does (onForkThread), since the signal follows the
// parent thread.
func init() {
	if isLibcontainerInit() {
		_ = unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0)
		libcontainer.Init()
	}
}

var (
	forkOnce  sync.Once
	forkFuncs = make(chan func())
)

// onForkThread runs fn on a goroutine locked to one OS thread for the
// life of the process, so that children forked there keep their parent
// thread (see init).
func onForkThread(fn func()) {
	forkOnce.Do(func() {
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives until exit
			for f := range forkFuncs {
				f()
			}
		}()
	})
	done := make(chan struct{})
	forkFuncs <- func() { defer close(done); fn() }
	<-done
}

func isLibcontainerInit() bool {
	return len(os.Args) > 1 && os.Args[1] == "init" && os.Getenv("_LIBCONTAINER_INITPIPE") != ""
}

// Main handles the processes the runtime re-executes the binary as. Call
// it first thing in main (and in TestMain). It returns false in a normal
// invocation; as a supervisor it runs until the container is stopped and
// exits the process, never returning.
func Main() bool {
	if isLibcontainerInit() {
		libcontainer.Init() // not reached: init() already ran it
	}
	if len(os.Args) == 4 && os.Args[1] == supervisorArg {
		os.Exit(supervise(os.Args[2], os.Args[3]))
	}
	return false
}
