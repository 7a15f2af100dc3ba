package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
)

// runFlags are berth run's options.
type runFlags struct {
	rm, detach, interactive, tty, readOnly bool

	name, hostname, workdir, user, entrypoint string
	memory, restart, network, platform, pull  string
	cpus                                      float64
	pids                                      int64

	env, envFiles, volumes, tmpfs, capAdd, capDrop, labels, publish []string

	entrypointSet bool // --entrypoint was given, maybe empty
}

// runSpec builds the container's runtime spec from the image and the
// flags; cmd is the command after the image (nil: the image's).
func (f *runFlags) runSpec(e *native.Engine, img *image.Image, id, name string, cmd []string, env []string) (runtime.Spec, error) {
	lower, err := e.Images.LayerDirs(img)
	if err != nil {
		return runtime.Spec{}, err
	}
	vars, err := f.environment(env)
	if err != nil {
		return runtime.Spec{}, err
	}
	var entrypoint []string
	if f.entrypointSet {
		entrypoint = []string{}
		if f.entrypoint != "" {
			entrypoint = []string{f.entrypoint}
		}
	}
	pc := runtime.MergeImageConfig(img.Config.Entrypoint, img.Config.Cmd, img.Config.Env, img.Config.WorkingDir, img.Config.User,
		entrypoint, cmd, vars, f.workdir, f.user)
	s := runtime.Spec{
		ID: id, Name: name, LowerDirs: lower, Hostname: f.hostname,
		Args: pc.Args, Env: pc.Env, WorkingDir: pc.WorkingDir, User: pc.User,
		ReadOnly: f.readOnly, CapAdd: f.capAdd, CapDrop: f.capDrop,
		Restart: f.restart, StopSignal: img.Config.StopSignal,
		Network:    runtime.NetworkMode{Mode: f.netMode()},
		Tty:        f.tty,
		OpenStdin:  f.interactive && f.detach, // a foreground run relays stdin itself
		AutoRemove: f.rm,
	}
	if s.Hostname == "" && f.network != runtime.NetworkHost {
		s.Hostname = shortID(id) // as Docker does
	}
	if s.Labels, err = f.labelMap(img.ID); err != nil {
		return s, err
	}
	if s.Mounts, err = f.mounts(e); err != nil {
		return s, err
	}
	s.Resources, err = f.resources()
	return s, err
}

// environment merges --env-file files, then -e flags, into one map. A
// name without "=" takes its value from berth's own environment, and is
// left out when that has none.
func (f *runFlags) environment(env []string) (map[string]string, error) {
	out := map[string]string{}
	lookup := func(k string) (string, bool) {
		for i := len(env) - 1; i >= 0; i-- {
			if name, v, ok := strings.Cut(env[i], "="); ok && name == k {
				return v, true
			}
		}
		return "", false
	}
	set := func(kv, where string) error {
		k, v, ok := strings.Cut(kv, "=")
		if k == "" || strings.ContainsAny(k, " \t") {
			return fmt.Errorf("%s: %q is not NAME=VALUE or NAME", where, kv)
		}
		if !ok {
			if v, ok = lookup(k); !ok {
				return nil
			}
		}
		out[k] = v
		return nil
	}
	for _, file := range f.envFiles {
		lines, err := readEnvFile(file)
		if err != nil {
			return nil, err
		}
		for i, l := range lines {
			if l == "" {
				continue
			}
			if err := set(l, fmt.Sprintf("--env-file %s line %d", file, i+1)); err != nil {
				return nil, err
			}
		}
	}
	for _, kv := range f.env {
		if err := set(kv, "-e"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readEnvFile reads Docker's env file format: NAME=VALUE or NAME per
// line, blank lines and lines starting with # ignored, no quoting.
func readEnvFile(file string) ([]string, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--env-file: %w", err)
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t")
		if line == "" || strings.HasPrefix(line, "#") {
			line = "" // skipped, and the line numbers of errors stay right
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--env-file %s: %w", file, err)
	}
	return out, nil
}

// labelMap is --label K=V plus berth's own labels.
func (f *runFlags) labelMap(imageID string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range f.labels {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			return nil, fmt.Errorf("--label %q: want KEY=VALUE", kv)
		}
		out[k] = v
	}
	out[labelRun], out[labelImage] = "true", imageID
	return out, nil
}

// mounts turns -v and --tmpfs into mounts. An absolute source is a bind
// mount of a host path that must exist; anything else names a volume,
// created when missing.
func (f *runFlags) mounts(e *native.Engine) ([]runtime.Mount, error) {
	var out []runtime.Mount
	for _, v := range f.volumes {
		m, err := volumeMount(e, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	for _, t := range f.tmpfs {
		m, err := tmpfsMount(t)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func volumeMount(e *native.Engine, v string) (runtime.Mount, error) {
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" {
		return runtime.Mount{}, fmt.Errorf("-v %q: want SOURCE:TARGET[:ro|rw]", v)
	}
	m := runtime.Mount{Target: parts[1]}
	if len(parts) == 3 {
		switch parts[2] {
		case "ro":
			m.ReadOnly = true
		case "rw":
		default:
			return m, fmt.Errorf("-v %q: unknown option %q (want ro or rw)", v, parts[2])
		}
	}
	if !path.IsAbs(m.Target) || path.Clean(m.Target) == "/" {
		return m, fmt.Errorf("-v %q: the target must be an absolute path in the container, other than /", v)
	}
	src := parts[0]
	if !filepath.IsAbs(src) {
		dir, err := e.EnsureVolume(src, nil)
		if err != nil {
			return m, fmt.Errorf("-v %q: %w (an absolute path mounts a host directory; anything else names a volume)", v, err)
		}
		m.Type, m.Source = runtime.MountVolume, dir
		return m, nil
	}
	if _, err := os.Stat(src); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return m, fmt.Errorf("-v %q: host path %s does not exist; berth does not create it (Docker does): create it first", v, src)
		}
		return m, fmt.Errorf("-v %q: %w", v, err)
	}
	m.Type, m.Source = runtime.MountBind, filepath.Clean(src)
	return m, nil
}

// tmpfsMount reads --tmpfs TARGET[:size=SIZE][,ro].
func tmpfsMount(t string) (runtime.Mount, error) {
	target, opts, _ := strings.Cut(t, ":")
	m := runtime.Mount{Type: runtime.MountTmpfs, Target: target}
	if !path.IsAbs(target) || path.Clean(target) == "/" {
		return m, fmt.Errorf("--tmpfs %q: the target must be an absolute path in the container, other than /", t)
	}
	for _, o := range strings.Split(opts, ",") {
		switch k, v, _ := strings.Cut(o, "="); k {
		case "":
		case "ro":
			m.ReadOnly = true
		case "rw":
		case "size":
			n, err := schemas.ParseSize(v)
			if err != nil {
				return m, fmt.Errorf("--tmpfs %q: %w", t, err)
			}
			m.Size = n
		default:
			return m, fmt.Errorf("--tmpfs %q: unknown option %q (want size=SIZE, ro or rw)", t, o)
		}
	}
	return m, nil
}

func (f *runFlags) resources() (runtime.Resources, error) {
	var r runtime.Resources
	if f.memory != "" {
		n, err := schemas.ParseSize(f.memory)
		if err != nil {
			return r, fmt.Errorf("--memory: %w", err)
		}
		r.Memory = n
	}
	if f.cpus < 0 {
		return r, fmt.Errorf("--cpus %v: must not be negative", f.cpus)
	}
	r.CPUs, r.Pids = f.cpus, f.pids
	return r, nil
}

// netMode is the runtime's network mode before attachRun: a container
// on a network starts out with none until it has its endpoint.
func (f *runFlags) netMode() string {
	if f.network == runtime.NetworkHost {
		return runtime.NetworkHost
	}
	return runtime.NetworkNone
}
