package native

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// labelConfig records, on the container itself, the configuration berth
// made it from, so that import and a crash-interrupted apply can adopt it
// exactly.
const labelConfig = "berth.config"

// newContainerID returns a random 64-hex-digit ID, as Docker's.
func newContainerID() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// resolveImage finds the container's image in the store, pulling it when
// the attribute is a reference not pulled yet.
func resolveImage(ctx context.Context, e *Engine, ref string, progress func(string)) (*image.Image, error) {
	img, err := e.Images.Get(ref)
	if err == nil {
		return img, nil
	}
	if !errors.Is(err, image.ErrNotFound) {
		return nil, err
	}
	return e.Images.Pull(ctx, ref, image.PullOptions{Policy: image.PullMissing, Progress: pullProgress(progress)})
}

// containerSpec builds the runtime's spec from a planned container value.
func containerSpec(ctx context.Context, e *Engine, v cty.Value, id string, progress func(string)) (runtime.Spec, error) {
	ref, _ := knownString(attr(v, "image"))
	img, err := resolveImage(ctx, e, ref, progress)
	if err != nil {
		return runtime.Spec{}, fmt.Errorf("image %s: %w", ref, err)
	}
	lower, err := e.Images.LayerDirs(img)
	if err != nil {
		return runtime.Spec{}, fmt.Errorf("image %s: %w", ref, err)
	}
	workdir, _ := knownString(attr(v, "working_dir"))
	user, _ := knownString(attr(v, "user"))
	pc := runtime.MergeImageConfig(img.Config.Entrypoint, img.Config.Cmd, img.Config.Env, img.Config.WorkingDir, img.Config.User,
		stringList(attr(v, "entrypoint")), stringList(attr(v, "command")), stringMap(attr(v, "env")), workdir, user)
	name, _ := knownString(attr(v, "name"))
	s := runtime.Spec{
		ID: id, Name: name, LowerDirs: lower,
		Args: pc.Args, Env: pc.Env, WorkingDir: pc.WorkingDir, User: pc.User,
		Network: runtime.NetworkMode{Mode: runtime.NetworkNone},
	}
	s.Hostname, _ = knownString(attr(v, "hostname"))
	s.ReadOnly, _ = knownBool(attr(v, "read_only"))
	s.Tty, _ = knownBool(attr(v, "tty"))
	s.OpenStdin, _ = knownBool(attr(v, "stdin_open"))
	s.Labels = containerLabels(v, img.ID)
	if s.Mounts, err = containerMounts(e, v); err != nil {
		return runtime.Spec{}, err
	}
	caps := attr(v, "capabilities")
	s.CapAdd, s.CapDrop = stringList(attr(caps, "add")), stringList(attr(caps, "drop"))
	u, err := containerUpdate(v, img)
	if err != nil {
		return runtime.Spec{}, err
	}
	s.Resources, s.Restart, s.Health, s.StopSignal, s.StopTimeout = u.Resources, u.Restart, u.Health, u.StopSignal, u.StopTimeout
	return s, nil
}

// containerLabels are the user's labels plus berth's own.
func containerLabels(v cty.Value, imageID string) map[string]string {
	labels := stringMap(attr(v, "labels"))
	if labels == nil {
		labels = map[string]string{}
	}
	labels[labelManaged] = "true"
	labels[labelImage] = imageID
	if js := recordedConfig(v); js != "" {
		labels[labelConfig] = js
	}
	return labels
}

// configOnly nulls the computed-only attributes of a container value.
func configOnly(v cty.Value) cty.Value {
	block := schemas.Builtin()[schemas.TypeContainer].Block
	set := map[string]cty.Value{}
	for name, a := range block.Attributes {
		if a.Computed && !a.Optional {
			set[name] = cty.NullVal(a.Type)
		}
	}
	return withAttrs(v, set)
}

// containerMounts resolves the mount blocks to host paths.
func containerMounts(e *Engine, v cty.Value) ([]runtime.Mount, error) {
	var out []runtime.Mount
	for _, m := range elements(attr(v, "mount")) {
		typ, _ := knownString(attr(m, "type"))
		src, _ := knownString(attr(m, "source"))
		target, _ := knownString(attr(m, "target"))
		ro, _ := knownBool(attr(m, "read_only"))
		rm := runtime.Mount{Type: typ, Target: target, ReadOnly: ro}
		switch typ {
		case runtime.MountVolume:
			dir, err := e.EnsureVolume(src, nil)
			if err != nil {
				return nil, err
			}
			rm.Source = dir
		case runtime.MountBind:
			rm.Source = src
		case runtime.MountTmpfs:
			if size, ok := knownString(attr(m, "size")); ok {
				n, err := schemas.ParseSize(size)
				if err != nil {
					return nil, err
				}
				rm.Size = n
			}
		}
		out = append(out, rm)
	}
	return out, nil
}

// containerUpdate reads what can change on a live container.
func containerUpdate(v cty.Value, img *image.Image) (runtime.Update, error) {
	var u runtime.Update
	u.Restart, _ = knownString(attr(v, "restart"))
	u.StopSignal, _ = knownString(attr(v, "stop_signal"))
	if u.StopSignal == "" && img != nil {
		u.StopSignal = img.Config.StopSignal
	}
	var err error
	if u.StopTimeout, err = durationAttr(v, "stop_timeout"); err != nil {
		return u, err
	}
	res := attr(v, "resources")
	if mem, ok := knownString(attr(res, "memory")); ok {
		if u.Resources.Memory, err = schemas.ParseSize(mem); err != nil {
			return u, err
		}
	}
	if f, ok := knownNumber(attr(res, "cpus")); ok {
		u.Resources.CPUs, _ = f.Float64()
	}
	if f, ok := knownNumber(attr(res, "pids")); ok {
		u.Resources.Pids, _ = f.Int64()
	}
	if h := attr(v, "health"); !h.IsNull() {
		hc := &runtime.Health{Command: stringList(attr(h, "command"))}
		if f, ok := knownNumber(attr(h, "retries")); ok {
			r, _ := f.Int64()
			hc.Retries = int(r)
		}
		for name, dst := range map[string]*time.Duration{"interval": &hc.Interval, "timeout": &hc.Timeout, "start_period": &hc.StartPeriod} {
			if *dst, err = durationAttr(h, name); err != nil {
				return u, err
			}
		}
		u.Health = hc
	}
	return u, nil
}

func durationAttr(v cty.Value, name string) (time.Duration, error) {
	s, ok := knownString(attr(v, name))
	if !ok || s == "" {
		return 0, nil
	}
	d, err := schemas.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

// stringList reads a known list of strings; null gives nil (not set).
func stringList(v cty.Value) []string {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	out := []string{}
	for _, e := range elements(v) {
		if s, ok := knownString(e); ok {
			out = append(out, s)
		}
	}
	return out
}
