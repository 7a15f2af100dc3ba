package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

// defaultStateFile is the state file name in the configuration directory
// when the berth block names none.
const defaultStateFile = "berth.state"

// workspace is the configuration directory a command works on, loaded
// as far as the command needs.
type workspace struct {
	app *app
	cmd *cobra.Command
	dir string

	reg *providers.Registry
	cfg *spec.Config
}

// openWorkspace registers the providers and loads the configuration in
// the working directory, printing diagnostics. On errors it returns
// errReported and a workspace that must still be closed.
func (a *app) openWorkspace(cmd *cobra.Command) (*workspace, error) {
	ws := &workspace{app: a, cmd: cmd, dir: "."}
	reg, err := newRegistry(cmd.Context())
	if err != nil {
		return ws, err
	}
	ws.reg = reg
	cfg, diags := spec.Load(ws.dir, spec.LoadOptions{Schemas: reg.Schema})
	ws.cfg = cfg
	if err := ws.diagnose(diags); err != nil {
		return ws, err
	}
	if cfg == nil {
		return ws, fmt.Errorf("no configuration loaded from %s", ws.absDir())
	}
	slog.Debug("configuration loaded", "dir", ws.absDir(), "hash", cfg.Hash)
	return ws, nil
}

// close releases the providers.
func (ws *workspace) close() {
	if ws.reg != nil {
		if err := ws.reg.Close(); err != nil {
			slog.Warn("closing providers", "err", err)
		}
	}
}

func (ws *workspace) absDir() string {
	if abs, err := filepath.Abs(ws.dir); err == nil {
		return abs
	}
	return ws.dir
}

// sources returns the loaded files' bytes for diagnostic snippets.
func (ws *workspace) sources() map[string][]byte {
	if ws.cfg == nil {
		return nil
	}
	return ws.cfg.Sources
}

// diagnose prints diags to stderr and returns errReported when any is
// an error.
func (ws *workspace) diagnose(diags hcl.Diagnostics) error {
	return ws.app.diagnose(ws.sources(), diags)
}

// diagnose prints diags to stderr with snippets from sources and returns
// errReported when any is an error.
func (a *app) diagnose(sources map[string][]byte, diags hcl.Diagnostics) error {
	if len(diags) == 0 {
		return nil
	}
	views.NewDiagnostics(a.stderr, sources, termWidth(a.stderr), a.colors(a.stderr)).Print(diags)
	if diags.HasErrors() {
		return errReported
	}
	return nil
}

// statePath is the state file of the configuration: the berth block's
// state path relative to the configuration directory, or berth.state.
func (ws *workspace) statePath() string {
	return statePathOf(ws.cfg, ws.dir)
}

func statePathOf(cfg *spec.Config, dir string) string {
	p := defaultStateFile
	if cfg != nil && cfg.Berth != nil && cfg.Berth.StatePath != "" {
		p = cfg.Berth.StatePath
	}
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// store opens the state file of the configuration.
func (ws *workspace) store() *state.Store { return state.Open(ws.statePath()) }

// lockFlags are -lock and -lock-timeout.
type lockFlags struct {
	enabled bool
	timeout time.Duration
}

func (f *lockFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.enabled, "lock", true, "hold the state lock during the operation (-lock=false: don't)")
	cmd.Flags().DurationVar(&f.timeout, "lock-timeout", 0, "how long to retry taking the state lock (e.g. 5s)")
}

// lock takes the state lock for operation, printing who holds it when
// that fails. The returned function releases it.
func (a *app) lock(ctx context.Context, store *state.Store, operation string, f lockFlags) (func(), error) {
	if !f.enabled {
		return func() {}, nil
	}
	l, err := store.Lock(ctx, operation, f.timeout)
	if err != nil {
		var le *state.LockError
		if errors.As(err, &le) {
			a.errorf("Error acquiring the state lock of %s\n\n%s", store.Path, le.Error())
			return nil, errReported
		}
		return nil, fmt.Errorf("lock state %s: %w", store.Path, err)
	}
	slog.Debug("state locked", "path", store.Path, "id", l.Info.ID)
	return func() {
		if err := l.Unlock(); err != nil {
			a.warnf("releasing the state lock of %s: %v; run berth force-unlock %s if it stays", store.Path, err, l.Info.ID)
		}
	}, nil
}

// readState reads the state, turning a file that cannot be used into an
// error that says what to do.
func readState(store *state.Store) (*state.State, error) {
	st, err := store.Read()
	switch {
	case err == nil:
		return st, nil
	case errors.Is(err, state.ErrNewerVersion):
		return nil, fmt.Errorf("%w; the state file was left unchanged", err)
	case errors.Is(err, state.ErrInvalid):
		if _, serr := os.Stat(store.BackupPath()); serr == nil {
			return nil, fmt.Errorf("%w\nThe previous version of the state is in %s", err, store.BackupPath())
		}
	}
	return nil, err
}
