package main

import (
	"strings"

	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// completeAddresses completes resource instance addresses from the
// current state, read-only and without the lock. Cobra's own
// "completion bash|zsh|fish|powershell" command installs the scripts.
func completeAddresses(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	reg, err := newRegistry(cmd.Context())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer reg.Close()
	dir := "."
	if f := cmd.Flag("chdir"); f != nil && f.Value.String() != "" {
		dir = f.Value.String()
	}
	cfg, _ := spec.Load(dir, spec.LoadOptions{Schemas: reg.Schema})
	path := statePathOf(cfg, dir)
	if f := cmd.Flags().Lookup("state"); f != nil && f.Value.String() != "" {
		path = f.Value.String()
	}
	st, err := state.Open(path).Read()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range st.Resources {
		for _, s := range []string{r.Addr.Resource.String(), r.Addr.String()} {
			if !seen[s] && strings.HasPrefix(s, toComplete) {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
