package main

import (
	"strings"

	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// addCompletionCmd adds cobra's "completion bash|zsh|fish|powershell"
// command now rather than when the root runs, so that it carries
// examples like every other command and the generated reference lists it.
func addCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = `  source <(berth completion bash)
  berth completion zsh > "${fpath[1]}/_berth"
  berth completion fish > ~/.config/fish/completions/berth.fish`
		for _, shell := range c.Commands() {
			shell.Example = completionExamples[shell.Name()]
		}
	}
}

// completionExamples are the examples of each shell's completion command.
var completionExamples = map[string]string{
	"bash":       "  source <(berth completion bash)\n  berth completion bash > /etc/bash_completion.d/berth",
	"zsh":        "  berth completion zsh > \"${fpath[1]}/_berth\"",
	"fish":       "  berth completion fish > ~/.config/fish/completions/berth.fish",
	"powershell": "  berth completion powershell | Out-String | Invoke-Expression",
}

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
