package runtime

import (
	"slices"
	"strings"
)

// ProcessConfig is a container's process after merging the image config
// with the container's settings; its fields go into Spec unchanged.
type ProcessConfig struct {
	Args       []string
	Env        []string
	WorkingDir string
	User       string
}

// MergeImageConfig applies Docker's rules for combining an image config
// with a container's settings. A nil entrypoint or command means "not
// set"; an empty non-nil one is set to nothing.
//
//   - entrypoint set: it replaces the image's ENTRYPOINT and the image's
//     CMD is dropped; command, if set, follows it.
//   - only command set: the image's ENTRYPOINT followed by command.
//   - neither: the image's ENTRYPOINT followed by its CMD.
//   - env: the image's variables in their order, each overridden by the
//     container's value for the same name; the container's new names
//     follow, sorted.
//   - workdir and user: the container's if not empty, else the image's;
//     the working directory defaults to "/".
func MergeImageConfig(imgEntrypoint, imgCmd, imgEnv []string, imgWorkdir, imgUser string,
	entrypoint, command []string, env map[string]string, workdir, user string) ProcessConfig {
	p := ProcessConfig{WorkingDir: imgWorkdir, User: imgUser}
	switch {
	case entrypoint != nil:
		p.Args = append(slices.Clone(entrypoint), command...)
	case command != nil:
		p.Args = append(slices.Clone(imgEntrypoint), command...)
	default:
		p.Args = append(slices.Clone(imgEntrypoint), imgCmd...)
	}
	p.Env = mergeEnv(imgEnv, env)
	if workdir != "" {
		p.WorkingDir = workdir
	}
	if p.WorkingDir == "" {
		p.WorkingDir = "/"
	}
	if user != "" {
		p.User = user
	}
	return p
}

func mergeEnv(base []string, over map[string]string) []string {
	out := make([]string, 0, len(base)+len(over))
	used := map[string]bool{}
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if v, ok := over[k]; ok {
			if !used[k] {
				out = append(out, k+"="+v)
				used[k] = true
			}
			continue
		}
		out = append(out, kv)
	}
	keys := make([]string, 0, len(over))
	for k := range over {
		if !used[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, k+"="+over[k])
	}
	return out
}
