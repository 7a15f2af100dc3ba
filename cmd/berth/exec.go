package main

import (
	"errors"
	"fmt"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

type execFlags struct {
	interactive, tty bool
	env              []string
	user, workdir    string
}

func newExecCmd(a *app) *cobra.Command {
	f := &execFlags{}
	cmd := &cobra.Command{
		Use:   "exec [options] ADDRESS [--] COMMAND [ARG...]",
		Short: "Run a command in a running container",
		Long: `Run COMMAND in the running container ADDRESS, like docker exec: in its
namespaces and cgroup, with its capabilities, seccomp profile and
no-new-privileges, as its user in its working directory unless -u or -w
say otherwise.

ADDRESS is a container (container.web, container.web[0]), one replica of
a deployment (deployment.web#1), or a container outside the state (berth
run's) by name or ID. Everything after ADDRESS (or after a literal --)
is the command.

berth exits with the command's exit code; 126 when it cannot be executed,
127 when it is not found; 1 when berth itself fails (an unknown address,
a container that is not running). Signals berth receives are passed on to
the command, which dies with berth.`,
		Example: `  berth exec container.web -- ls -l /srv
  berth exec -it container.db sh
  berth exec -e DEBUG=1 -u nobody -w /tmp deployment.api#0 -- env`,
		Annotations:       map[string]string{annotationStopFlags: "true"},
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			command := args[1:]
			if len(command) > 0 && command[0] == "--" {
				command = command[1:]
			}
			if len(command) == 0 {
				return fmt.Errorf("berth exec needs a COMMAND after the address\nRun '%s -h' for usage", cmd.CommandPath())
			}
			return a.execIn(cmd, f, args[0], command)
		},
	}
	cmd.Flags().SetInterspersed(false)
	fs := cmd.Flags()
	fs.BoolVarP(&f.interactive, "interactive", "i", false, "pass stdin to the command")
	fs.BoolVarP(&f.tty, "tty", "t", false, "give the command a terminal")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable `NAME=VALUE` (repeatable)")
	fs.StringVarP(&f.user, "user", "u", "", "run as `USER[:GROUP]` (name or number; default: the container's)")
	fs.StringVarP(&f.workdir, "workdir", "w", "", "working `DIR` in the container (default: the container's)")
	return cmd
}

// execIn is berth exec once the arguments are parsed.
func (a *app) execIn(cmd *cobra.Command, f *execFlags, arg string, command []string) error {
	if f.tty && f.interactive && !isTerminal(a.stdin) {
		return errors.New("-it needs a terminal on stdin; use -i alone for piped input")
	}
	runtime.PrimeStart() // while the state and the container are read
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
	fg := newForegroundSignals(true)
	defer fg.stop()
	code, err := o.engine.Runtime.Exec(cmd.Context(), m.ID, runtime.ExecOptions{
		Args: command, Env: f.env, User: f.user, WorkingDir: f.workdir, IO: a.foregroundIO(f.interactive, f.tty, fg),
	})
	if err != nil {
		var ee *runtime.ExecError
		switch {
		case errors.As(err, &ee):
			return &codeError{ee.ExitCode(), err}
		case errors.Is(err, runtime.ErrNotRunning):
			return fmt.Errorf("%s is not running; berth start %s starts it", m.display(), m.ref())
		}
		return fmt.Errorf("%s: %w", m.display(), err)
	}
	if code != 0 {
		return exitCode(code)
	}
	return nil
}
