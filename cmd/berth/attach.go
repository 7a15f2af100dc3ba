package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newAttachCmd(a *app) *cobra.Command {
	var noStdin bool
	cmd := &cobra.Command{
		Use:   "attach [options] ADDRESS",
		Short: "Attach to the main process of a running container",
		Long: `Connect to a running container's main process, like docker attach. When
the main process exits, berth exits with its exit code.

With a terminal (tty = true in the configuration, or berth run -d -t):
what the terminal prints appears here and what you type goes to it, in
raw mode, so Ctrl-C reaches the container. Ctrl-P Ctrl-Q detaches and
leaves it running. Its output is in berth logs all the same.

Without a terminal: what the main process writes from now on appears on
berth's stdout and stderr, read from its log as berth logs -f does. What
you type goes to its stdin only if it was declared with stdin_open = true;
otherwise berth does not read its own stdin. Ctrl-C detaches without
signalling the container (docker attach --sig-proxy=false); so do Ctrl-P
Ctrl-Q in piped input. For a shell to talk to, declare tty = true.

ADDRESS is a container, one replica (deployment.web#1), or a container
outside the state by name or ID.`,
		Example: `  # main.berth.hcl:
  #   container "shell" {
  #     image   = image.busybox.id
  #     command = ["sh"]
  #     tty     = true
  #   }
  berth apply
  berth attach container.shell

  berth run -d -t --name scratch busybox sh
  berth attach scratch

  berth attach --no-stdin deployment.web#1`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.attach(cmd, args[0], noStdin)
		},
	}
	cmd.Flags().BoolVar(&noStdin, "no-stdin", false, "only watch: do not send what you type")
	return cmd
}

func (a *app) attach(cmd *cobra.Command, arg string, noStdin bool) error {
	o, err := a.openOps(cmd)
	if err != nil {
		return err
	}
	m, err := o.resolveOne(arg)
	if err != nil {
		return err
	}
	if err := m.running(); err != nil {
		return err
	}
	ao := runtime.AttachOptions{Stdout: a.stdout, Stderr: a.stderr, DetachKeys: runtime.DefaultDetachKeys}
	if !noStdin {
		ao.Stdin = a.stdin
	}
	for _, x := range []any{a.stdin, a.stdout} {
		if t, ok := x.(*os.File); ok && term.IsTerminal(int(t.Fd())) {
			ao.Terminal = t
			break
		}
	}
	// SIGINT and SIGTERM detach: a terminal in raw mode passes Ctrl-C to
	// the container instead, so only an attach without one sees them.
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	detached, err := o.engine.Runtime.Attach(ctx, m.ID, ao)
	if err != nil && ctx.Err() != nil && cmd.Context().Err() == nil {
		detached, err = true, nil
	}
	if errors.Is(err, runtime.ErrNotRunning) {
		return fmt.Errorf("%s is not running", m.display())
	}
	if err != nil {
		return fmt.Errorf("%s: %w", m.display(), err)
	}
	if detached {
		fmt.Fprintln(a.stderr, "\r\nDetached; the container keeps running.")
		return nil
	}
	return exitCodeOf(o.engine.Runtime, m.ID)
}

// exitCodeOf waits for the container's exit to be recorded and returns
// it as berth's own. The supervisor records it once the container's
// cgroups are gone, which takes milliseconds, or seconds on a busy host;
// the bound only keeps a hung supervisor from holding berth forever.
func exitCodeOf(rt *runtime.Runtime, id string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		st, err := rt.Status(id)
		if err != nil {
			return nil // removed (--rm)
		}
		if st.State != runtime.StateRunning {
			if st.ExitCode != 0 {
				return exitCode(st.ExitCode)
			}
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}
