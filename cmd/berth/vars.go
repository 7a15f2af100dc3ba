package main

import (
	"fmt"
	"strings"

	"github.com/berthhq/berth/spec"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

// varFlags collects -var and -var-file flags in command-line order, which
// decides precedence between them.
type varFlags struct{ args []spec.VarArg }

func (f *varFlags) register(cmd *cobra.Command) {
	cmd.Flags().Var(&varValue{args: &f.args}, "var", "set a root variable: -var 'NAME=VALUE' (repeatable)")
	cmd.Flags().Var(&varValue{args: &f.args, file: true}, "var-file", "load root variable values from `FILE` (repeatable)")
}

// varValue is one of the two flags feeding the shared, ordered list.
type varValue struct {
	args *[]spec.VarArg
	file bool
}

func (v *varValue) String() string { return "" }

func (v *varValue) Type() string {
	if v.file {
		return "FILE"
	}
	return "NAME=VALUE"
}

func (v *varValue) Set(s string) error {
	if !v.file {
		name, _, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("want NAME=VALUE, e.g. -var 'replicas=3'")
		}
	}
	*v.args = append(*v.args, spec.VarArg{File: v.file, Value: s})
	return nil
}

// collect returns the root variable values from defaults, auto files,
// BERTH_VAR_ environment variables and the flags, printing diagnostics.
func (f *varFlags) collect(ws *workspace) (map[string]cty.Value, error) {
	vals, diags := spec.CollectVariables(ws.cfg, spec.VarOptions{Args: f.args, Env: ws.app.env})
	if err := ws.diagnose(diags); err != nil {
		return nil, err
	}
	return vals, nil
}

// placeholderVariables gives every root variable its default, or an
// unknown value of its type when it has none: what validate and graph
// evaluate with, needing no values from the user.
func placeholderVariables(cfg *spec.Config) map[string]cty.Value {
	out := make(map[string]cty.Value, len(cfg.Variables))
	for name, v := range cfg.Variables {
		if v.Default != cty.NilVal {
			out[name] = v.Default
			continue
		}
		out[name] = cty.UnknownVal(v.Type)
	}
	return out
}
