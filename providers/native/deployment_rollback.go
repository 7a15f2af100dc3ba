package native

import (
	"context"
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var _ providers.RevisionKeeper = (*Provider)(nil)

// RevisionConfig gives the configuration of a deployment at one of the
// revisions its history records: the deployment's current configurable
// attributes with that revision's template. Planned like any
// configuration, it rolls out a new revision running the old template,
// as kubectl rollout undo does.
func (p *Provider) RevisionConfig(ctx context.Context, req providers.RevisionConfigRequest) providers.RevisionConfigResponse {
	var resp providers.RevisionConfigResponse
	if req.TypeName != schemas.TypeDeployment {
		resp.Diagnostics = resp.Diagnostics.Errorf("a %s keeps no revisions: only a deployment can be rolled back", req.TypeName)
		return resp
	}
	prior, _ := req.Prior.UnmarkDeep()
	if prior.IsNull() || !prior.IsWhollyKnown() {
		resp.Diagnostics = resp.Diagnostics.Errorf("the deployment has no recorded value to roll back from")
		return resp
	}
	hist, err := DecodeHistory(req.Private)
	if err != nil {
		resp.Diagnostics = resp.Diagnostics.FromError(err)
		return resp
	}
	resp.Current = intOf(attr(prior, "revision"))
	target, err := chooseRevision(hist, resp.Current, req.Revision)
	if err != nil {
		resp.Diagnostics = resp.Diagnostics.FromError(err)
		return resp
	}
	resp.Revision = target.Revision
	tmpl, err := target.TemplateValue()
	if err != nil {
		resp.Diagnostics = resp.Diagnostics.FromError(err)
		return resp
	}
	if sameTemplate(tmpl, attr(prior, "template")) {
		resp.Diagnostics = resp.Diagnostics.Errorf("already runs the template of revision %d; nothing to roll back", target.Revision)
		return resp
	}
	block := &schemas.Builtin()[schemas.TypeDeployment].Block
	resp.Config = configOf(block, prior, map[string]cty.Value{"template": tmpl})
	return resp
}

// chooseRevision finds revision n in the history, or with n = 0 the
// newest one before current that rolled out.
func chooseRevision(h *History, current, n int) (*RevisionRecord, error) {
	if n > 0 {
		return h.Find(n)
	}
	if n < 0 {
		return nil, fmt.Errorf("revision %d: revisions are numbered from 1", n)
	}
	return h.Previous(current)
}

// sameTemplate reports whether two templates are the same, compared in
// the form the history records them.
func sameTemplate(a, b cty.Value) bool {
	ja, errA := ctyjson.Marshal(a, templateType())
	jb, errB := ctyjson.Marshal(b, templateType())
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// configOf is a configuration equivalent to the recorded value v (its
// computed-only attributes null) with some attributes replaced.
func configOf(b *schemas.Block, v cty.Value, set map[string]cty.Value) cty.Value {
	vals := v.AsValueMap()
	for name, at := range b.Attributes {
		if at.Computed && !at.Optional {
			vals[name] = cty.NullVal(at.Type)
		}
	}
	for k, x := range set {
		vals[k] = x
	}
	return cty.ObjectVal(vals)
}
