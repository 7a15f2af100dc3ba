package runtime

import (
	"slices"
	"testing"
)

func TestMergeImageConfig(t *testing.T) {
	imgEP, imgCmd := []string{"/entry"}, []string{"serve", "--port=80"}
	imgEnv := []string{"PATH=/usr/bin", "LANG=C", "EMPTY="}
	tests := []struct {
		name             string
		entrypoint, cmd  []string
		env              map[string]string
		workdir, user    string
		imgWD, imgUser   string
		wantArgs         []string
		wantEnv          []string
		wantWD, wantUser string
	}{
		{name: "image only", wantArgs: []string{"/entry", "serve", "--port=80"}, wantEnv: imgEnv, wantWD: "/"},
		{name: "command replaces cmd", cmd: []string{"migrate"}, wantArgs: []string{"/entry", "migrate"}, wantEnv: imgEnv, wantWD: "/"},
		{name: "entrypoint drops image cmd", entrypoint: []string{"/bin/sh"}, wantArgs: []string{"/bin/sh"}, wantEnv: imgEnv, wantWD: "/"},
		{name: "entrypoint and command", entrypoint: []string{"/bin/sh", "-c"}, cmd: []string{"echo hi"}, wantArgs: []string{"/bin/sh", "-c", "echo hi"}, wantEnv: imgEnv, wantWD: "/"},
		{name: "empty entrypoint resets it", entrypoint: []string{}, cmd: []string{"/app"}, wantArgs: []string{"/app"}, wantEnv: imgEnv, wantWD: "/"},
		{name: "empty command keeps entrypoint alone", cmd: []string{}, wantArgs: []string{"/entry"}, wantEnv: imgEnv, wantWD: "/"},
		{
			name:     "env overrides in place, new names sorted after",
			env:      map[string]string{"LANG": "C.UTF-8", "ZED": "1", "ABC": "2"},
			wantArgs: []string{"/entry", "serve", "--port=80"},
			wantEnv:  []string{"PATH=/usr/bin", "LANG=C.UTF-8", "EMPTY=", "ABC=2", "ZED=1"}, wantWD: "/",
		},
		{name: "image workdir and user", imgWD: "/srv", imgUser: "www", wantArgs: []string{"/entry", "serve", "--port=80"}, wantEnv: imgEnv, wantWD: "/srv", wantUser: "www"},
		{name: "container workdir and user win", imgWD: "/srv", imgUser: "www", workdir: "/tmp", user: "0:0", wantArgs: []string{"/entry", "serve", "--port=80"}, wantEnv: imgEnv, wantWD: "/tmp", wantUser: "0:0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := MergeImageConfig(imgEP, imgCmd, imgEnv, tc.imgWD, tc.imgUser, tc.entrypoint, tc.cmd, tc.env, tc.workdir, tc.user)
			if !slices.Equal(p.Args, tc.wantArgs) {
				t.Errorf("args %q, want %q", p.Args, tc.wantArgs)
			}
			if !slices.Equal(p.Env, tc.wantEnv) {
				t.Errorf("env %q, want %q", p.Env, tc.wantEnv)
			}
			if p.WorkingDir != tc.wantWD || p.User != tc.wantUser {
				t.Errorf("workdir %q user %q, want %q %q", p.WorkingDir, p.User, tc.wantWD, tc.wantUser)
			}
		})
	}
	// The image's slices are not modified.
	MergeImageConfig(imgEP[:1:1], imgCmd, imgEnv, "", "", nil, []string{"x"}, nil, "", "")
	if imgEP[0] != "/entry" || imgCmd[0] != "serve" {
		t.Error("image config modified")
	}
}
