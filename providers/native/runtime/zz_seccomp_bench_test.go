//go:build cgo && seccomp

package runtime

import (
	"os"
	"testing"
	"time"

	"github.com/opencontainers/runc/libcontainer/configs"
	libseccomp "github.com/seccomp/libseccomp-golang"
)

func buildFilter(t *testing.T, sc *configs.Seccomp, archs []string, opt int) time.Duration {
	start := time.Now()
	f, err := libseccomp.NewFilter(libseccomp.ActErrno.SetReturnCode(1))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	for _, a := range archs {
		arch, _ := libseccomp.GetArchFromString(a)
		if err := f.AddArch(arch); err != nil {
			t.Fatal(err)
		}
	}
	if opt > 0 {
		f.SetOptimize(opt)
	}
	for _, c := range sc.Syscalls {
		id, err := libseccomp.GetSyscallFromName(c.Name)
		if err != nil {
			continue
		}
		act := libseccomp.ActAllow
		if c.Action != configs.Allow {
			act = libseccomp.ActErrno.SetReturnCode(1)
		}
		if len(c.Args) == 0 {
			_ = f.AddRule(id, act)
			continue
		}
		var conds []libseccomp.ScmpCondition
		for _, a := range c.Args {
			cond, err := libseccomp.MakeCondition(a.Index, libseccomp.CompareEqual, a.Value)
			if err == nil {
				conds = append(conds, cond)
			}
		}
		_ = f.AddRuleConditional(id, act, conds)
	}
	r, w, _ := os.Pipe()
	go func() {
		buf := make([]byte, 1<<20)
		for {
			if _, err := r.Read(buf); err != nil {
				return
			}
		}
	}()
	if err := f.ExportBPF(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return time.Since(start)
}

func TestZZSeccompCost(t *testing.T) {
	s, _ := Spec{ID: "x", Args: []string{"true"}}.withDefaults()
	cfg, err := containerConfig(t.TempDir(), s, execUser{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("syscalls %d archs %v", len(cfg.Seccomp.Syscalls), cfg.Seccomp.Architectures)
	for _, v := range []struct {
		name  string
		archs []string
		opt   int
	}{
		{"all archs opt2", cfg.Seccomp.Architectures, 2},
		{"all archs opt1", cfg.Seccomp.Architectures, 1},
		{"native opt2", nil, 2},
		{"native+x86 opt2", []string{"x86"}, 2},
		{"native opt1", nil, 1},
	} {
		var best time.Duration = time.Hour
		for range 5 {
			if d := buildFilter(t, cfg.Seccomp, v.archs, v.opt); d < best {
				best = d
			}
		}
		t.Logf("%s: %v", v.name, best)
	}
}
