package main

import (
	"errors"
	"fmt"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

func newStateCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Inspect and edit the recorded state",
		Long: `The state subcommands list, show, forget and re-address the resource
instances berth has recorded. They never touch the real world.`,
		Example: `  berth state list
  berth state show 'container.web[0]'
  berth state mv container.web container.frontend
  berth state rm container.old`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newStateListCmd(a), newStateShowCmd(a), newStateRmCmd(a), newStateMvCmd(a))
	return cmd
}

func newStateListCmd(a *app) *cobra.Command {
	var sf stateFlag
	cmd := &cobra.Command{
		Use:   "list [flags] [ADDR...]",
		Short: "List recorded resource instances",
		Long:  `List prints the address of every recorded instance, or of those the given addresses select (a module, a resource, or one instance).`,
		Example: `  berth state list
  berth state list container.web module.app`,
		ValidArgsFunction: completeAddresses,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets, err := parseTargets(args)
			if err != nil {
				return err
			}
			ws, st, err := a.readStateOnly(cmd, sf)
			defer ws.close()
			if err != nil {
				return err
			}
			for _, r := range st.Resources {
				if selected(r.Addr, targets) {
					fmt.Fprintln(cmd.OutOrStdout(), r.Addr)
				}
			}
			return nil
		},
	}
	sf.register(cmd)
	return cmd
}

func newStateShowCmd(a *app) *cobra.Command {
	var sf stateFlag
	cmd := &cobra.Command{
		Use:   "show [flags] ADDR",
		Short: "Show one recorded resource instance",
		Long: `Show prints the recorded attributes of one instance as berth last saw
it, in the configuration's syntax; sensitive values stay hidden. ADDR is
one instance, as "berth state list" prints it (container.web,
container.web[0], module.app.container.db).`,
		Example: `  berth state show container.db
  berth state show 'container.web["a"]'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeAddresses,
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := addrs.ParseInstance(args[0])
			if err != nil {
				return err
			}
			ws, st, err := a.readStateOnly(cmd, sf)
			defer ws.close()
			if err != nil {
				return err
			}
			r := st.Resource(addr)
			if r == nil {
				return fmt.Errorf("%s is not in the state; run berth state list to see what is", addr)
			}
			return views.WriteStateResource(cmd.OutOrStdout(), r, ws.reg.Schema)
		},
	}
	sf.register(cmd)
	return cmd
}

func parseTargets(args []string) ([]addrs.Target, error) {
	var out []addrs.Target
	for _, s := range args {
		t, err := addrs.ParseTarget(s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// selected reports whether any target selects addr; no targets select all.
func selected(addr addrs.Instance, targets []addrs.Target) bool {
	if len(targets) == 0 {
		return true
	}
	for _, t := range targets {
		if t.Contains(addr) {
			return true
		}
	}
	return false
}

// editState runs edit on the locked state and writes the result; nothing
// is written when edit fails.
func (a *app) editState(cmd *cobra.Command, sf stateFlag, lf lockFlags, operation string, edit func(*state.State) error) error {
	ws, store, err := a.openStateOnly(cmd, sf)
	defer ws.close()
	if err != nil {
		return err
	}
	unlock, err := a.lock(cmd.Context(), store, operation, lf)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := readState(store)
	if err != nil {
		return err
	}
	if err := edit(st); err != nil {
		return err
	}
	return store.Write(st)
}

func newStateRmCmd(a *app) *cobra.Command {
	var (
		sf stateFlag
		lf lockFlags
	)
	cmd := &cobra.Command{
		Use:   "rm [flags] ADDR...",
		Short: "Forget resource instances without destroying them",
		Long: `Rm removes instances from the state: berth stops managing them, and
the objects themselves keep running. Each address must select something.`,
		Example: `  berth state rm container.web
  berth state rm 'container.web[1]' module.old`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeAddresses,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets, err := parseTargets(args)
			if err != nil {
				return err
			}
			var removed []*state.Resource
			err = a.editState(cmd, sf, lf, "berth state rm", func(st *state.State) error {
				for _, t := range targets {
					found := st.ResourcesIn(t)
					if len(found) == 0 {
						return fmt.Errorf("%s selects nothing in the state; run berth state list to see what is recorded (nothing was removed)", t)
					}
					for _, r := range found {
						st.Remove(r.Addr)
						removed = append(removed, r)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, r := range removed {
				fmt.Fprintf(w, "Removed %s\n", r.Addr)
			}
			fmt.Fprintf(w, "Successfully removed %d resource instance(s).\n", len(removed))
			return nil
		},
	}
	sf.register(cmd)
	lf.register(cmd)
	return cmd
}

func newStateMvCmd(a *app) *cobra.Command {
	var (
		sf stateFlag
		lf lockFlags
	)
	cmd := &cobra.Command{
		Use:   "mv [flags] SOURCE DESTINATION",
		Short: "Re-address recorded resource instances",
		Long: `Mv gives recorded instances a new address, so that renaming a block in
the configuration does not destroy and re-create what it manages. It moves an
instance, every instance of a resource, or a whole module.`,
		Example: `  berth state mv container.web container.frontend
  berth state mv 'container.web[0]' 'container.web["a"]'
  berth state mv module.old module.new`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeAddresses,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets, err := parseTargets(args)
			if err != nil {
				return err
			}
			var moved int
			err = a.editState(cmd, sf, lf, "berth state mv", func(st *state.State) error {
				moved = len(st.ResourcesIn(targets[0]))
				return st.Move(targets[0], targets[1])
			})
			var me *state.MoveError
			if errors.As(err, &me) {
				return fmt.Errorf("%s (nothing was moved)", me.Error())
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Move %q to %q\nSuccessfully moved %d object(s).\n", args[0], args[1], moved)
			return nil
		},
	}
	sf.register(cmd)
	lf.register(cmd)
	return cmd
}
