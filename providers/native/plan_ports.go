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
	var diags providers.Diagnostics
	if planned.IsNull() || !planned.IsKnown() || networkMode(planned) != modeBridge {
		return nil
	}
	if node, ok := knownString(attr(planned, "node")); ok && node != "" {
		return nil // published on another machine
	}
	priorID, _ := knownString(attr(prior, "id"))
	for i, p := range elements(attr(planned, "port")) {
		if _, known := knownNumber(attr(p, "host")); !known {
			continue
		}
		port, err := portOf(p)
		if err != nil {
			continue // validation reports it
		}
		err = network.CheckPort(port, priorID)
		if errors.Is(err, network.ErrPortInUse) || errors.Is(err, network.ErrInvalid) {
			diags = diags.AttributeError(cty.GetAttrPath("port").IndexInt(i).GetAttr("host"),
				fmt.Sprintf("host port %d/%s on %s is not free", port.HostPort, port.Protocol, port.HostIP),
				err.Error()+"; choose another host port, or stop what holds it")
		}
	}
	return diags
}
