package main

import (
	"os"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/planner"
	"github.com/spf13/cobra"
)

func newShowCmd(a *app) *cobra.Command {
	var (
		jsonOut bool
		sf      stateFlag
	)
	cmd := &cobra.Command{
		Use:   "show [flags] [PLANFILE]",
		Short: "Show a saved plan or the current state",
		Long: `Show prints a plan file saved by "berth plan -out" in the form plan prints it,
or without a file, every resource and output recorded in the state.`,
		Example: `  berth show
  berth show -json | jq '.values.root_module.resources[].address'
  berth plan -out=berth.plan && berth show -json berth.plan`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return a.showPlan(cmd, args[0], jsonOut)
			}
			return a.showState(cmd, sf, jsonOut)
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON")
	sf.register(cmd)
	return cmd
}

func (a *app) showPlan(cmd *cobra.Command, path string, jsonOut bool) error {
	reg, err := newRegistry(cmd.Context())
	if err != nil {
		return err
	}
	defer reg.Close()
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	p, err := planner.ReadPlanFile(file, reg)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	if jsonOut {
		return views.WritePlanJSON(w, p, version)
	}
	return views.WritePlan(w, p, a.colors(w))
}

func (a *app) showState(cmd *cobra.Command, sf stateFlag, jsonOut bool) error {
	ws, st, err := a.readStateOnly(cmd, sf)
	defer ws.close()
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	if jsonOut {
		return views.WriteStateJSON(w, st, ws.reg.Schema, version)
	}
	return views.WriteState(w, st, ws.reg.Schema, a.colors(w))
}
