package main

import (
	"errors"
	"fmt"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

func newTopCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "top [options] ADDRESS",
		Short: "List the processes running in a container",
		Long: `List the processes in a running container's cgroup (its main process,
their children, and processes started by berth exec): PID and parent PID
as the host sees them, user (named from the container's /etc/passwd), CPU
time and command line.`,
		Example: `  berth top container.web
  berth top deployment.api#0 --format json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			o, err := a.openOps(cmd)
			if err != nil {
				return err
			}
			m, err := o.resolveOne(args[0])
			if err != nil {
				return err
			}
			if err := m.running(); err != nil {
				return err
			}
			procs, err := o.engine.Runtime.Top(m.ID)
			if errors.Is(err, runtime.ErrNotRunning) {
				return fmt.Errorf("%s is not running", m.display())
			}
			if err != nil {
				return err
			}
			if format == "json" {
				return views.TopJSON(cmd.OutOrStdout(), procs)
			}
			return views.TopTable(cmd.OutOrStdout(), procs)
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "output format: table (default) or json")
	return cmd
}
