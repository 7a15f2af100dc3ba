package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func newForceUnlockCmd(a *app) *cobra.Command {
	var (
		force bool
		sf    stateFlag
	)
	cmd := &cobra.Command{
		Use:   "force-unlock [flags] LOCK_ID",
		Short: "Remove a state lock left behind",
		Long: `Force-unlock removes the state lock whose ID is LOCK_ID (printed by the
command that found the state locked). Use it only when the holder is gone:
two berth processes writing one state lose changes.`,
		Example: `  berth force-unlock 6a1f0c7e-2b1d-4c55-9a0e-8d7f3e2a1b90
  berth force-unlock -force 6a1f0c7e-2b1d-4c55-9a0e-8d7f3e2a1b90`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !force {
				answer, err := a.ask(cmd, "Do you really want to force-unlock?",
					"berth will remove the lock on the state file.\nThis lets other berth commands modify this state, even though it\nmay still be in use. Only 'yes' will be accepted to confirm.", "-force")
				if err != nil {
					return err
				}
				if answer != "yes" {
					return errors.New("force-unlock cancelled; the lock is still held")
				}
			}
			ws, store, err := a.openStateOnly(cmd, sf)
			defer ws.close()
			if err != nil {
				return err
			}
			if err := store.ForceUnlock(args[0]); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s The state has been unlocked, and berth commands\nshould now be able to obtain a new lock on it.\n",
				a.colors(w).Bold(a.colors(w).Green("berth state has been successfully force-unlocked!")))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "don't ask for confirmation")
	sf.register(cmd)
	return cmd
}
