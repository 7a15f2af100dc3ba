package native

import (
	"errors"
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/zclconf/go-cty/cty"
)

// checkPlannedPorts fails the plan of a container about to be created
// on this machine when a host port it publishes is taken: by a program
// listening on it, or by another berth container (the container being
// replaced, prior, does not count). What cannot be checked (no
// privileges to read the rules or bind the port) is left to apply.
func checkPlannedPorts(prior, planned cty.Value) providers.Diagnostics {
	if planned.IsNull() || !planned.IsKnown() || networkMode(planned) != modeBridge {
		return nil
	}
	if node, ok := knownString(attr(planned, "node")); ok && node != "" {
		return nil // published on another machine
	}
	priorID, _ := knownString(attr(prior, "id"))
	return checkPorts(elements(attr(planned, "port")), priorID, cty.GetAttrPath("port"), nil)
}

// checkDeploymentPorts fails the plan of a deployment whose template
// publishes a host port that is taken, as checkPlannedPorts does for a
// container. Only ports the deployment does not publish already are
// checked (its own rules do not count, and a program that binds one of
// its ports later is shadowed by them).
func checkDeploymentPorts(prior, planned cty.Value) providers.Diagnostics {
	if networkMode(attr(planned, "template")) != modeBridge {
		return nil
	}
	priorID, _ := knownString(attr(prior, "id"))
	had, _ := templatePorts(attr(prior, "template"))
	published := func(p network.Port) bool {
		for _, q := range had {
			if q.Protocol == p.Protocol && q.HostIP == p.HostIP && q.HostPort == p.HostPort {
				return true
			}
		}
		return false
	}
	return checkPorts(elements(attr(attr(planned, "template"), "port")), priorID, cty.GetAttrPath("template").GetAttr("port"), published)
}

// checkPorts checks the port blocks whose host port is known (and not
// skipped) for owner, the container or deployment publishing them.
func checkPorts(blocks []cty.Value, owner string, path cty.Path, skip func(network.Port) bool) providers.Diagnostics {
	var diags providers.Diagnostics
	for i, p := range blocks {
		if _, known := knownNumber(attr(p, "host")); !known {
			continue
		}
		port, err := portOf(p)
		if err != nil || (skip != nil && skip(port)) {
			continue // validation reports errors
		}
		err = network.CheckPort(port, owner)
		if errors.Is(err, network.ErrPortInUse) || errors.Is(err, network.ErrInvalid) {
			diags = diags.AttributeError(path.Copy().IndexInt(i).GetAttr("host"),
				fmt.Sprintf("host port %d/%s on %s is not free", port.HostPort, port.Protocol, port.HostIP),
				err.Error()+"; choose another host port, or stop what holds it")
		}
	}
	return diags
}
