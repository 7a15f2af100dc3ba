package main

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

// lifecycleCmd builds stop, start and restart: act on every container
// the arguments name, printing each address once done.
func lifecycleCmd(a *app, use, short, long string, act func(o *ops, m *member, timeout time.Duration) error) *cobra.Command {
	var seconds int
	cmd := &cobra.Command{
		Use:               use + " [options] ADDRESS...",
		Short:             short,
		Long:              long + driftNote,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeManyContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			timeout := time.Duration(seconds) * time.Second
			switch {
			case seconds < 0:
				timeout = 0 // the runtime takes the container's stop_timeout
			case seconds == 0:
				timeout = time.Nanosecond // the stop signal, then SIGKILL at once
			}
			return a.eachMember(cmd, args, func(o *ops, m *member) error { return act(o, m, timeout) })
		},
	}
	if use != "start" {
		cmd.Flags().IntVarP(&seconds, "time", "t", -1, "seconds to wait after the stop signal before SIGKILL (default: the container's stop_timeout)")
	}
	return cmd
}

const driftNote = `

ADDRESS is a container, a deployment (every replica), one replica
(deployment.web#1), or a container outside the state by name or ID.

This is an imperative change behind the configuration's back: the next
berth plan reports the drift and how berth apply would restore it.`

func newStopCmd(a *app) *cobra.Command {
	cmd := lifecycleCmd(a, "stop", "Stop running containers",
		`Stop each container: its stop signal, then SIGKILL once the grace period
(-t, else its stop_timeout) has passed, as docker stop does. Its restart
policy does not bring it back.`,
		func(o *ops, m *member, timeout time.Duration) error {
			return o.engine.Runtime.Stop(o.ctx, m.ID, timeout)
		})
	cmd.Example = `  berth stop container.web
  berth stop -t 30 deployment.web
  berth stop 'deployment.web#1'`
	return cmd
}

func newStartCmd(a *app) *cobra.Command {
	cmd := lifecycleCmd(a, "start", "Start stopped containers",
		`Start each stopped container again, with the same filesystem, under a new
supervisor. Starting a running container does nothing. After a reboot
its networking (namespace, veths, published ports) is made again from
berth's records first.`,
		func(o *ops, m *member, _ time.Duration) error {
			return o.start(m)
		})
	cmd.Example = `  berth start container.web
  berth start deployment.web`
	return cmd
}

// start starts a stopped container, making its networking again first
// when a reboot took it (as apply does).
func (o *ops) start(m *member) error {
	if _, err := o.engine.Networks.Restore(o.ctx, m.ID); err != nil {
		return err
	}
	return o.engine.Runtime.Start(o.ctx, m.ID)
}

func newRestartCmd(a *app) *cobra.Command {
	cmd := lifecycleCmd(a, "restart", "Stop and start containers",
		`Stop each container as berth stop does (-t: the grace period), then start
it again.`,
		func(o *ops, m *member, timeout time.Duration) error {
			if err := o.engine.Runtime.Stop(o.ctx, m.ID, timeout); err != nil {
				return err
			}
			return o.start(m)
		})
	cmd.Example = `  berth restart container.web
  berth restart -t 0 'container.worker["a"]'`
	return cmd
}

func newKillCmd(a *app) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [options] ADDRESS...",
		Short: "Send a signal to containers' main processes",
		Long: `Send a signal (-s, default SIGKILL) to each container's main process. As
in Docker, SIGKILL and the container's stop signal also keep its restart
policy from restarting it.` + driftNote,
		Example: `  berth kill container.web
  berth kill -s HUP deployment.web`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeManyContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			sig, err := runtime.ParseSignal(signal)
			if err != nil {
				return fmt.Errorf("-s %s: %w", signal, err)
			}
			return a.eachMember(cmd, args, func(o *ops, m *member) error {
				err := o.engine.Runtime.Kill(m.ID, syscall.Signal(sig))
				if errors.Is(err, runtime.ErrNotRunning) {
					return errors.New("not running")
				}
				return err
			})
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "SIGKILL", "signal to send: a name (SIGHUP, HUP) or a number")
	return cmd
}

// eachMember resolves every argument and runs act on each container,
// printing its address when it succeeds. Every container is tried; the
// failures are reported and make berth exit 1.
func (a *app) eachMember(cmd *cobra.Command, args []string, act func(o *ops, m *member) error) error {
	o, err := a.openOps(cmd)
	if err != nil {
		return err
	}
	failed := false
	for _, arg := range args {
		ms, err := o.resolve(arg)
		if err != nil {
			a.errorf("%s", err)
			failed = true
			continue
		}
		for _, m := range ms {
			if err := m.present(); err != nil {
				a.errorf("%s", err)
				failed = true
				continue
			}
			if err := act(o, m); err != nil {
				a.errorf("%s: %s", m.display(), err)
				failed = true
				continue
			}
			fmt.Fprintln(cmd.OutOrStdout(), m.ref())
		}
	}
	if failed {
		return errReported
	}
	return nil
}
