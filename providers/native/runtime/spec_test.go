package runtime

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSpecDefaults(t *testing.T) {
	s, err := Spec{ID: "abc", Name: "web_1", Args: []string{"/app"}, Health: &Health{Command: []string{"true"}}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if s.Hostname != "abc" || s.WorkingDir != "/" || s.Restart != RestartNo || s.StopSignal != "SIGTERM" ||
		s.StopTimeout != DefaultStopTimeout || s.Network.Mode != NetworkNone || s.Health.Interval != 30*time.Second ||
		s.Health.Retries != 3 || s.Resources.pidsLimit() != DefaultPidsLimit {
		t.Errorf("defaults: %+v", s)
	}
	s, _ = Spec{ID: "0123456789abcdef", Name: "web-1", Args: []string{"/app"}}.withDefaults()
	if s.Hostname != "web-1" {
		t.Errorf("hostname %q, want the name", s.Hostname)
	}
	s, _ = Spec{ID: "0123456789abcdef", Name: "web_1", Args: []string{"/app"}}.withDefaults()
	if s.Hostname != "0123456789ab" {
		t.Errorf("hostname %q, want the short ID", s.Hostname)
	}
}

func TestSpecCheck(t *testing.T) {
	ok := Spec{ID: "c1", Args: []string{"/app"}}
	tests := []struct {
		name   string
		mutate func(*Spec)
		want   string
	}{
		{"bad id", func(s *Spec) { s.ID = "../etc" }, "invalid container ID"},
		{"no command", func(s *Spec) { s.Args = nil }, "no command"},
		{"restart", func(s *Spec) { s.Restart = "sometimes" }, "restart policy"},
		{"signal", func(s *Spec) { s.StopSignal = "SIGNOPE" }, "unknown signal"},
		{"relative workdir", func(s *Spec) { s.WorkingDir = "app" }, "not absolute"},
		{"layer with colon", func(s *Spec) { s.LowerDirs = []string{"/a:b"} }, "layer directory"},
		{"bind without source", func(s *Spec) { s.Mounts = []Mount{{Type: MountBind, Target: "/x"}} }, "source"},
		{"tmpfs with source", func(s *Spec) { s.Mounts = []Mount{{Type: MountTmpfs, Source: "/x", Target: "/x"}} }, "no source"},
		{"mount on /", func(s *Spec) { s.Mounts = []Mount{{Type: MountTmpfs, Target: "/"}} }, "other than /"},
		{"network", func(s *Spec) { s.Network = NetworkMode{Mode: NetworkPath} }, "namespace path"},
		{"memory", func(s *Spec) { s.Resources.Memory = 1024 }, "below 6 MiB"},
		{"capability", func(s *Spec) { s.CapAdd = []string{"NOPE"} }, "unknown capability"},
		{"health", func(s *Spec) { s.Health = &Health{} }, "health check without a command"},
		{"NUL in argument", func(s *Spec) { s.Args = []string{"/app", "a\x00b"} }, "argument 1 contains a NUL byte"},
		{"NUL in env", func(s *Spec) { s.Env = []string{"A=x\x00y"} }, "environment variable A contains a NUL byte"},
		{"env without name", func(s *Spec) { s.Env = []string{"=x"} }, "empty environment variable name"},
		{"NUL in label", func(s *Spec) { s.Labels = map[string]string{"k": "\x00"} }, `label "k" contains a NUL byte`},
		{"user", func(s *Spec) { s.User = "a:b:c" }, "invalid user"},
		{"NUL in workdir", func(s *Spec) { s.WorkingDir = "/a\x00" }, "NUL byte"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.mutate(&s)
			_, err := s.withDefaults()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidSpec) && !errors.Is(err, ErrInvalidID) {
				t.Errorf("error %v is neither ErrInvalidSpec nor ErrInvalidID", err)
			}
		})
	}
	if _, err := ok.withDefaults(); err != nil {
		t.Errorf("valid spec: %v", err)
	}
}

func TestParseSignal(t *testing.T) {
	for in, want := range map[string]int{"SIGTERM": 15, "term": 15, "KILL": 9, "10": 10, "SIGRTMIN": 34, "SIGRTMIN+3": 37, "rtmax-1": 63} {
		if got, err := ParseSignal(in); err != nil || int(got) != want {
			t.Errorf("ParseSignal(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0", "99", "SIGFOO", "RTMIN+40", "RTMAXX"} {
		if _, err := ParseSignal(in); err == nil {
			t.Errorf("ParseSignal(%q) accepted", in)
		}
	}
}

func TestValidHostname(t *testing.T) {
	long := strings.Repeat("a", 63)
	for h, want := range map[string]bool{
		"web": true, "web-1": true, "a.b.c": true, "0abc": true, long: true, long + ".x": true,
		"": false, "-web": false, "web-": false, "a..b": false, ".a": false, "a.": false,
		"we_b": false, "wéb": false, long + "a": false,
		strings.Repeat(long+".", 4) + "abc": false, // 259 bytes
	} {
		if got := validHostname(h); got != want {
			t.Errorf("validHostname(%q) = %v, want %v", h, got, want)
		}
	}
}
