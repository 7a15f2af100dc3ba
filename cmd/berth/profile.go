package main

import (
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile to $BERTH_CPUPROFILE when it is set,
// for finding what a slow command spends its time on. The returned
// function stops it.
func startProfile() func() {
	path := os.Getenv("BERTH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
