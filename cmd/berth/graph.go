package main

import (
	"fmt"

	"github.com/berthhq/berth/planner"
	"github.com/spf13/cobra"
)

func newGraphCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "graph",
		Short: "Print the dependency graph in Graphviz DOT",
		Long: `Graph prints the dependency graph of the configuration's resources in
Graphviz DOT, for "dot -Tsvg". An edge runs from a resource to one it
depends on, by reference or depends_on: apply creates the one it points
to first, and destroy removes it last.`,
		Example: `  berth graph | dot -Tsvg > graph.svg`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace(cmd)
			defer ws.close()
			if err != nil {
				return err
			}
			g, diags := planner.BuildGraph(planner.Options{
				Config:    ws.cfg,
				Variables: placeholderVariables(ws.cfg),
				Providers: ws.reg,
			})
			if err := ws.diagnose(diags); err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), g.DOT())
			return err
		},
	}
}
