package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

// exitRunError is berth run's exit code for its own failures, before the
// container runs (docker run's 125).
const exitRunError = 125

// annotationStopFlags marks a command whose flags end at its first
// argument (what follows belongs to the container); rewriteArgs leaves
// that part alone.
const annotationStopFlags = "berth.stop-flags-at-first-arg"

func newRunCmd(a *app) *cobra.Command {
	f := &runFlags{}
	cmd := &cobra.Command{
		Use:   "run [options] IMAGE [COMMAND [ARG...]]",
		Short: "Run a one-off container, like docker run",
		Long: `Run a container from IMAGE, pulled first when the store lacks it, like
docker run. In the foreground (the default) berth itself runs it: its
output goes to the terminal, SIGINT and SIGTERM are passed on to it (the
third one kills it), and berth exits with its exit code. -d runs it in
the background under a supervisor and prints its ID.

The command after IMAGE replaces the image's CMD; everything after IMAGE
(or after a literal --) belongs to it.

-v SOURCE:TARGET[:ro]: an absolute SOURCE is a host path bind-mounted into
the container. It must exist: unlike Docker, berth does not create a
missing host directory. Any other SOURCE names a volume, created when
missing.

Exit codes: the container's own; 125 when berth fails before the container
runs; 126 when its command cannot be executed, 127 when it is not found.

--network: as with Docker, a container joins the default network
(bridge; berth's is named berth) unless told otherwise: none gives it
only loopback, host the host's network, and any other NAME a network a
berth file declares (its name attribute). Other containers on the
network reach it by its name.

-p [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/udp] publishes a container port
on the host (IPv4); without HOST_PORT berth picks a free one, which
berth ps -a shows.

Containers made here carry the label berth.run=true; berth prune removes
them once stopped, with their networking.`,
		Example: `  berth run --rm busybox echo hello
  berth run --rm -it -v "$PWD:/src" -w /src alpine sh
  berth run -d --name web --memory 256MiB -p 8080:80 nginx:alpine
  berth run --rm --network backend busybox nc -z db 5432
  berth run --rm -e NAME=world busybox -- sh -c 'echo hello $NAME'`,
		Annotations: map[string]string{annotationStopFlags: "true"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &codeError{exitRunError, fmt.Errorf("berth run needs an IMAGE\nRun '%s -h' for usage", cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			image, command := args[0], args[1:]
			if len(command) > 0 && command[0] == "--" {
				command = command[1:]
			}
			if len(command) == 0 {
				command = nil // the image's CMD
			}
			return a.runContainer(cmd, f, image, command)
		},
	}
	cmd.Flags().SetInterspersed(false)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &codeError{exitRunError, flagError(c, err)}
	})
	f.register(cmd)
	return cmd
}

func (f *runFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.BoolVar(&f.rm, "rm", false, "remove the container when it exits")
	fs.BoolVarP(&f.detach, "detach", "d", false, "run in the background and print the container ID")
	fs.BoolVarP(&f.interactive, "interactive", "i", false, "pass stdin to the container (with -d: keep its stdin open for berth attach)")
	fs.BoolVarP(&f.tty, "tty", "t", false, "give the container a terminal")
	fs.StringVar(&f.name, "name", "", "name the container (default: a generated adjective-noun-NNNN)")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable: `NAME=VALUE`, or NAME to pass berth's own (repeatable)")
	fs.StringArrayVar(&f.envFiles, "env-file", nil, "read environment variables from `FILE`, NAME=VALUE per line (repeatable)")
	fs.StringArrayVarP(&f.volumes, "volume", "v", nil, "mount `SOURCE:TARGET[:ro]`: an existing absolute host path, or a volume name (repeatable)")
	fs.StringArrayVar(&f.tmpfs, "tmpfs", nil, "mount a tmpfs at `TARGET[:size=SIZE]` (repeatable)")
	fs.StringVarP(&f.workdir, "workdir", "w", "", "working directory in the container")
	fs.StringVarP(&f.user, "user", "u", "", "run as `USER[:GROUP]` (name or number)")
	fs.StringVar(&f.entrypoint, "entrypoint", "", "replace the image's ENTRYPOINT (\"\" clears it)")
	fs.StringVar(&f.hostname, "hostname", "", "the container's hostname (default: its short ID)")
	fs.BoolVar(&f.readOnly, "read-only", false, "mount the container's root filesystem read-only")
	fs.StringVar(&f.memory, "memory", "", "memory limit, e.g. `256MiB`")
	fs.Float64Var(&f.cpus, "cpus", 0, "CPU limit in cores, e.g. 0.5")
	fs.Int64Var(&f.pids, "pids", 0, "process limit (default 4096; -1: none)")
	fs.StringArrayVar(&f.capAdd, "cap-add", nil, "add a Linux capability, e.g. NET_ADMIN (repeatable)")
	fs.StringArrayVar(&f.capDrop, "cap-drop", nil, "drop a Linux capability, or ALL (repeatable)")
	fs.StringVar(&f.restart, "restart", "", "restart policy with -d: no, always, on-failure or unless-stopped")
	fs.StringVar(&f.network, "network", networkBridge, "network: bridge (the default network), none (loopback only), host, or a declared network's `NAME`")
	fs.StringArrayVar(&f.labels, "label", nil, "set a label `KEY=VALUE` (repeatable)")
	fs.StringVar(&f.platform, "platform", "", "image platform `OS/ARCH[/VARIANT]` (default: this machine's)")
	fs.StringVar(&f.pull, "pull", string(image.PullMissing), "when to pull: missing, always or never")
	fs.StringArrayVarP(&f.publish, "publish", "p", nil, "publish a container port on the host: `PORTS` = [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/udp] (repeatable)")
}

// check refuses flag combinations that cannot work, before anything runs.
func (f *runFlags) check(cmd *cobra.Command, a *app) error {
	f.entrypointSet = cmd.Flags().Changed("entrypoint")
	switch {
	case f.network == "":
		return errors.New("--network needs a value: bridge, none, host or a network's name")
	case len(f.publish) > 0 && (f.network == runtime.NetworkNone || f.network == runtime.NetworkHost):
		return fmt.Errorf("-p needs a network to publish from; with --network %s there is none (drop --network, or name a network)", f.network)
	case f.network != runtime.NetworkNone && f.network != runtime.NetworkHost && f.network != networkBridge && !network.ValidName(f.network):
		return fmt.Errorf("--network %q: not a network name; want bridge, none, host or a network's name", f.network)
	case f.restart != "" && f.restart != runtime.RestartNo && !f.detach:
		return errors.New("--restart needs -d: only a detached container has a supervisor to restart it")
	case f.restart != "" && f.restart != runtime.RestartNo && f.rm:
		return errors.New("--restart and --rm conflict: a container removed when it exits cannot be restarted")
	case f.tty && f.interactive && !isTerminal(a.stdin):
		return errors.New("-it needs a terminal on stdin; use -i alone for piped input")
	}
	switch image.Policy(f.pull) {
	case image.PullMissing, image.PullAlways, image.PullNever:
	default:
		return fmt.Errorf("--pull %q: want missing, always or never", f.pull)
	}
	if f.name != "" && !runtime.ValidID(f.name) {
		return fmt.Errorf("--name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit", f.name)
	}
	if _, err := f.ports(); err != nil {
		return err
	}
	_, err := f.resources()
	return err
}

// runContainer is berth run after the arguments have been parsed.
func (a *app) runContainer(cmd *cobra.Command, f *runFlags, ref string, command []string) error {
	if err := f.check(cmd, a); err != nil {
		return &codeError{exitRunError, err}
	}
	runtime.PrimeStart()
	fg := newForegroundSignals(!f.detach)
	defer fg.stop()
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	prep := fg.cancelOnSignal(cancel)
	e, spec, err := a.prepareRun(ctx, cmd, f, ref, command)
	release := func() {}
	if err == nil {
		release, err = a.attachRun(ctx, e, f, &spec)
	}
	prep()
	if err != nil {
		return &codeError{exitRunError, err}
	}
	if f.detach {
		_, err := e.Runtime.Create(ctx, spec)
		a.detachIfGone(e, spec)
		release()
		if err != nil {
			return runStartError(err)
		}
		fmt.Fprintln(cmd.OutOrStdout(), spec.ID)
		return nil
	}
	code, err := e.Runtime.RunForeground(ctx, spec, a.foregroundIO(f.interactive, f.tty, fg))
	a.detachIfGone(e, spec)
	release()
	var ee *runtime.ExecError
	switch {
	case err != nil && (code < 0 || errors.As(err, &ee)):
		return runStartError(err)
	case err != nil: // it ran; cleaning up after it failed
		a.warnf("%s", err)
	}
	if code != 0 {
		return exitCode(code)
	}
	return nil
}

// attachRun gives the container its network and ports, unless it has
// none or the host's; first it takes back what one-off containers that
// removed themselves (run -d --rm) still hold. release is to be called
// once the container exists, or is gone (see native.Engine.AttachRun).
func (a *app) attachRun(ctx context.Context, e *native.Engine, f *runFlags, spec *runtime.Spec) (func(), error) {
	name, ok := f.bridged()
	if !ok {
		return func() {}, nil
	}
	if _, err := e.ReleaseGoneRuns(ctx); err != nil {
		a.warnf("%s", err)
	}
	ports, err := f.ports()
	if err != nil {
		return nil, err
	}
	ep, release, err := e.AttachRun(ctx, spec, name, ports)
	if err != nil {
		if errors.Is(err, network.ErrNotFound) && name != network.DefaultNetwork {
			return nil, fmt.Errorf("--network %s: no such network here; declare it in a berth file (network %q {}) and apply, or use bridge", name, name)
		}
		return nil, fmt.Errorf("network: %w", err)
	}
	if len(ep.Ports) > 0 {
		texts := make([]string, len(ep.Ports))
		for i, p := range ep.Ports {
			texts[i] = portText(p)
		}
		spec.Labels[labelPorts] = strings.Join(texts, ",")
	}
	return release, nil
}

// detachIfGone removes the networking of a run container that is gone
// (removed when it exited, or never made).
func (a *app) detachIfGone(e *native.Engine, spec runtime.Spec) {
	if spec.Network.Mode != runtime.NetworkPath {
		return
	}
	if _, err := e.Runtime.Status(spec.ID); !errors.Is(err, runtime.ErrNotFound) {
		return
	}
	if err := e.DetachRun(context.Background(), spec.ID); err != nil {
		a.warnf("%s", err)
	}
}

// runStartError gives a failed start its exit code: 126 or 127 when the
// command could not be run, else 125.
func runStartError(err error) error {
	var ee *runtime.ExecError
	if errors.As(err, &ee) {
		return &codeError{ee.ExitCode(), err}
	}
	return &codeError{exitRunError, err}
}

// prepareRun opens the runtime, finds or pulls the image and builds the
// container's spec.
func (a *app) prepareRun(ctx context.Context, cmd *cobra.Command, f *runFlags, ref string, command []string) (*native.Engine, runtime.Spec, error) {
	e, err := a.openEngine(cmd)
	if err != nil {
		return nil, runtime.Spec{}, err
	}
	img, err := a.runImage(ctx, e, f, ref)
	if err != nil {
		return nil, runtime.Spec{}, err
	}
	name, err := pickName(e.Runtime, f.name)
	if err != nil {
		return nil, runtime.Spec{}, err
	}
	spec, err := f.runSpec(e, img, newRunID(), name, command, a.env)
	return e, spec, err
}

// runImage finds the image in the store, pulling it as --pull says.
func (a *app) runImage(ctx context.Context, e *native.Engine, f *runFlags, ref string) (*image.Image, error) {
	policy := image.Policy(f.pull)
	if policy != image.PullAlways && f.platform == "" {
		// The fast path: the store by ref or ID, no pull machinery.
		img, err := e.Images.Get(ref)
		switch {
		case err == nil || !errors.Is(err, image.ErrNotFound):
			return img, err
		case policy == image.PullNever:
			return nil, fmt.Errorf("image %s is not in the store, and --pull is never", ref)
		}
		fmt.Fprintf(a.stderr, "Unable to find image %s locally\n", ref)
	}
	return a.pullImage(ctx, e.Images, ref, image.PullOptions{Platform: f.platform, Policy: policy}, a.stderr)
}

// pickName returns the name asked for, refusing one another container
// has, or else a generated one no container has.
func pickName(rt *runtime.Runtime, name string) (string, error) {
	list, err := rt.List()
	if err != nil {
		return "", fmt.Errorf("list containers: %w", err)
	}
	used := map[string]*runtime.Status{}
	for _, st := range list {
		used[st.Name] = st
	}
	if name == "" {
		for name = generateName(); used[name] != nil; name = generateName() {
		}
		return name, nil
	}
	if st := used[name]; st != nil {
		return "", fmt.Errorf("the name %q is already used by container %s (%s); remove it or choose another name", name, shortID(st.ID), st.State)
	}
	return name, nil
}
