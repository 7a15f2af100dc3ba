package native

import (
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/zclconf/go-cty/cty"
)

// readDeployment refreshes replicas_status from the runtime: every
// container labelled as a replica of the deployment (recorded or not),
// as it is now, and each recorded replica whose container is gone as
// "missing". A replica killed or deleted behind berth's back is then
// drift, which the next plan restores (planReplicas). The published
// ports are set again from the replicas' health (refreshPorts).
func readDeployment(e *Engine, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	prior, _ := req.Prior.UnmarkDeep()
	// Attributes the schema gained after the state was written (tty) read
	// as their defaults, not as a template change to roll out.
	if rs, d := schemaOf(req.TypeName); !d.HasErrors() {
		prior = providers.ApplyDefaults(&rs.Block, prior)
	}
	id, _ := knownString(attr(prior, "id"))
	reps, err := listReplicas(e, id)
	if err != nil {
		return providers.ReadResourceResponse{New: req.Prior, Private: req.Private, Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	ops := &replicaOps{e: e}
	found := map[string]bool{}
	for i := range reps {
		reps[i] = ops.Observe(reps[i])
		found[reps[i].ID] = true
	}
	withIPs(e, reps)
	var diags providers.Diagnostics
	if err := refreshPorts(e, prior, req.Private, reps); err != nil {
		diags = append(diags, providers.Diagnostic{Severity: providers.Warning,
			Summary: "could not update the replicas behind the published ports", Detail: err.Error()})
	}
	for _, r := range recordedReplicas(attr(prior, "replicas_status")) {
		if found[r.ID] {
			continue
		}
		if r.State != deploy.StateMissing {
			forgetNetworking(e, r.ID)
		}
		r.State, r.Health, r.IP = deploy.StateMissing, "", ""
		reps = append(reps, r)
	}
	v := withAttrs(prior, map[string]cty.Value{"replicas_status": statusList(reps), "addresses": addressesOf(reps, attr(prior, "template"))})
	return providers.ReadResourceResponse{New: v, Private: req.Private, Diagnostics: diags}
}
