package runtime

import (
	"os"

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
func init() {
	if isLibcontainerInit() {
		libcontainer.Init()
	}
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
