package native

import (
	"context"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// PlanResourceChange plans every built-in type the same way: defaults
// applied to the configuration, merged with prior state
// (providers.ProposedNew), computed attributes unknown where only apply
// can know them, and a replacement when a ForceNew attribute changes; a
// replacement is planned as a fresh create. berth_data's output follows
// its input. On in-place updates, computed attributes an update is known
// to change become unknown (updateUnknowns). Host ports are checked by
// CheckPlan, with the whole plan in view.
func (p *Provider) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	rs, diags := schemaOf(req.TypeName)
	if diags.HasErrors() {
		return providers.PlanResourceChangeResponse{Diagnostics: diags}
	}
	schema := &rs.Block
	if req.Config == cty.NilVal || req.Config.IsNull() {
		return providers.PlanResourceChangeResponse{Planned: cty.NullVal(schema.ImpliedType()), Private: req.Private}
	}
	config, marks := providers.UnmarkDeepWithPaths(req.Config)
	config = providers.ApplyDefaults(schema, config)
	prior := cty.NullVal(schema.ImpliedType())
	if req.Prior != cty.NilVal && !req.Prior.IsNull() {
		prior = providers.UnmarkDeep(req.Prior)
	}

	planned := planFrom(schema, req.TypeName, prior, config)
	replace := providers.RequiresReplace(schema, prior, planned)
	switch {
	case len(replace) > 0:
		planned = planFrom(schema, req.TypeName, cty.NullVal(schema.ImpliedType()), config)
	case !prior.IsNull():
		planned = updateUnknowns(req.TypeName, prior, planned)
		if req.TypeName == schemas.TypeContainer {
			planned = restoreRunning(prior, planned)
		}
	}
	if req.TypeName == schemas.TypeData {
		marks = dataOutputMarks(marks)
	}
	if req.TypeName == schemas.TypeDeployment {
		base := prior
		if len(replace) > 0 {
			base = cty.NullVal(schema.ImpliedType())
		}
		if planned, diags = planDeployment(base, planned, req.Private); diags.HasErrors() {
			return providers.PlanResourceChangeResponse{Diagnostics: diags}
		}
	}
	return providers.PlanResourceChangeResponse{
		Planned:         planned.MarkWithPaths(marks),
		RequiresReplace: replace,
		Private:         req.Private,
	}
}

// planFrom is the generic plan of config against prior (null: create).
func planFrom(schema *schemas.Block, typ string, prior, config cty.Value) cty.Value {
	planned := providers.ProposedNew(schema, prior, config)
	planned = providers.SetUnknownComputed(schema, planned, prior)
	if typ == schemas.TypeData && planned.IsKnown() && !planned.IsNull() {
		planned = withAttrs(planned, map[string]cty.Value{"output": planned.GetAttr("input")})
	}
	return planned
}

// updateRule says which computed attributes become unknown when an
// in-place update changes any of the listed top-level attributes.
type updateRule struct {
	when    []string
	unknown []string
}

// updateRules are the type-specific in-place update effects: a new
// health check starts over from "starting". Deployments are planned by
// planDeployment.
var updateRules = map[string][]updateRule{
	schemas.TypeContainer: {
		{when: []string{"health"}, unknown: []string{"health_status"}},
	},
}

func updateUnknowns(typ string, prior, planned cty.Value) cty.Value {
	rules := updateRules[typ]
	if len(rules) == 0 || !planned.IsKnown() || planned.IsNull() {
		return planned
	}
	changed := map[string]bool{}
	for _, p := range providers.DiffPaths(prior, planned) {
		if len(p) == 0 {
			continue
		}
		if s, ok := p[0].(cty.GetAttrStep); ok {
			changed[s.Name] = true
		}
	}
	set := map[string]cty.Value{}
	for _, r := range rules {
		for _, w := range r.when {
			if !changed[w] {
				continue
			}
			for _, u := range r.unknown {
				set[u] = cty.UnknownVal(planned.Type().AttributeType(u))
			}
		}
	}
	if len(set) == 0 {
		return planned
	}
	return withAttrs(planned, set)
}

// dataOutputMarks makes berth_data's output as sensitive as its input,
// since it is a copy of it.
func dataOutputMarks(marks []cty.PathValueMarks) []cty.PathValueMarks {
	out := marks
	for _, pm := range marks {
		if len(pm.Path) > 0 && pm.Path[0] == (cty.GetAttrStep{Name: "input"}) {
			p := append(cty.Path{cty.GetAttrStep{Name: "output"}}, pm.Path[1:]...)
			out = append(out, cty.PathValueMarks{Path: p, Marks: pm.Marks})
		}
	}
	return out
}

// restoreRunning plans a container found stopped, exited or dead (behind
// berth's back, or by `berth stop`) back to running: an in-place update
// whose process attributes only apply can know.
func restoreRunning(prior, planned cty.Value) cty.Value {
	status, ok := knownString(attr(prior, "status"))
	if !ok || status == "running" || status == "restarting" {
		return planned
	}
	return withAttrs(planned, map[string]cty.Value{
		"status":        cty.StringVal("running"),
		"pid":           cty.UnknownVal(cty.Number),
		"started_at":    cty.UnknownVal(cty.String),
		"exit_code":     cty.UnknownVal(cty.Number),
		"health_status": cty.UnknownVal(cty.String),
	})
}
