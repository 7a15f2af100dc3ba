//go:build cgo && seccomp

package runtime

import (
	"encoding/json"
	"os"
	"testing"

	mobyseccomp "github.com/moby/profiles/seccomp"
)

func TestZZDumpSpec(t *testing.T) {
	dir := os.Getenv("ZZ_BUNDLE")
	if dir == "" { t.Skip() }
	s, _ := Spec{ID: "zzbench", Args: []string{"true"}}.withDefaults()
	oci, err := ociSpec(dir, s, execUser{})
	if err != nil { t.Fatal(err) }
	oci.Root.Path = "rootfs"
	oci.Process.Args = []string{"true"}
	oci.Process.Cwd = "/"
	oci.Process.Env = []string{"PATH=/bin"}
	oci.Linux.CgroupsPath = "/berthbench/zz"
	// etc bind mounts point into dir/etc
	if os.Getenv("ZZ_FULL_SECCOMP") != "" {
		oci.Linux.Seccomp, _ = mobyseccomp.GetDefaultProfile(oci)
	}
	data, _ := json.MarshalIndent(oci, "", " ")
	os.WriteFile(dir+"/config.json", data, 0o644)
}
