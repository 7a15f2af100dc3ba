package main

import (
	"fmt"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

func newValidateCmd(a *app) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "validate [flags]",
		Short: "Check that the configuration is valid",
		Long: `Validate loads the configuration and checks it without touching the real
world or the state: syntax, blocks and attributes against the resource schemas,
types of constant values, references to undeclared things and reference cycles;
then the values known before apply, with the providers' own checks (a value the
runtime would refuse), and that no two resources take one runtime name.
Variables need no values: those without a default are taken as unknown.`,
		Example: `  berth validate
  berth -chdir=deploy/prod validate
  berth validate -json | jq .valid`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runValidate(cmd, jsonOut)
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON")
	return cmd
}

func (a *app) runValidate(cmd *cobra.Command, jsonOut bool) error {
	reg, err := newRegistry(cmd.Context())
	if err != nil {
		return err
	}
	defer reg.Close()
	cfg, diags := spec.Load(".", spec.LoadOptions{Schemas: reg.Schema})
	if cfg != nil && !diags.HasErrors() {
		more := planner.Validate(cmd.Context(), planner.Options{
			Config:    cfg,
			Variables: placeholderVariables(cfg),
			Providers: reg,
		})
		diags = append(diags, more...)
	}
	var sources map[string][]byte
	if cfg != nil {
		sources = cfg.Sources
	}
	if jsonOut {
		if err := views.WriteValidateJSON(cmd.OutOrStdout(), diags); err != nil {
			return err
		}
		if diags.HasErrors() {
			return errReported
		}
		return nil
	}
	if err := a.diagnose(sources, diags); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	c := a.colors(w)
	if hasWarnings(diags) {
		fmt.Fprintf(w, "%s The configuration is valid, but there were some validation warnings as shown above.\n", c.Bold(c.Green("Success!")))
		return nil
	}
	fmt.Fprintf(w, "%s The configuration is valid.\n", c.Bold(c.Green("Success!")))
	return nil
}

func hasWarnings(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			return true
		}
	}
	return false
}
