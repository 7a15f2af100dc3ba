package main

import (
	"os"

	"github.com/berthhq/berth/providers/native/runtime"
)

// The native runtime re-executes this binary as a libcontainer init (run
// by an init() in package runtime, before main) and as a container
// supervisor (runtime.Main). Keep main free of side effects that must not
// run in those processes.

func main() {
	runtime.TMark("main")
	if runtime.Main() {
		return
	}
	stop := startProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}
