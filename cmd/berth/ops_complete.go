package main

import (
	"slices"
	"strings"

	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// opsCommands are the commands that operate what runs.
func opsCommands(a *app) []*cobra.Command {
	return []*cobra.Command{
		newPsCmd(a), newLogsCmd(a), newExecCmd(a), newTopCmd(a), newStatsCmd(a),
		newCpCmd(a), newInspectCmd(a), newAttachCmd(a),
		newStopCmd(a), newStartCmd(a), newRestartCmd(a), newKillCmd(a),
	}
}

// containerAddresses lists, from the state of the configuration in dir,
// the addresses the operating commands take: each container, each
// deployment, and each replica (deployment.web#0).
func containerAddresses(dir string) []string {
	cfg, _ := spec.Load(dir, spec.LoadOptions{})
	st, err := state.Open(statePathOf(cfg, dir)).Read()
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, r := range st.Resources {
		if !isContainerType(r.Addr.Type) {
			continue
		}
		add(r.Addr.Resource.String())
		add(r.Addr.String())
		ms, _ := membersOf(r)
		for _, m := range ms {
			add(m.Addr)
		}
	}
	return out
}

// completionDir is the directory -chdir names while completing.
func completionDir(cmd *cobra.Command) string {
	if f := cmd.Flag("chdir"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return "."
}

// completeContainers completes the first argument, a container address.
func completeContainers(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return withPrefix(containerAddresses(completionDir(cmd)), toComplete, ""), cobra.ShellCompDirectiveNoFileComp
}

// completeManyContainers completes every argument as a container
// address, leaving out those already given.
func completeManyContainers(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	all := slices.DeleteFunc(containerAddresses(completionDir(cmd)), func(s string) bool { return slices.Contains(args, s) })
	return withPrefix(all, toComplete, ""), cobra.ShellCompDirectiveNoFileComp
}

// completeCopy completes berth cp's arguments: ADDRESS: forms, or host
// paths.
func completeCopy(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 1 || strings.HasPrefix(toComplete, "/") || strings.HasPrefix(toComplete, ".") {
		return nil, cobra.ShellCompDirectiveDefault
	}
	out := withPrefix(containerAddresses(completionDir(cmd)), toComplete, ":")
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func withPrefix(all []string, prefix, suffix string) []string {
	var out []string
	for _, s := range all {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s+suffix)
		}
	}
	return out
}
