package spec

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// decodeNode decodes a node block; nodes are global, so they live in the
// root module.
func (l *loader) decodeNode(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	if !cfg.Path.IsRoot() {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "node block in a module",
			Detail:   fmt.Sprintf("node %q is declared in %s; nodes are shared by the whole configuration and belong in the root module.", name, cfg.Path),
			Subject:  b.DefRange.Ptr(),
		}}
	}
	diags := checkName("node", name, b.LabelRanges[0])
	if prev := cfg.Nodes[name]; prev != nil {
		return append(diags, duplicate("node", name, b.DefRange, prev.DeclRange))
	}
	cfg.Nodes[name] = &Node{Name: name, Body: b.Body, DeclRange: b.DefRange}
	_, d := validateBody(b.Body, nodeSchema(), b.DefRange, "node "+name, cfg.Dir)
	return append(diags, d...)
}

// decodeModuleCall decodes a module block; every attribute but the
// meta-arguments is an input.
func decodeModuleCall(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	diags := checkName("module", name, b.LabelRanges[0])
	if prev := cfg.ModuleCalls[name]; prev != nil {
		return append(diags, duplicate("module", name, b.DefRange, prev.DeclRange))
	}
	mc := &ModuleCall{Name: name, Inputs: map[string]*hcl.Attribute{}, DeclRange: b.DefRange}
	cfg.ModuleCalls[name] = mc
	attrs, d := b.Body.JustAttributes()
	diags = append(diags, d...)
	for _, a := range sortedByPos(attrs) {
		diags = append(diags, decodeModuleAttr(mc, a)...)
	}
	if attrs["source"] == nil && !d.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing module source",
			Detail:   fmt.Sprintf("module %q needs source = \"./DIR\", the directory of the module.", name),
			Subject:  b.DefRange.Ptr(),
		})
	}
	return diags
}

func decodeModuleAttr(mc *ModuleCall, a *hcl.Attribute) hcl.Diagnostics {
	switch a.Name {
	case "source":
		src, diags := literalString(a.Expr, "module source")
		if diags.HasErrors() {
			return diags
		}
		if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Unsupported module source",
				Detail:   fmt.Sprintf("%q is not a local path. A module source is a directory relative to this module, starting with ./ or ../; registry and git sources are not supported.", src),
				Subject:  a.Expr.Range().Ptr(),
			}}
		}
		mc.Source, mc.sourceRange = src, a.Expr.Range()
		return nil
	case "depends_on":
		var diags hcl.Diagnostics
		mc.DependsOn, diags = decodeDependsOn(a.Expr)
		return diags
	case "count", "for_each", "providers", "version":
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  a.Name + " on module blocks is not supported yet",
			Detail:   fmt.Sprintf("module %q: berth does not support %s in module blocks yet; repeat the resources inside the module instead.", mc.Name, a.Name),
			Subject:  a.NameRange.Ptr(),
		}}
	}
	mc.Inputs[a.Name] = a
	return nil
}

// loadChildren loads the modules cfg calls and checks their inputs.
func (l *loader) loadChildren(cfg *Config, stack []string) hcl.Diagnostics {
	stack = append(stack, canonicalDir(cfg.Dir))
	var diags hcl.Diagnostics
	for _, name := range slices.Sorted(maps.Keys(cfg.ModuleCalls)) {
		mc := cfg.ModuleCalls[name]
		if mc.Source == "" {
			continue
		}
		dir := filepath.Join(cfg.Dir, filepath.FromSlash(mc.Source))
		if slices.Contains(stack, canonicalDir(dir)) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Module cycle",
				Detail:   fmt.Sprintf("module %q sources %s, which is this module or one that calls it; modules cannot call themselves.", name, mc.Source),
				Subject:  mc.sourceRange.Ptr(),
			})
			continue
		}
		child, d := l.loadModule(dir, cfg.Path.Child(name), stack, mc.DeclRange.Ptr())
		diags = append(diags, d...)
		if child == nil {
			continue
		}
		cfg.Children[name] = child
		diags = append(diags, checkInputs(mc, child)...)
	}
	return diags
}

// checkInputs checks a module call's inputs against the child's variables.
func checkInputs(mc *ModuleCall, child *Config) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, in := range slices.Sorted(maps.Keys(mc.Inputs)) {
		if child.Variables[in] != nil {
			continue
		}
		a := mc.Inputs[in]
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported argument",
			Detail: fmt.Sprintf("module %q (%s) declares no variable named %q.%s",
				mc.Name, mc.Source, in, didYouMean(in, slices.Sorted(maps.Keys(child.Variables)))),
			Subject: a.NameRange.Ptr(),
		})
	}
	for _, vn := range slices.Sorted(maps.Keys(child.Variables)) {
		v := child.Variables[vn]
		if v.Default == cty.NilVal && mc.Inputs[vn] == nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing required module input",
				Detail:   fmt.Sprintf("module %q requires a value for variable %q, which has no default; set %s = ... in the module block.", mc.Name, vn, vn),
				Subject:  mc.DeclRange.Ptr(),
			})
		}
	}
	return diags
}

// canonicalDir is dir made absolute with symlinks resolved, for cycle
// detection.
func canonicalDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.Clean(dir)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}
