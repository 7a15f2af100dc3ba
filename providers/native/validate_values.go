package native

import (
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// The values of a container that the runtime would refuse at create,
// checked before apply with the runtime's own checks (runtime.Check*,
// ParseSignal, image.CheckRef): validate and plan fail at the
// attribute instead of apply failing halfway.

// validateProcess checks the image, the process's strings and the
// runtime settings of a container body at base.
func validateProcess(cfg cty.Value, base cty.Path) providers.Diagnostics {
	var diags providers.Diagnostics
	bad := func(p cty.Path, summary string, err error) {
		if err != nil {
			diags = diags.AttributeError(p, summary, err.Error())
		}
	}
	if ref, ok := knownString(attr(cfg, "image")); ok {
		bad(base.GetAttr("image"), "invalid image reference", image.CheckRef(ref))
	}
	for _, name := range []string{"command", "entrypoint"} {
		for i, a := range elements(attr(cfg, name)) {
			if s, ok := knownString(a); ok {
				bad(base.GetAttr(name).IndexInt(i), "invalid "+name+" argument", runtime.CheckText(s))
			}
		}
	}
	diags = append(diags, validateStringMap(attr(cfg, "env"), base.GetAttr("env"), "environment variable", runtime.CheckEnvName)...)
	diags = append(diags, validateStringMap(attr(cfg, "labels"), base.GetAttr("labels"), "label", runtime.CheckText)...)
	if s, ok := knownString(attr(cfg, "working_dir")); ok {
		bad(base.GetAttr("working_dir"), "invalid working_dir", runtime.CheckWorkingDir(s))
	}
	if s, ok := knownString(attr(cfg, "hostname")); ok {
		bad(base.GetAttr("hostname"), "invalid hostname", runtime.CheckHostname(s))
	}
	if s, ok := knownString(attr(cfg, "user")); ok {
		bad(base.GetAttr("user"), "invalid user", runtime.CheckUser(s))
	}
	if s, ok := knownString(attr(cfg, "stop_signal")); ok {
		_, err := runtime.ParseSignal(s)
		bad(base.GetAttr("stop_signal"), "invalid stop_signal", err)
	}
	if s, ok := knownString(attr(attr(cfg, "resources"), "memory")); ok {
		if n, err := schemas.ParseSize(s); err == nil {
			bad(base.GetAttr("resources").GetAttr("memory"), "memory limit too small", runtime.CheckMemory(n))
		}
	}
	caps := attr(cfg, "capabilities")
	if add, drop := attr(caps, "add"), attr(caps, "drop"); add.IsWhollyKnown() && drop.IsWhollyKnown() {
		bad(base.GetAttr("capabilities"), "invalid capabilities", runtime.CheckCapabilities(stringList(add), stringList(drop)))
	}
	for i, a := range elements(attr(attr(cfg, "health"), "command")) {
		if s, ok := knownString(a); ok {
			bad(base.GetAttr("health").GetAttr("command").IndexInt(i), "invalid health command argument", runtime.CheckText(s))
		}
	}
	return diags
}

// validateStringMap checks a known map's keys with checkKey and every
// value for NUL bytes.
func validateStringMap(m cty.Value, p cty.Path, what string, checkKey func(string) error) providers.Diagnostics {
	var diags providers.Diagnostics
	if m.IsNull() || !m.IsKnown() || !m.CanIterateElements() {
		return nil
	}
	for it := m.ElementIterator(); it.Next(); {
		k, v := it.Element()
		key := k.AsString()
		if err := checkKey(key); err != nil {
			diags = diags.AttributeError(p.Index(k), "invalid "+what+" name", err.Error())
			continue
		}
		if s, ok := knownString(v); ok {
			if err := runtime.CheckText(s); err != nil {
				diags = diags.AttributeError(p.Index(k), "invalid "+what, fmt.Sprintf("%s %s", key, err))
			}
		}
	}
	return diags
}
