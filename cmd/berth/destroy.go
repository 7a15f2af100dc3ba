package main

import "github.com/spf13/cobra"

func newDestroyCmd(a *app) *cobra.Command {
	var (
		f           planFlags
		autoApprove bool
	)
	cmd := &cobra.Command{
		Use:   "destroy [flags]",
		Short: "Destroy every resource berth manages here",
		Long: `Destroy plans the deletion of every recorded resource, in reverse
dependency order, shows it and asks for approval; it is "berth apply -destroy".
A resource with lifecycle { prevent_destroy = true } makes it fail.`,
		Example: `  berth destroy
  berth destroy -auto-approve
  berth destroy -target=container.web`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.destroy = true
			return a.runApply(cmd, &f, autoApprove)
		},
	}
	f.register(cmd, false)
	cmd.Flags().BoolVar(&autoApprove, "auto-approve", false, "destroy without asking for approval")
	return cmd
}
