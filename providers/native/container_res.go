package native

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// applyContainer creates, updates or removes a container.
func applyContainer(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	switch {
	case req.Planned.IsNull():
		id, _ := knownString(attr(req.Prior, "id"))
		// Off its networks first: from then on no /etc/hosts update of
		// its neighbours writes into the directory Remove deletes.
		if err := detachContainer(ctx, e, id); err != nil {
			return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
		}
		if err := e.Runtime.Remove(ctx, id, true); err != nil && !errors.Is(err, runtime.ErrNotFound) && !errors.Is(err, runtime.ErrInvalidID) {
			return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
		}
		return providers.ApplyResourceChangeResponse{New: req.Planned}
	case req.Prior.IsNull():
		return createContainer(ctx, e, req)
	}
	return updateContainer(ctx, e, req)
}

func createContainer(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	if err := nameFree(e, req.Planned); err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
	}
	id := newContainerID()
	spec, err := containerSpec(ctx, e, req.Planned, id, req.Progress)
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
	}
	ep, err := attachContainer(ctx, e, req.Planned, &spec)
	if err != nil {
		_ = detachContainer(context.WithoutCancel(ctx), e, id)
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(fmt.Errorf("network: %w", err))}
	}
	st, err := e.Runtime.Create(ctx, spec)
	if taken := (*runtime.NameTakenError)(nil); errors.As(err, &taken) {
		_ = detachContainer(context.WithoutCancel(ctx), e, id)
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(explainNameTaken(taken, req.Planned))}
	}
	if err != nil {
		// Leave nothing half-made behind: the next plan creates it anew.
		_ = detachContainer(context.WithoutCancel(ctx), e, id)
		_ = e.Runtime.Remove(context.WithoutCancel(ctx), id, true)
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(fmt.Errorf("start container: %w", err))}
	}
	return providers.ApplyResourceChangeResponse{New: withNetworkAttrs(e, containerValue(req.Planned, st), id), Diagnostics: joinedHosts(ctx, e, ep)}
}

// updateContainer changes what can change in place: resources, restart
// policy, health check, stop settings; and starts a container found
// stopped (the plan restores it to running).
func updateContainer(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	id, _ := knownString(attr(req.Prior, "id"))
	u, err := containerUpdate(req.Planned, nil)
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
	}
	if err := e.Runtime.Update(ctx, id, u); err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
	}
	st, err := e.Runtime.Status(id)
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
	}
	if !isUp(st.State) {
		// After a reboot its network namespace is gone: make it again.
		if _, err := e.Networks.Restore(ctx, id); err != nil {
			return providers.ApplyResourceChangeResponse{New: withNetworkAttrs(e, containerValue(req.Planned, st), id), Diagnostics: diags.FromError(err)}
		}
		if err := e.Runtime.Start(ctx, id); err != nil {
			return providers.ApplyResourceChangeResponse{New: containerValue(req.Planned, st), Diagnostics: diags.FromError(fmt.Errorf("start container: %w", err))}
		}
		if st, err = e.Runtime.Status(id); err != nil {
			return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
		}
	}
	return providers.ApplyResourceChangeResponse{New: containerValue(req.Planned, st)}
}

// isUp reports whether a container state needs no start: it runs, or its
// supervisor is about to restart it.
func isUp(state string) bool {
	return state == runtime.StateRunning || state == runtime.StateRestarting
}

// containerValue fills the computed attributes from the runtime status,
// and tty and stdin_open from the container's spec: a state written
// before berth had them records null, which must not read as a change.
func containerValue(v cty.Value, st *runtime.Status) cty.Value {
	exit := cty.NullVal(cty.Number)
	if !st.FinishedAt.IsZero() {
		exit = cty.NumberIntVal(int64(st.ExitCode))
	}
	started := cty.NullVal(cty.String)
	if !st.StartedAt.IsZero() {
		started = cty.StringVal(st.StartedAt.UTC().Format(time.RFC3339Nano))
	}
	health := st.Health
	if health == "" {
		health = "none"
	}
	return withAttrs(v, map[string]cty.Value{
		"id": cty.StringVal(st.ID), "status": cty.StringVal(st.State), "pid": cty.NumberIntVal(int64(st.Pid)),
		"started_at": started, "exit_code": exit, "health_status": cty.StringVal(health),
		"ip_addresses": knownIPs(v), "tty": cty.BoolVal(st.Spec.Tty), "stdin_open": cty.BoolVal(st.Spec.OpenStdin),
	})
}

// readContainer refreshes a container from its supervisor's record; a
// container removed behind berth's back is gone.
func readContainer(e *Engine, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	id, _ := knownString(attr(req.Prior, "id"))
	st, err := e.Runtime.Status(id)
	if errors.Is(err, runtime.ErrNotFound) || errors.Is(err, runtime.ErrInvalidID) {
		forgetNetworking(e, id)
		return providers.ReadResourceResponse{New: cty.NullVal(req.Prior.Type())}
	}
	if err != nil {
		return providers.ReadResourceResponse{New: req.Prior, Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	return providers.ReadResourceResponse{New: withNetworkAttrs(e, containerValue(req.Prior, st), id), Private: req.Private}
}

// importContainer adopts a container berth made, by ID (or unique prefix)
// or name, from the configuration recorded on it.
func importContainer(e *Engine, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	var diags providers.Diagnostics
	all, err := e.Runtime.List()
	if err != nil {
		return providers.ImportResourceResponse{Diagnostics: diags.FromError(err)}
	}
	var found *runtime.Status
	for _, st := range all {
		if st.ID == req.ID || st.Name == req.ID || len(req.ID) >= 12 && len(st.ID) > len(req.ID) && st.ID[:len(req.ID)] == req.ID {
			if found != nil {
				return providers.ImportResourceResponse{Diagnostics: diags.Errorf("%q matches more than one container; use the full ID", req.ID)}
			}
			found = st
		}
	}
	if found == nil {
		return providers.ImportResourceResponse{Diagnostics: diags.Errorf("no container %q in the runtime (berth ps -a lists them)", req.ID)}
	}
	ty := schemas.Builtin()[schemas.TypeContainer].Block.ImpliedType()
	cfg, err := ctyjson.Unmarshal([]byte(found.Labels[labelConfig]), ty)
	if err != nil {
		return providers.ImportResourceResponse{Diagnostics: diags.Errorf("container %s was not made by berth (no recorded configuration): %v", found.ID, err)}
	}
	return providers.ImportResourceResponse{Imported: withNetworkAttrs(e, containerValue(cfg, found), found.ID)}
}

// nameFree fails when a container of the same name exists: names are
// unique on a host, as in Docker. The runtime checks again under its
// name lock at create; this early check spares the networking work.
func nameFree(e *Engine, planned cty.Value) error {
	name, _ := knownString(attr(planned, "name"))
	all, err := e.Runtime.List()
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.Name == name {
			return explainNameTaken(&runtime.NameTakenError{Name: name, Holder: st}, planned)
		}
	}
	return nil
}

// explainNameTaken says who holds a taken name, told by the labels berth puts
// on its containers, and what to do. Only a container recording this
// very configuration (an apply killed between the create and the state
// write) is worth adopting with berth import.
func explainNameTaken(err *runtime.NameTakenError, planned cty.Value) error {
	st, short := err.Holder, err.Holder.ID
	if len(short) > 12 {
		short = short[:12]
	}
	var how string
	switch {
	case st.Labels[labelRun] != "":
		how = "`berth run` made it; stop it (`berth stop " + err.Name + "`, then `berth prune` removes it) or give this container another name"
	case st.Labels[labelDeployment] != "":
		how = "it is a replica of deployment " + strconv.Quote(st.Labels[labelDeploymentName]) + "; give this container another name"
	case st.Labels[labelConfig] != "" && st.Labels[labelConfig] == recordedConfig(planned):
		how = "it records this container's configuration, so an interrupted apply probably left it: adopt it with `berth import ADDRESS " +
			short + "` (`berth destroy -target=ADDRESS` then removes it)"
	case st.Labels[labelConfig] != "":
		how = "another berth configuration (or another version of this one) made it; give this container another name, or destroy it where it was made"
	default:
		how = "berth did not make it; give this container another name"
	}
	return fmt.Errorf("%w: %s", err, how)
}

// recordedConfig is the configuration label a container made from
// planned would carry; "" when it cannot be encoded.
func recordedConfig(planned cty.Value) string {
	js, err := ctyjson.Marshal(configOnly(planned), planned.Type())
	if err != nil {
		return ""
	}
	return string(js)
}
