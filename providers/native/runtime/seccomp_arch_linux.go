//go:build cgo

package runtime

import (
	"slices"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// withoutX32 takes the x32 ABI out of the profile's architectures.
//
// Docker's profile lists it next to x86_64 and x86, and libseccomp then
// compiles every rule a third time: about half the compile time, which
// every container start pays in its init (some 7 ms of a 13 ms compile
// here). Without it the filter is stricter, not looser: libseccomp makes
// an x86_64 filter kill the thread on any x32 system call (numbers with
// bit 30 set) instead of filtering it. x32 binaries are all but extinct
// and most distribution kernels disable the ABI (syscall.x32=n). The x86
// (i386) ABI stays, so 32-bit programs run as under Docker.
func withoutX32(p *specs.LinuxSeccomp) {
	if p == nil {
		return
	}
	p.Architectures = slices.DeleteFunc(p.Architectures, func(a specs.Arch) bool {
		return a == specs.ArchX32
	})
}
