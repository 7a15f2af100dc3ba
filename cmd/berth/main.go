package main

import (
	"os"
	"runtime/debug"

	"github.com/berthhq/berth/providers/native/runtime"
)

// The native runtime re-executes this binary as a libcontainer init (run
// by an init() in package runtime, before main) and as a container
// supervisor (runtime.Main). Keep main free of side effects that must not
// run in those processes.

func main() {
	if runtime.Main() {
		return
	}
	// A CLI run is short and its heap small: trade a little memory for
	// much less garbage collection (unless the user set GOGC).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	stop := startProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}
