package main

import (
	"errors"
	"fmt"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// taintFlags are the flags taint and untaint share.
type taintFlags struct {
	sf           stateFlag
	lf           lockFlags
	allowMissing bool
}

func (f *taintFlags) register(cmd *cobra.Command) {
	f.sf.register(cmd)
	f.lf.register(cmd)
	cmd.Flags().BoolVar(&f.allowMissing, "allow-missing", false, "succeed, changing nothing, when ADDR is not in the state")
}

func newTaintCmd(a *app) *cobra.Command {
	var f taintFlags
	cmd := &cobra.Command{
		Use:   "taint [flags] ADDR",
		Short: "Mark a resource instance for replacement",
		Long: `Taint marks a recorded resource instance as tainted: the next plan replaces
it (deletes and creates it again, or creates first under create_before_destroy)
even when its configuration has not changed. Nothing else happens until that
plan is applied; berth untaint takes the mark back.

An instance is also tainted when its create or first rollout failed part way.
To replace an instance for one plan only, without recording anything, use
plan -replace=ADDR.`,
		Example: `  berth taint container.web
  berth taint 'container.web[1]'
  berth taint deployment.api && berth apply`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeAddresses,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.setTainted(cmd, &f, args[0], true)
		},
	}
	f.register(cmd)
	return cmd
}

func newUntaintCmd(a *app) *cobra.Command {
	var f taintFlags
	cmd := &cobra.Command{
		Use:   "untaint [flags] ADDR",
		Short: "Take back the replacement mark of a resource instance",
		Long: `Untaint removes the tainted mark from a recorded resource instance, so that
the next plan no longer replaces it for that reason. Use it when an instance was
tainted by berth taint, or by a create or rollout that failed part way, and you
know the object is fine as it is: the next plan then compares it with its
configuration as usual.`,
		Example: `  berth untaint container.web
  berth untaint 'deployment.api'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeAddresses,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.setTainted(cmd, &f, args[0], false)
		},
	}
	f.register(cmd)
	return cmd
}

// errNothingToWrite ends an editState edit that changes nothing.
var errNothingToWrite = errors.New("nothing to write")

// setTainted sets the tainted mark of the instance at addrText, under the
// state lock; nothing is written when the address selects nothing.
func (a *app) setTainted(cmd *cobra.Command, f *taintFlags, addrText string, tainted bool) error {
	verb := map[bool]string{true: "taint", false: "untaint"}[tainted]
	addr, err := addrs.ParseInstance(addrText)
	if err != nil {
		return fmt.Errorf("berth %s: %w", verb, err)
	}
	missing := false
	err = a.editState(cmd, f.sf, f.lf, "berth "+verb, func(st *state.State) error {
		r := st.Resource(addr)
		switch {
		case r == nil && f.allowMissing:
			missing = true
			return errNothingToWrite
		case r == nil:
			return fmt.Errorf("%s is not in the state; berth state list shows what is recorded (use -allow-missing to succeed anyway)", addr)
		case !tainted && !r.Tainted:
			return fmt.Errorf("%s is not tainted; nothing was changed", addr)
		}
		r.Tainted = tainted
		return nil
	})
	if errors.Is(err, errNothingToWrite) {
		err = nil
	}
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	switch {
	case missing:
		fmt.Fprintf(w, "%s is not in the state; nothing to %s.\n", addr, verb)
	case tainted:
		fmt.Fprintf(w, "Resource instance %s has been marked as tainted: the next plan replaces it.\n", addr)
	default:
		fmt.Fprintf(w, "Resource instance %s has been successfully untainted.\n", addr)
	}
	return nil
}
