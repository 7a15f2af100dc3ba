package planner

import (
	"context"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ConfigureProviders evaluates the berth block's runtime and registry
// settings (with root variables in scope) and passes them to every
// registered provider's Configure. Call it once before Plan or Apply.
//
// The value passed is an object {runtime_root: string or null,
// registries: map of objects following schemas.Registry}.
func ConfigureProviders(ctx context.Context, opts Options) hcl.Diagnostics {
	cfgVal, diags := providerConfig(opts)
	if diags.HasErrors() {
		return diags
	}
	for _, info := range opts.Providers.Providers() {
		p, _ := opts.Providers.Provider(info.Name)
		resp := p.Configure(ctx, providers.ConfigureRequest{BerthVersion: spec.BerthVersion, Config: cfgVal})
		diags = append(diags, providerDiags("provider "+info.Name, "configure", resp.Diagnostics)...)
	}
	return diags
}

func providerConfig(opts Options) (cty.Value, hcl.Diagnostics) {
	root := opts.Config
	ev := newEvaluator(root, opts.Variables, newInstanceValues())
	scope := ev.scope(root, spec.RepetitionData{})
	runtimeRoot := cty.NullVal(cty.String)
	registries := map[string]cty.Value{}
	var diags hcl.Diagnostics
	if b := root.Berth; b != nil {
		if b.RuntimeRoot != nil {
			v, d := scope.EvalExpr(b.RuntimeRoot, cty.String)
			diags = append(diags, d...)
			runtimeRoot, _ = v.UnmarkDeep()
		}
		for _, reg := range b.Registries {
			v, d := scope.EvalBody(reg.Body, schemas.Registry)
			diags = append(diags, d...)
			if !d.HasErrors() {
				registries[reg.Host] = v
			}
		}
	}
	regs := cty.MapValEmpty(schemas.Registry.ImpliedType())
	if len(registries) > 0 {
		regs = cty.MapVal(registries)
	}
	return cty.ObjectVal(map[string]cty.Value{"runtime_root": runtimeRoot, "registries": regs}), diags
}
