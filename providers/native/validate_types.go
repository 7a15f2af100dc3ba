package native

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/zclconf/go-cty/cty"
)

func validateDeployment(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if n, ok := knownNumber(attr(cfg, "replicas")); ok && (!n.IsInt() || n.Sign() < 0) {
		diags = diags.AttributeError(cty.GetAttrPath("replicas"), "replicas must be a whole number, 0 or more",
			fmt.Sprintf("got %s", n.Text('f', -1)))
	}
	diags = append(diags, validateContainer(attr(cfg, "template"), cty.GetAttrPath("template"))...)
	return append(diags, validateUpdate(attr(cfg, "update"), cty.GetAttrPath("update"))...)
}

// rolloutCount is the syntax of max_surge and max_unavailable.
var rolloutCount = regexp.MustCompile(`^([0-9]+)(%?)$`)

func validateUpdate(u cty.Value, p cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	zeros, known := 0, 0
	for _, name := range []string{"max_surge", "max_unavailable"} {
		s, ok := knownString(attr(u, name))
		if !ok {
			continue
		}
		m := rolloutCount.FindStringSubmatch(s)
		if m == nil {
			diags = diags.AttributeError(p.GetAttr(name), "invalid "+name,
				fmt.Sprintf("%q is neither a whole number (2) nor a percentage (25%%)", s))
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if m[2] == "%" && name == "max_unavailable" && n > 100 {
			diags = diags.AttributeError(p.GetAttr(name), "max_unavailable over 100%", "")
		}
		known++
		if n == 0 {
			zeros++
		}
	}
	if known == 2 && zeros == 2 {
		diags = diags.AttributeError(p, "max_surge and max_unavailable are both zero",
			"an update could then never replace a replica; allow one of them to be above zero")
	}
	return diags
}

func validateImage(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	ref, build := attr(cfg, "ref"), attr(cfg, "build")
	switch {
	case isNullish(ref) && isNullish(build):
		diags = diags.Errorf("an image needs ref (to pull) or a build block")
	case !isNullish(ref) && !isNullish(build):
		diags = diags.AttributeError(cty.GetAttrPath("ref"), "an image takes ref or a build block, not both",
			"to name a built image, use tag")
	}
	if push, ok := knownBool(attr(cfg, "push")); ok && push && isNullish(attr(cfg, "tag")) {
		diags = diags.AttributeError(cty.GetAttrPath("push"), "push needs tag", "set tag to the reference to push to")
	}
	return diags
}

func validateNetwork(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if name, ok := knownString(attr(cfg, "name")); ok && name == network.DefaultNetwork {
		diags = diags.AttributeError(cty.GetAttrPath("name"), "network name reserved",
			fmt.Sprintf("%q is berth's default network, which containers without network blocks join; choose another name", name))
	}
	s, ok := knownString(attr(cfg, "subnet"))
	if !ok {
		return diags
	}
	pfx, err := netip.ParsePrefix(s)
	if err != nil || !pfx.Addr().Is4() {
		return diags // the schema's cidr format reports it
	}
	p := cty.GetAttrPath("subnet")
	if pfx.Bits() > 30 {
		diags = diags.AttributeError(p, "subnet too small", fmt.Sprintf("%s leaves no room for a gateway and containers; use /30 or larger", s))
	}
	if pfx.Masked() != pfx {
		diags = diags.AttributeError(p, "subnet has host bits set", fmt.Sprintf("did you mean %s?", pfx.Masked()))
	}
	return diags
}
