package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newAttachCmd(a *app) *cobra.Command {
	var noStdin bool
	cmd := &cobra.Command{
		Use:   "attach [options] ADDRESS",
		Short: "Attach to the terminal of a running container",
		Long: `Connect to the terminal of a container's main process, like docker attach:
what it prints appears here, what you type goes to it. This needs a
container started with a terminal (berth run -d -t). Ctrl-P Ctrl-Q
detaches and leaves it running; when its main process exits, berth exits
with its exit code.

ADDRESS is a container, one replica (deployment.web#1), or a container
outside the state by name or ID.`,
		Example: `  berth run -d -t --name shell busybox sh
  berth attach shell`,
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
	ao := runtime.AttachOptions{Stdout: a.stdout, DetachKeys: runtime.DefaultDetachKeys}
	if !noStdin {
		ao.Stdin = a.stdin
	}
	for _, x := range []any{a.stdin, a.stdout} {
		if t, ok := x.(*os.File); ok && term.IsTerminal(int(t.Fd())) {
			ao.Terminal = t
			break
		}
	}
	detached, err := o.engine.Runtime.Attach(cmd.Context(), m.ID, ao)
	if errors.Is(err, runtime.ErrNotRunning) {
		return fmt.Errorf("%s is not running", m.display())
	}
	if errors.Is(err, runtime.ErrNoTerminal) {
		return fmt.Errorf("%s was not started with a terminal (berth run -t); berth logs -f %s follows its output", m.display(), m.ref())
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

// exitCodeOf waits briefly for the container's exit to be recorded and
// returns it as berth's own.
func exitCodeOf(rt *runtime.Runtime, id string) error {
	deadline := time.Now().Add(3 * time.Second)
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
