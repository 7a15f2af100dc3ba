package native

import (
	"context"
	"fmt"
	"net/netip"
	"path"
	"strings"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// ValidateResource checks what the schema cannot say: ranges, attributes
// that must agree, and paths. The schema's own rules (types, required
// attributes, OneOf, Format) are the engine's to check. Unknown values
// are skipped; they are checked again once known, at apply.
func (p *Provider) ValidateResource(ctx context.Context, req providers.ValidateResourceRequest) providers.ValidateResourceResponse {
	_, diags := schemaOf(req.TypeName)
	if diags.HasErrors() || req.Config == cty.NilVal {
		return providers.ValidateResourceResponse{Diagnostics: diags}
	}
	cfg := providers.UnmarkDeep(req.Config)
	if cfg.IsNull() || !cfg.IsKnown() {
		return providers.ValidateResourceResponse{}
	}
	switch req.TypeName {
	case schemas.TypeContainer:
		diags = append(validateNode(cfg), validateContainer(cfg, nil)...)
	case schemas.TypeDeployment:
		diags = validateDeployment(cfg)
	case schemas.TypeImage:
		diags = validateImage(cfg)
	case schemas.TypeNetwork:
		diags = validateNetwork(cfg)
	case schemas.TypeVolume:
		diags = validateVolume(cfg)
	}
	return providers.ValidateResourceResponse{Diagnostics: diags}
}

// validateContainer checks a container body; base is its path (empty for
// a container, template for a deployment).
func validateContainer(cfg cty.Value, base cty.Path) providers.Diagnostics {
	diags := validateProcess(cfg, base)
	diags = append(diags, validatePorts(attr(cfg, "port"), base.GetAttr("port"))...)
	diags = append(diags, validateMounts(attr(cfg, "mount"), base.GetAttr("mount"))...)
	diags = append(diags, validateNetworks(attr(cfg, "network"), base.GetAttr("network"))...)
	diags = append(diags, validateResources(attr(cfg, "resources"), base.GetAttr("resources"))...)
	diags = append(diags, validateHealth(attr(cfg, "health"), base.GetAttr("health"))...)
	return append(diags, validateNetworkMode(cfg, base)...)
}

// validateNode refuses a container placed on a node: until berth
// reaches remote nodes it would run on this machine instead, which is
// never where the user asked.
func validateNode(cfg cty.Value) providers.Diagnostics {
	node, ok := knownString(attr(cfg, "node"))
	if !ok {
		return nil
	}
	return providers.Diagnostics{}.AttributeError(cty.GetAttrPath("node"),
		fmt.Sprintf("node %q: remote nodes are not supported yet", node),
		"berth runs resources only on the machine running it for now; remove node to run the container here")
}

// validateNetworkMode: network and port blocks need network_mode bridge.
func validateNetworkMode(cfg cty.Value, base cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	mode, ok := knownString(attr(cfg, "network_mode"))
	if !ok || mode == modeBridge {
		return nil
	}
	for _, b := range []string{"network", "port"} {
		if len(elements(attr(cfg, b))) > 0 {
			diags = diags.AttributeError(base.GetAttr(b), fmt.Sprintf("%s blocks need network_mode \"bridge\"", b),
				fmt.Sprintf("with network_mode %q the container is on no berth network; remove the %s blocks or the network_mode", mode, b))
		}
	}
	return diags
}

func validatePorts(list cty.Value, base cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	seen := map[string]int{}
	for i, port := range elements(list) {
		p := base.IndexInt(i)
		for _, name := range []string{"host", "container"} {
			if n, ok := knownNumber(attr(port, name)); ok && !wholeInRange(n, 1, 65535) {
				diags = diags.AttributeError(p.GetAttr(name), "port out of range",
					fmt.Sprintf("%s port %s is not a whole number from 1 to 65535", name, n.Text('f', -1)))
			}
		}
		hostIP, ipKnown := knownString(attr(port, "host_ip"))
		if ipKnown {
			if _, err := netip.ParseAddr(hostIP); err != nil {
				diags = diags.AttributeError(p.GetAttr("host_ip"), "invalid host_ip",
					fmt.Sprintf("%q is not an IP address", hostIP))
			}
		}
		host, hostKnown := knownNumber(attr(port, "host"))
		proto, protoKnown := knownString(attr(port, "protocol"))
		if !ipKnown || !hostKnown || !protoKnown {
			continue
		}
		key := fmt.Sprintf("%s:%s/%s", hostIP, host.Text('f', -1), proto)
		if j, dup := seen[key]; dup {
			diags = diags.AttributeError(p, "host port published twice",
				fmt.Sprintf("%s is already published by port block %d", key, j))
		}
		seen[key] = i
	}
	return diags
}

func validateMounts(list cty.Value, base cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	targets := map[string]int{}
	for i, m := range elements(list) {
		p := base.IndexInt(i)
		diags = append(diags, validateMountSource(m, p)...)
		target, ok := knownString(attr(m, "target"))
		if !ok {
			continue
		}
		if err := runtime.CheckMountTarget(target); err != nil {
			diags = diags.AttributeError(p.GetAttr("target"), "invalid mount target", err.Error())
		}
		if j, dup := targets[path.Clean(target)]; dup {
			diags = diags.AttributeError(p.GetAttr("target"), "two mounts on one target",
				fmt.Sprintf("mount block %d already mounts on %s", j, target))
		}
		targets[path.Clean(target)] = i
	}
	return diags
}

// validateMountSource checks source and size against the mount type.
func validateMountSource(m cty.Value, p cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	typ, ok := knownString(attr(m, "type"))
	if !ok {
		return nil
	}
	src := attr(m, "source")
	srcStr, srcKnown := knownString(src)
	if typ != "tmpfs" && !isNullish(attr(m, "size")) {
		diags = diags.AttributeError(p.GetAttr("size"), "size is only for tmpfs mounts", "")
	}
	switch typ {
	case "tmpfs":
		if !isNullish(src) {
			diags = diags.AttributeError(p.GetAttr("source"), "a tmpfs mount has no source", "remove source, or use type bind or volume")
		}
	case "bind":
		if isNullish(src) {
			diags = diags.AttributeError(p.GetAttr("source"), "a bind mount needs a source", "set source to an absolute host path")
		} else if srcKnown && !path.IsAbs(srcStr) {
			diags = diags.AttributeError(p.GetAttr("source"), "bind mount source must be an absolute path",
				fmt.Sprintf("%q is relative; use abspath() or path.module to build one", srcStr))
		}
	case "volume":
		if isNullish(src) {
			diags = diags.AttributeError(p.GetAttr("source"), "a volume mount needs a source", "set source to a volume's name, e.g. volume.data.name")
		} else if srcKnown && strings.Contains(srcStr, "/") {
			diags = diags.AttributeError(p.GetAttr("source"), "volume mount source must be a volume name",
				fmt.Sprintf("%q looks like a path; use type bind for host paths", srcStr))
		}
	}
	return diags
}

func validateNetworks(list cty.Value, base cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	seen := map[string]int{}
	for i, n := range elements(list) {
		name, ok := knownString(attr(n, "name"))
		if !ok {
			continue
		}
		if j, dup := seen[name]; dup {
			diags = diags.AttributeError(base.IndexInt(i).GetAttr("name"), "network joined twice",
				fmt.Sprintf("network block %d already joins %q", j, name))
		}
		seen[name] = i
	}
	return diags
}

func validateResources(res cty.Value, p cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	if n, ok := knownNumber(attr(res, "cpus")); ok && n.Sign() <= 0 {
		diags = diags.AttributeError(p.GetAttr("cpus"), "cpus must be more than 0", "")
	}
	if n, ok := knownNumber(attr(res, "pids")); ok && !wholeInRange(n, 1, 1<<31) {
		diags = diags.AttributeError(p.GetAttr("pids"), "pids must be a whole number of at least 1", "")
	}
	return diags
}

func validateHealth(h cty.Value, p cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	if n, ok := knownNumber(attr(h, "retries")); ok && !wholeInRange(n, 1, 1<<31) {
		diags = diags.AttributeError(p.GetAttr("retries"), "retries must be a whole number of at least 1", "")
	}
	if cmd := attr(h, "command"); cmd.IsKnown() && !cmd.IsNull() && cmd.LengthInt() == 0 {
		diags = diags.AttributeError(p.GetAttr("command"), "health command is empty", "give the program and its arguments")
	}
	for _, name := range []string{"interval", "timeout"} {
		if s, ok := knownString(attr(h, name)); ok {
			if d, err := schemas.ParseDuration(s); err == nil && d == 0 {
				diags = diags.AttributeError(p.GetAttr(name), name+" must be more than 0s", "")
			}
		}
	}
	return diags
}
