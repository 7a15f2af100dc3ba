package native

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/zclconf/go-cty/cty"
)

func validateDeployment(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if n, ok := knownNumber(attr(cfg, "replicas")); ok && (!n.IsInt() || n.Sign() < 0) {
		diags = diags.AttributeError(cty.GetAttrPath("replicas"), "replicas must be a whole number, 0 or more",
			fmt.Sprintf("got %s", n.Text('f', -1)))
	}
	if nodes := stringList(attr(attr(cfg, "placement"), "nodes")); len(nodes) > 0 {
		diags = diags.AttributeError(cty.GetAttrPath("placement").GetAttr("nodes"),
			fmt.Sprintf("nodes %s: remote nodes are not supported yet", strings.Join(quoteAll(nodes), ", ")),
			"berth runs replicas only on the machine running it for now; remove the placement block to run them here")
	}
	diags = append(diags, validateContainer(attr(cfg, "template"), cty.GetAttrPath("template"))...)
	return append(diags, validateUpdate(attr(cfg, "update"), cty.GetAttrPath("update"))...)
}

// quoteAll quotes each string.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
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
	if !isNullish(build) {
		// Until berth builds images, a build block would plan cleanly and
		// fail at apply: refuse it where the user can still act.
		diags = diags.AttributeError(cty.GetAttrPath("build"), "image builds (the build block) are not supported by this berth yet",
			"build the image elsewhere and set ref: a registry reference, or oci-layout:DIR:TAG for an OCI layout on this machine")
	}
	if s, ok := knownString(ref); ok {
		if err := image.CheckRef(s); err != nil {
			diags = diags.AttributeError(cty.GetAttrPath("ref"), "invalid image reference", err.Error())
		}
	}
	if push, ok := knownBool(attr(cfg, "push")); ok && push && isNullish(attr(cfg, "tag")) {
		diags = diags.AttributeError(cty.GetAttrPath("push"), "push needs tag", "set tag to the reference to push to")
	}
	return diags
}

func validateNetwork(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if name, ok := knownString(attr(cfg, "name")); ok {
		switch {
		case name == network.DefaultNetwork:
			diags = diags.AttributeError(cty.GetAttrPath("name"), "network name reserved",
				fmt.Sprintf("%q is berth's default network, which containers without network blocks join; choose another name", name))
		case !network.ValidName(name):
			diags = diags.AttributeError(cty.GetAttrPath("name"), "invalid network name",
				fmt.Sprintf("%q: use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 64", name))
		}
	}
	s, ok := knownString(attr(cfg, "subnet"))
	if !ok {
		return diags
	}
	pfx, err := netip.ParsePrefix(s)
	if err != nil {
		return diags // the schema's cidr format reports it
	}
	if err := network.CheckSubnet(pfx); err != nil {
		diags = diags.AttributeError(cty.GetAttrPath("subnet"), "invalid subnet", err.Error())
	}
	return diags
}

func validateVolume(cfg cty.Value) providers.Diagnostics {
	if name, ok := knownString(attr(cfg, "name")); ok && !validVolumeName(name) {
		return providers.Diagnostics{}.AttributeError(cty.GetAttrPath("name"), "invalid volume name",
			fmt.Sprintf("%q: use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 128", name))
	}
	return nil
}
