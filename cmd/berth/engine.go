package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/spec"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

// openEngine opens the native runtime's stores for the image and
// container commands (pull, images, rmi, prune, run). The runtime root
// is -root or BERTH_ROOT when given; else, when the working directory
// holds a configuration, its berth { runtime { root } } (its registry
// settings apply either way); else the default, /var/lib/berth.
func (a *app) openEngine(cmd *cobra.Command) (*native.Engine, error) {
	root, err := a.rootOverride()
	if err != nil {
		return nil, err
	}
	p := &rootedProvider{Provider: native.New(), root: root}
	if hasConfiguration(".") {
		if err := a.configureFromWorkspace(cmd, p); err != nil {
			return nil, err
		}
	} else {
		resp := p.Configure(cmd.Context(), providers.ConfigureRequest{BerthVersion: spec.BerthVersion,
			Config: cty.ObjectVal(map[string]cty.Value{"runtime_root": cty.NullVal(cty.String)})})
		if err := resp.Diagnostics.Err(); err != nil {
			return nil, err
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	e, err := p.Engine()
	if err != nil {
		return nil, err
	}
	slog.Debug("runtime opened", "root", e.Root)
	return e, nil
}

// rootOverride is -root, else BERTH_ROOT, made absolute; "" when unset.
func (a *app) rootOverride() (string, error) {
	root, from := a.root, "-root"
	if root == "" {
		root, from = a.getenv("BERTH_ROOT"), "BERTH_ROOT"
	}
	if root == "" {
		return "", nil
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("%s=%s: %w", from, root, err)
	}
	return abs, nil
}

// hasConfiguration reports whether dir holds configuration files.
func hasConfiguration(dir string) bool {
	for _, pattern := range []string{"*.berth.hcl", "*.berth.json"} {
		if m, _ := filepath.Glob(filepath.Join(dir, pattern)); len(m) > 0 {
			return true
		}
	}
	return false
}

// configureFromWorkspace loads the configuration in the working
// directory and configures p from its berth block, as plan does.
// Variables without a value are only an error when the runtime settings
// need them.
func (a *app) configureFromWorkspace(cmd *cobra.Command, p *rootedProvider) error {
	cfg, diags := a.loadWorkspace()
	if err := a.diagnose(sourcesOf(cfg), diags); err != nil {
		return err
	}
	if cfg == nil {
		return errors.New("no configuration loaded")
	}
	vars := placeholderVariables(cfg)
	if vals, vdiags := spec.CollectVariables(cfg, spec.VarOptions{Env: a.env}); !vdiags.HasErrors() {
		vars = vals
	}
	reg := providers.NewRegistry()
	if err := reg.Register(cmd.Context(), p); err != nil {
		return err
	}
	return a.diagnose(cfg.Sources, planner.ConfigureProviders(cmd.Context(), planner.Options{
		Config: cfg, Variables: vars, Providers: reg,
	}))
}

func sourcesOf(cfg *spec.Config) map[string][]byte {
	if cfg == nil {
		return nil
	}
	return cfg.Sources
}

// rootedProvider is the native provider with the runtime root taken from
// -root / BERTH_ROOT when set, whatever the configuration says.
type rootedProvider struct {
	*native.Provider
	root string
	err  error // the configuration's root cannot be known
}

func (p *rootedProvider) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	cfg := req.Config
	if cfg != cty.NilVal {
		cfg, _ = cfg.UnmarkDeep()
	}
	if cfg == cty.NilVal || cfg.IsNull() || !cfg.IsKnown() || !cfg.Type().IsObjectType() {
		cfg = cty.EmptyObjectVal
	}
	attrs := cfg.AsValueMap()
	if attrs == nil {
		attrs = map[string]cty.Value{}
	}
	switch rr, ok := attrs["runtime_root"]; {
	case p.root != "":
		attrs["runtime_root"] = cty.StringVal(p.root)
	case ok && !rr.IsKnown():
		p.err = errors.New("the configuration's runtime root depends on variables without a value: set them (BERTH_VAR_name) or pass -root DIR")
	}
	req.Config = cty.ObjectVal(attrs)
	return p.Provider.Configure(ctx, req)
}
