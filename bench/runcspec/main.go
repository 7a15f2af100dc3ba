// Command runcspec gives the runc and crun bundle of the container
// benchmark the hardening berth gives the same image, so that the peers
// do the same work: `runc spec`'s configuration (already close to
// Docker's: the same mounts, masked and read-only paths) plus Docker's
// 14 default capabilities and Docker's default seccomp profile, kept to
// the x86_64 ABI as berth keeps it for a 64-bit image (docs/design.md).
// Without it, the peers would start containers with no seccomp filter.
//
//	go run ./bench/runcspec BUNDLE/config.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	goruntime "runtime"

	mobyseccomp "github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// dockerCaps are Docker's default capabilities.
var dockerCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: runcspec BUNDLE/config.json")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "runcspec:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var spec specs.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return err
	}
	if spec.Process == nil || spec.Linux == nil {
		return fmt.Errorf("%s: no process or linux section", path)
	}
	spec.Process.Terminal = false
	spec.Process.Args = []string{"true"}
	spec.Process.NoNewPrivileges = true
	spec.Process.Capabilities = &specs.LinuxCapabilities{
		Bounding: dockerCaps, Effective: dockerCaps, Permitted: dockerCaps,
	}
	profile, err := mobyseccomp.GetDefaultProfile(&spec)
	if err != nil {
		return err
	}
	if goruntime.GOARCH == "amd64" {
		profile.Architectures = []specs.Arch{specs.ArchX86_64}
	}
	spec.Linux.Seccomp = profile
	out, err := json.MarshalIndent(&spec, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
