package main

import "os"

// A later change adds an init() here: when the binary is re-executed as a
// libcontainer init or container supervisor process (recognised from
// os.Args before any CLI parsing), init takes over the process and never
// returns to main. Keep main free of side effects that must not run in
// those processes.

func main() {
	stop := startProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}
