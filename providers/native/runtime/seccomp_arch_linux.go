//go:build cgo

package runtime

import (
	"io"
	"path"
	goruntime "runtime"
	"slices"

	"github.com/cyphar/filepath-securejoin/pathrs-lite"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Docker's profile lists the host's native architecture and its
// compatibility ABIs (x86_64 with x86 and x32, aarch64 with arm), and
// libseccomp compiles every rule once per architecture, in the
// container's init, at every start: with all three on x86_64 the compile
// is some 13 ms, with x86_64 alone about 1.5 ms. Without an ABI in the
// filter, libseccomp makes the filter kill the thread on any system call
// made through it, so leaving one out is stricter, never looser, and only
// matters to programs of that ABI.
//
// So the filter keeps:
//   - never x32, all but extinct (and disabled in most distribution
//     kernels, syscall.x32=n);
//   - the 32-bit ABI (x86, arm) when the container may run 32-bit
//     programs: its image has the 32-bit dynamic loader or library
//     directories of a multilib system, or its /bin/sh or the command
//     itself is a 32-bit executable (a 32-bit image). Containers of
//     64-bit images, the common case, start that much faster; 32-bit
//     and multilib ones run as under Docker.
//
// Other host architectures keep the profile as it is.

// compat32Markers are paths in an image that mean 32-bit programs, by
// host architecture.
var compat32Markers = map[string][]string{
	"amd64": {"/lib/ld-linux.so.2", "/lib/ld-musl-i386.so.1", "/lib32", "/usr/lib32",
		"/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu", "/usr/lib/i386-linux-musl"},
	"arm64": {"/lib/ld-linux-armhf.so.3", "/lib/ld-linux.so.3", "/lib/ld-musl-armhf.so.1", "/lib/ld-musl-arm.so.1",
		"/lib/arm-linux-gnueabihf", "/usr/lib/arm-linux-gnueabihf", "/lib/arm-linux-gnueabi", "/usr/lib/arm-linux-gnueabi"},
}

// trimArchitectures drops the ABIs the container does not need (see
// above) from the profile.
func trimArchitectures(p *specs.LinuxSeccomp, rootfs string, args []string) {
	if p == nil {
		return
	}
	var compat specs.Arch
	switch goruntime.GOARCH {
	case "amd64":
		compat = specs.ArchX86
	case "arm64":
		compat = specs.ArchARM
	default:
		return
	}
	keep32 := mayRun32Bit(rootfs, args)
	p.Architectures = slices.DeleteFunc(p.Architectures, func(a specs.Arch) bool {
		return a == specs.ArchX32 || (a == compat && !keep32)
	})
}

// mayRun32Bit looks for signs of 32-bit programs in the rootfs.
func mayRun32Bit(rootfs string, args []string) bool {
	for _, p := range compat32Markers[goruntime.GOARCH] {
		if h, err := pathrs.OpenInRoot(rootfs, p); err == nil {
			h.Close()
			return true
		}
	}
	programs := []string{"/bin/sh"}
	if len(args) > 0 && path.IsAbs(args[0]) {
		programs = append(programs, args[0])
	}
	for _, p := range programs {
		if elf32(rootfs, p) {
			return true
		}
	}
	return false
}

// elf32 reports whether p in rootfs is a 32-bit ELF file (links followed
// inside rootfs only).
func elf32(rootfs, p string) bool {
	h, err := pathrs.OpenInRoot(rootfs, p)
	if err != nil {
		return false
	}
	defer h.Close()
	if fi, err := h.Stat(); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	f, err := pathrs.Reopen(h, unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return false
	}
	defer f.Close()
	var ident [5]byte
	if _, err := io.ReadFull(f, ident[:]); err != nil {
		return false
	}
	return string(ident[:4]) == "\x7fELF" && ident[4] == 1 // ELFCLASS32
}
