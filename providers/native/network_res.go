package native

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// applyNetwork creates or removes a network. Every attribute forces a
// replacement, so there is no update.
func applyNetwork(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	if req.Planned.IsNull() {
		name, _ := knownString(attr(req.Prior, "name"))
		if err := e.Networks.Remove(ctx, name, e.containerExists); err != nil {
			if errors.Is(err, network.ErrInUse) {
				return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.Errorf("cannot remove network %s", name).
					AttributeError(nil, err.Error(), "remove or move the containers first")}
			}
			return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
		}
		return providers.ApplyResourceChangeResponse{New: req.Planned}
	}
	cfg := network.Config{}
	cfg.Name, _ = knownString(attr(req.Planned, "name"))
	cfg.Internal, _ = knownBool(attr(req.Planned, "internal"))
	if s, ok := knownString(attr(req.Planned, "subnet")); ok {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.AttributeError(cty.GetAttrPath("subnet"), "invalid subnet", err.Error())}
		}
		cfg.Subnet = p
	}
	n, err := e.Networks.Create(ctx, cfg)
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(fmt.Errorf("create network %s: %w", cfg.Name, err))}
	}
	return providers.ApplyResourceChangeResponse{New: networkValue(req.Planned, n)}
}

// networkValue fills the computed attributes from the network record.
func networkValue(v cty.Value, n *network.Network) cty.Value {
	return withAttrs(v, map[string]cty.Value{
		"id": cty.StringVal(n.ID), "subnet": cty.StringVal(n.Subnet.String()),
		"gateway": cty.StringVal(n.Gateway.String()), "bridge": cty.StringVal(n.Bridge),
	})
}

// readNetwork refreshes a network from its record; a network whose record
// or bridge is gone is gone (the next apply makes it again).
func readNetwork(e *Engine, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	name, _ := knownString(attr(req.Prior, "name"))
	n, err := e.Networks.Get(name)
	if errors.Is(err, network.ErrNotFound) {
		return providers.ReadResourceResponse{New: cty.NullVal(req.Prior.Type())}
	}
	if err != nil {
		return providers.ReadResourceResponse{New: req.Prior, Private: req.Private, Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	if id, _ := knownString(attr(req.Prior, "id")); id != "" && id != n.ID {
		return providers.ReadResourceResponse{New: cty.NullVal(req.Prior.Type())} // replaced behind berth's back
	}
	if ok, err := e.Networks.BridgeExists(n); err == nil && !ok {
		// Its bridge was deleted: the plan makes the network again (the
		// record, addresses and containers stay; apply rejoins them).
		return providers.ReadResourceResponse{New: cty.NullVal(req.Prior.Type())}
	}
	return providers.ReadResourceResponse{New: networkValue(req.Prior, n), Private: req.Private}
}

// importNetwork adopts a network of the runtime root by name or ID.
func importNetwork(e *Engine, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	var diags providers.Diagnostics
	all, err := e.Networks.List()
	if err != nil {
		return providers.ImportResourceResponse{Diagnostics: diags.FromError(err)}
	}
	for _, n := range all {
		if n.Name == network.DefaultNetwork || (n.Name != req.ID && n.ID != req.ID) {
			continue
		}
		ty := schemas.Builtin()[schemas.TypeNetwork].Block.ImpliedType()
		attrs := map[string]cty.Value{}
		for name, at := range ty.AttributeTypes() {
			attrs[name] = cty.NullVal(at)
		}
		attrs["name"], attrs["internal"] = cty.StringVal(n.Name), cty.BoolVal(n.Internal)
		return providers.ImportResourceResponse{Imported: networkValue(cty.ObjectVal(attrs), n)}
	}
	return providers.ImportResourceResponse{Diagnostics: diags.Errorf("no network %q under %s (the default network %q cannot be imported)", req.ID, e.Root, network.DefaultNetwork)}
}

// containerExists reports whether the runtime still has a container.
func (e *Engine) containerExists(id string) bool {
	_, err := e.Runtime.Status(id)
	return !errors.Is(err, runtime.ErrNotFound) && !errors.Is(err, runtime.ErrInvalidID)
}
