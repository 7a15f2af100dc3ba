package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/providers/native/runtime"
)

func TestRunEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "vars.env")
	if err := os.WriteFile(file, []byte("# comment\n\nA=from-file\nB=file\nHOST\n  C=spaced\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		flags runFlags
		want  map[string]string
		err   string
	}{
		{name: "flags", flags: runFlags{env: []string{"A=1", "B=", "C=x=y"}}, want: map[string]string{"A": "1", "B": "", "C": "x=y"}},
		{name: "from berth's environment", flags: runFlags{env: []string{"HOST", "MISSING"}}, want: map[string]string{"HOST": "h"}},
		{name: "flags after files", flags: runFlags{envFiles: []string{file}, env: []string{"A=flag"}},
			want: map[string]string{"A": "flag", "B": "file", "HOST": "h", "C": "spaced"}},
		{name: "no name", flags: runFlags{env: []string{"=x"}}, err: `-e: "=x" is not NAME=VALUE`},
		{name: "missing file", flags: runFlags{envFiles: []string{filepath.Join(dir, "none")}}, err: "--env-file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.flags.environment([]string{"HOST=old", "HOST=h"})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestRunMounts(t *testing.T) {
	host := t.TempDir()
	e := &native.Engine{Volumes: filepath.Join(t.TempDir(), "volumes")}
	tests := []struct {
		name string
		arg  string
		want runtime.Mount
		err  string
	}{
		{name: "bind", arg: host + ":/h", want: runtime.Mount{Type: runtime.MountBind, Source: host, Target: "/h"}},
		{name: "bind ro", arg: host + "/:/h:ro", want: runtime.Mount{Type: runtime.MountBind, Source: host, Target: "/h", ReadOnly: true}},
		{name: "volume", arg: "data:/data:rw", want: runtime.Mount{Type: runtime.MountVolume, Source: e.VolumeDir("data"), Target: "/data"}},
		{name: "missing host path", arg: host + "/none:/h", err: "does not exist; berth does not create it"},
		{name: "bad volume name", arg: "../x:/x", err: "names a volume"},
		{name: "relative target", arg: "data:x", err: "absolute path in the container"},
		{name: "root target", arg: "data:/", err: "absolute path in the container"},
		{name: "bad option", arg: "data:/d:z", err: `unknown option "z"`},
		{name: "no target", arg: "data", err: "want SOURCE:TARGET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := volumeMount(e, tc.arg)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	if _, err := os.Stat(e.VolumeDir("data")); err != nil {
		t.Errorf("volume not created: %v", err)
	}
}

func TestRunTmpfsAndResources(t *testing.T) {
	m, err := tmpfsMount("/t:size=64MiB,ro")
	if err != nil || m != (runtime.Mount{Type: runtime.MountTmpfs, Target: "/t", Size: 64 << 20, ReadOnly: true}) {
		t.Errorf("tmpfs: %+v, %v", m, err)
	}
	for _, bad := range []string{"t", "/t:size=lots", "/t:exec"} {
		if _, err := tmpfsMount(bad); err == nil {
			t.Errorf("tmpfs %q: no error", bad)
		}
	}
	r, err := (&runFlags{memory: "256MiB", cpus: 0.5, pids: 10}).resources()
	if err != nil || r != (runtime.Resources{Memory: 256 << 20, CPUs: 0.5, Pids: 10}) {
		t.Errorf("resources: %+v, %v", r, err)
	}
	if _, err := (&runFlags{memory: "much"}).resources(); err == nil {
		t.Error("bad memory: no error")
	}
	if _, err := (&runFlags{cpus: -1}).resources(); err == nil {
		t.Error("negative cpus: no error")
	}
}

func TestGeneratedNames(t *testing.T) {
	for range 100 {
		if n := generateName(); !runtime.ValidID(n) || strings.Count(n, "-") != 2 {
			t.Fatalf("bad name %q", n)
		}
	}
	if id := newRunID(); len(id) != 64 || !runtime.ValidID(id) {
		t.Errorf("bad ID %q", id)
	}
}
