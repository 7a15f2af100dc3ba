package native

// Deployments, as the native provider runs them:
//
//   - A replica is a supervised container made by the container code
//     (applyContainer) from the template, labelled berth.deployment=ID,
//     berth.ordinal and berth.revision. Apply and refresh find replicas by
//     that label, so replicas an interrupted apply made are adopted.
//   - Its container is named NAME-ORDINAL when that name is free at
//     creation, else NAME-ORDINAL-rREVISION (a surge replica made while
//     the replica it replaces still runs). Whatever the container name,
//     the replica's address is deployment.NAME#ORDINAL, its hostname and
//     network alias NAME-ORDINAL, and NAME resolves to every replica.
//   - replicas_status records every replica container (ordinal, id, name,
//     node, status, health, ip, revision); the revision history (last 10
//     templates) lives in the record's Private bytes (deployment_history.go).
//   - Every change is one rollout of the deploy engine from the replicas
//     that exist to the planned count and revision (deploy.Engine).
//   - The template's ports are published once for the deployment and
//     balanced over its ready replicas (deployment_ports.go).

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/zclconf/go-cty/cty"
)

// applyDeployment creates, changes or removes a deployment: every change
// is a rollout of the deployment engine (providers/native/deploy) from
// the replicas that exist to the planned count and revision.
func applyDeployment(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if req.Planned.IsNull() {
		return deleteDeployment(ctx, e, req)
	}
	var diags providers.Diagnostics
	d, err := newDeploymentChange(e, req)
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: diags.FromError(err)}
	}
	current, err := d.discover()
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: diags.FromError(err)}
	}
	eng := &deploy.Engine{
		Ops:      &replicaOps{e: e, name: d.name, id: d.id, tmpls: d.tmpls},
		Progress: progressOf(req.Progress),
		Label:    func(n int) string { return d.name + "#" + strconv.Itoa(n) },
	}
	lb, err := newPortBalancer(e, d.id, d.name, d.plan.Revision, d.tmpls[d.plan.Revision], historyTemplates(d.tmpls, d.hist))
	if err == nil && lb == nil {
		err = e.Networks.RemoveService(ctx, d.id) // ports the template no longer publishes
	}
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: diags.FromError(err)}
	}
	if lb != nil {
		eng.Balancer, eng.Drain = lb, portDrain
	}
	out := eng.Run(ctx, d.plan, current)
	lb, err = d.publishFinal(context.WithoutCancel(ctx), lb, out)
	resp := d.finish(out, lb)
	if err != nil && (out.Failure == nil || out.Failure.Check != deploy.CheckBalance) { // else said already
		resp.Diagnostics = resp.Diagnostics.FromError(fmt.Errorf("publish the ports of deployment %s: %w", d.name, err))
	}
	return resp
}

func progressOf(f func(string)) func(string) {
	if f == nil {
		return func(string) {}
	}
	return f
}

// deploymentChange is one apply of a deployment: what was, what is
// planned, and the revision history.
type deploymentChange struct {
	e        *Engine
	prior    cty.Value // null on create
	planned  cty.Value
	name, id string
	hist     *History
	plan     deploy.Plan
	tmpls    map[int]cty.Value // the templates the rollout may need, by revision
	previous int               // the revision before this change; 0 on create
}

func newDeploymentChange(e *Engine, req providers.ApplyResourceChangeRequest) (*deploymentChange, error) {
	planned, _ := req.Planned.UnmarkDeep()
	prior := cty.NullVal(planned.Type())
	if req.Prior != cty.NilVal && !req.Prior.IsNull() {
		prior, _ = req.Prior.UnmarkDeep()
	}
	d := &deploymentChange{e: e, prior: prior, planned: planned, tmpls: map[int]cty.Value{}}
	d.name, _ = knownString(attr(planned, "name"))
	var err error
	if d.hist, err = DecodeHistory(req.Private); err != nil {
		return nil, err
	}
	if d.id, _ = knownString(attr(prior, "id")); d.id == "" {
		d.id = newContainerID()[:32]
	}
	d.previous = intOf(attr(prior, "revision"))
	target := intOf(attr(planned, "revision"))
	if target == 0 {
		target = d.hist.Next(d.previous)
	}
	if d.previous != 0 {
		d.tmpls[d.previous] = attr(prior, "template")
	}
	d.tmpls[target] = attr(planned, "template")
	st, err := strategyOf(planned)
	if err != nil {
		return nil, err
	}
	d.plan = deploy.Plan{Target: st.Target, AutoRollback: st.autoRollback}
	d.plan.Revision = target
	if target != d.previous {
		d.plan.Previous = d.previous
	}
	return d, nil
}

// discover lists the deployment's replicas: every container labelled
// with its ID (so that replicas an interrupted apply made but never
// recorded are adopted), observed now.
func (d *deploymentChange) discover() ([]deploy.Replica, error) {
	reps, err := listReplicas(d.e, d.id)
	if err != nil {
		return nil, err
	}
	ops := &replicaOps{e: d.e}
	for i := range reps {
		reps[i] = ops.Observe(reps[i])
	}
	return reps, nil
}

// listReplicas finds the containers labelled as replicas of deployment id.
func listReplicas(e *Engine, id string) ([]deploy.Replica, error) {
	all, err := e.Runtime.List()
	if err != nil {
		return nil, fmt.Errorf("list replicas: %w", err)
	}
	var out []deploy.Replica
	for _, st := range all {
		if st.Labels[labelDeployment] != id {
			continue
		}
		ord, err1 := strconv.Atoi(st.Labels[labelOrdinal])
		rev, err2 := strconv.Atoi(st.Labels[labelRevision])
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, deploy.Replica{Ordinal: ord, Revision: rev, ID: st.ID, Name: st.Name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ordinal < out[j].Ordinal })
	return out, nil
}

// finish records the outcome: the replicas with their addresses, the
// revision and template they run, the history, and on failure an error
// saying which replica failed which check and what its log said last.
func (d *deploymentChange) finish(out deploy.Outcome, lb *portBalancer) providers.ApplyResourceChangeResponse {
	withIPs(d.e, out.Replicas)
	target := d.plan.Revision
	if lb != nil {
		d.tmpls[lb.revision] = lb.withHosts(d.tmpls[lb.revision])
	}
	for rev, t := range d.tmpls {
		d.tmpls[rev] = knownTemplate(t)
	}
	tmpl, status := d.tmpls[target], revisionComplete
	switch {
	case out.Failure == nil:
	case out.Revision != target:
		status = revisionFailed
	default:
		status = revisionPartial
	}
	if _, err := d.hist.Find(target); target != d.previous || err != nil {
		d.hist.record(target, tmpl, status, time.Now())
	}
	note, _ := knownString(attr(d.planned, "rollout"))
	if out.Revision != target {
		tmpl = d.tmpls[out.Revision]
	}
	var diags providers.Diagnostics
	if out.Failure != nil {
		note += "; " + failureNote(out)
		diags = append(diags, failureDiagnostic(out, len(out.Replicas)))
	}
	v := withAttrs(d.planned, map[string]cty.Value{
		"id": cty.StringVal(d.id), "revision": cty.NumberIntVal(int64(out.Revision)), "template": tmpl,
		"replicas_status": statusList(out.Replicas), "addresses": addressesOf(out.Replicas, tmpl), "rollout": cty.StringVal(note),
	})
	return providers.ApplyResourceChangeResponse{New: v, Private: d.hist.encode(), Diagnostics: diags}
}

// failureNote is what the rollout attribute says of a failure.
func failureNote(out deploy.Outcome) string {
	switch {
	case out.RolledBack:
		return fmt.Sprintf("failed (%s); rolled back to revision %d", out.Failure.Check, out.Revision)
	case out.RollbackFailure != nil:
		return fmt.Sprintf("failed (%s); the rollback to revision %d failed too (%s)", out.Failure.Check, out.Revision, out.RollbackFailure.Check)
	}
	return fmt.Sprintf("stopped after a failure (%s)", out.Failure.Check)
}

// failureDiagnostic says which replica failed which check, what became
// of the rollout, and the last lines of the replica's log.
func failureDiagnostic(out deploy.Outcome, left int) providers.Diagnostic {
	f := out.Failure
	var b strings.Builder
	switch {
	case out.RolledBack:
		fmt.Fprintf(&b, "auto_rollback restored revision %d on all replicas", out.Revision)
	case out.RollbackFailure != nil:
		fmt.Fprintf(&b, "the rollback to revision %d failed too: %v", out.Revision, out.RollbackFailure)
	default:
		fmt.Fprintf(&b, "the rollout stopped with %d replica container(s) as recorded in replicas_status; the next plan shows what remains", left)
	}
	if len(f.Logs) > 0 && f.Replica != nil {
		fmt.Fprintf(&b, "\nlast lines of %s's log:\n  %s", f.Replica.Name, strings.Join(f.Logs, "\n  "))
	}
	return providers.Diagnostic{Severity: providers.Error,
		Summary: fmt.Sprintf("rollout of revision %d failed: %v", f.Revision, f), Detail: b.String()}
}

// withIPs fills each replica's address on its first network.
func withIPs(e *Engine, reps []deploy.Replica) {
	for i := range reps {
		reps[i].IP = replicaIP(e, reps[i].ID)
	}
}

func replicaIP(e *Engine, id string) string {
	if e.Networks == nil || id == "" {
		return ""
	}
	ep, err := e.Networks.Endpoint(id)
	if err != nil || ep == nil || len(ep.Interfaces) == 0 {
		return ""
	}
	return ep.Interfaces[0].IP.String()
}

// deleteDeployment removes its published ports, then every replica,
// recorded or only labelled.
func deleteDeployment(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	id, _ := knownString(attr(req.Prior, "id"))
	if err := e.Networks.RemoveService(ctx, id); err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: diags.FromError(err)}
	}
	reps, err := listReplicas(e, id)
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: diags.FromError(err)}
	}
	ops := &replicaOps{e: e}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var left []deploy.Replica
	for _, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ops.Remove(ctx, r); err != nil {
				mu.Lock()
				diags, left = diags.FromError(fmt.Errorf("remove replica %s: %w", r.Name, err)), append(left, ops.Observe(r))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if diags.HasErrors() {
		return providers.ApplyResourceChangeResponse{New: withAttrs(req.Prior, map[string]cty.Value{"replicas_status": statusList(left)}),
			Private: req.Private, Diagnostics: diags}
	}
	return providers.ApplyResourceChangeResponse{New: req.Planned}
}
