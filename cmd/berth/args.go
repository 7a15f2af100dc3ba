package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// rewriteArgs turns Terraform-style single-dash long flags into the
// double-dash form pflag understands: "-out=FILE" becomes "--out=FILE"
// and "-auto-approve" becomes "--auto-approve", when the name is a long
// flag (longer than one character) of the command being run or of one of
// its parents. Shorthand clusters such as "-it", unknown names,
// everything after a bare "--", and everything after the first argument
// of a command annotated with annotationStopFlags (berth run IMAGE CMD...)
// are left alone.
//
// The command is found while walking the arguments, the way cobra finds
// it, so that a flag taking a separate value ("-chdir DIR plan") does not
// hide the subcommand name.
func rewriteArgs(root *cobra.Command, args []string) []string {
	if len(args) > 0 && strings.HasPrefix(args[0], cobra.ShellCompRequestCmd) {
		// Shell completion requests carry the command line being typed.
		return append([]string{args[0]}, rewriteArgs(root, args[1:])...)
	}
	out := make([]string, 0, len(args))
	cmd := root
	positional := false // a non-command word ends the command path
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if sub := findSub(cmd, a); sub != nil && !positional {
				cmd = sub
			} else if cmd.Annotations[annotationStopFlags] != "" {
				// berth run IMAGE CMD...: the rest is the container's.
				return append(out, args[i:]...)
			} else {
				positional = true
			}
			out = append(out, a)
			continue
		}
		name, hasValue := flagName(a)
		f := lookupFlag(cmd, name)
		if strings.HasPrefix(a, "--") || len(name) < 2 || f == nil {
			out = append(out, a)
			if f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
				i++ // the flag's value, never a subcommand name
				out = append(out, args[i])
			}
			continue
		}
		out = append(out, "-"+a)
		if !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}

// flagName returns the name of a flag argument ("-out=x" gives "out")
// and whether the argument carries its value after "=".
func flagName(arg string) (string, bool) {
	name := strings.TrimLeft(arg, "-")
	if k := strings.IndexByte(name, '='); k >= 0 {
		return name[:k], true
	}
	return name, false
}

// lookupFlag finds a long flag of cmd or of its parents' persistent flags.
// Single-dash arguments of one letter are shorthands and never looked up.
func lookupFlag(cmd *cobra.Command, name string) *pflag.Flag {
	if len(name) < 2 {
		if len(name) == 1 {
			return shorthandFlag(cmd, name)
		}
		return nil
	}
	cmd.InitDefaultHelpFlag()
	cmd.InitDefaultVersionFlag()
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	for p := cmd; p != nil; p = p.Parent() {
		if f := p.PersistentFlags().Lookup(name); f != nil {
			return f
		}
	}
	return nil
}

// shorthandFlag finds a one-letter flag, so that its separate value is
// skipped while looking for the subcommand.
func shorthandFlag(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().ShorthandLookup(name); f != nil {
		return f
	}
	for p := cmd; p != nil; p = p.Parent() {
		if f := p.PersistentFlags().ShorthandLookup(name); f != nil {
			return f
		}
	}
	return nil
}

// findSub returns cmd's subcommand called name (or aliased so), or nil.
func findSub(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}
