package main

import (
	"log/slog"

	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// stateFlag is -state, naming the state file instead of the one the
// configuration uses.
type stateFlag struct{ path string }

func (f *stateFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.path, "state", "", "use the state file at `PATH` instead of the configuration's")
}

// openStateOnly registers the providers (for schemas) and finds the state
// file without requiring a valid configuration: -state when given, else
// the berth block's path when the configuration loads far enough to name
// one, else berth.state. The workspace must be closed.
func (a *app) openStateOnly(cmd *cobra.Command, f stateFlag) (*workspace, *state.Store, error) {
	ws := &workspace{app: a, cmd: cmd, dir: "."}
	reg, err := newRegistry(cmd.Context())
	if err != nil {
		return ws, nil, err
	}
	ws.reg = reg
	if f.path != "" {
		return ws, state.Open(f.path), nil
	}
	cfg, diags := spec.Load(ws.dir, spec.LoadOptions{Schemas: reg.Schema})
	if diags.HasErrors() {
		slog.Debug("configuration has errors; finding the state file anyway", "diagnostics", diags.Error())
	}
	ws.cfg = cfg
	return ws, ws.store(), nil
}

// readStateOnly opens and reads the state for a read-only command.
func (a *app) readStateOnly(cmd *cobra.Command, f stateFlag) (*workspace, *state.State, error) {
	ws, store, err := a.openStateOnly(cmd, f)
	if err != nil {
		return ws, nil, err
	}
	st, err := readState(store)
	if err != nil {
		return ws, nil, err
	}
	return ws, st, nil
}
