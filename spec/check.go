package spec

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// refRules says which references an expression may make.
type refRules struct {
	what    string // the place, for messages: "container.web", "locals"
	counted bool   // count.index is available
	each    bool   // each.key / each.value are available
	// early: only var, local and path (berth and node blocks are
	// evaluated before any resource).
	early bool
}

// CheckReferences checks every reference of every expression in the
// module tree: the referenced variables, locals, resources, modules and
// nodes must be declared, count.index and each.* may only appear where
// they exist. Load calls it; reference cycles are the planner's concern.
func (c *Config) CheckReferences() hcl.Diagnostics {
	diags := c.checkModule()
	c.walk(func(child *Config) { diags = append(diags, child.checkModule()...) })
	return diags
}

func (c *Config) checkModule() hcl.Diagnostics {
	keys := slices.Sorted(maps.Keys(c.Resources))
	diags := parallel(len(keys), func(i int) hcl.Diagnostics { return c.checkResource(c.Resources[keys[i]]) })
	for _, name := range slices.Sorted(maps.Keys(c.Locals)) {
		diags = append(diags, c.checkExpr(c.Locals[name].Expr, refRules{what: "local." + name})...)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Outputs)) {
		o := c.Outputs[name]
		diags = append(diags, c.checkExpr(o.Expr, refRules{what: "output " + name})...)
		diags = append(diags, c.checkDependsOn(o.DependsOn)...)
	}
	for _, name := range slices.Sorted(maps.Keys(c.ModuleCalls)) {
		mc := c.ModuleCalls[name]
		for _, in := range slices.Sorted(maps.Keys(mc.Inputs)) {
			diags = append(diags, c.checkExpr(mc.Inputs[in].Expr, refRules{what: "module " + name})...)
		}
		diags = append(diags, c.checkDependsOn(mc.DependsOn)...)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Nodes)) {
		n := c.Nodes[name]
		refs, d := ReferencesInBody(n.Body, nodeSchema())
		diags = append(append(diags, d...), c.checkRefs(refs, refRules{what: "node " + name, early: true})...)
	}
	if c.Berth != nil {
		diags = append(diags, c.checkBerth()...)
	}
	return diags
}

func (c *Config) checkResource(r *Resource) hcl.Diagnostics {
	what := r.Addr.String()
	diags := c.checkExpr(r.Count, refRules{what: what + " count"})
	diags = append(diags, c.checkExpr(r.ForEach, refRules{what: what + " for_each"})...)
	var refs []*Reference
	var d hcl.Diagnostics
	if r.bodyRefsKnown {
		refs, d = referencesIn(r.bodyRefs)
	} else {
		refs, d = ReferencesInBody(r.Body, &r.Schema.Block)
	}
	diags = append(diags, d...)
	rules := refRules{what: what, counted: r.Count != nil, each: r.ForEach != nil}
	diags = append(diags, c.checkRefs(refs, rules)...)
	return append(diags, c.checkDependsOn(r.DependsOn)...)
}

func (c *Config) checkBerth() hcl.Diagnostics {
	var diags hcl.Diagnostics
	if c.Berth.RuntimeRoot != nil {
		diags = append(diags, c.checkExpr(c.Berth.RuntimeRoot, refRules{what: "berth runtime", early: true})...)
	}
	for _, r := range c.Berth.Registries {
		refs, d := ReferencesInBody(r.Body, registrySchema())
		diags = append(append(diags, d...), c.checkRefs(refs, refRules{what: "registry " + r.Host, early: true})...)
	}
	return diags
}

func (c *Config) checkExpr(expr hcl.Expression, rules refRules) hcl.Diagnostics {
	if expr == nil {
		return nil
	}
	refs, diags := ReferencesInExpr(expr)
	return append(diags, c.checkRefs(refs, rules)...)
}

func (c *Config) checkDependsOn(deps []hcl.Traversal) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, t := range deps {
		ref, d := parseReference(t)
		if d != nil {
			diags = append(diags, d)
			continue
		}
		if d := c.checkRef(ref, refRules{what: "depends_on"}); d != nil {
			diags = append(diags, d)
		}
	}
	return diags
}

func (c *Config) checkRefs(refs []*Reference, rules refRules) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, ref := range refs {
		if d := c.checkRef(ref, rules); d != nil {
			diags = append(diags, d)
		}
	}
	return diags
}

// checkRef checks one reference; nil when it is fine.
func (c *Config) checkRef(ref *Reference, rules refRules) *hcl.Diagnostic {
	if rules.early && ref.Kind != RefVariable && ref.Kind != RefLocal && ref.Kind != RefPath {
		return refDiag(ref, "Invalid reference", fmt.Sprintf("%s is evaluated before any resource, so it can only refer to var, local and path, not %s.", rules.what, ref))
	}
	switch ref.Kind {
	case RefVariable:
		if c.Variables[ref.Name] == nil {
			return undeclared(ref, "input variable", fmt.Sprintf("variable %q {}", ref.Name), slices.Sorted(maps.Keys(c.Variables)), c.Path.String())
		}
	case RefLocal:
		if c.Locals[ref.Name] == nil {
			return undeclared(ref, "local value", "a locals block", slices.Sorted(maps.Keys(c.Locals)), c.Path.String())
		}
	case RefModule:
		if c.ModuleCalls[ref.Name] == nil {
			return undeclared(ref, "module", fmt.Sprintf("module %q {}", ref.Name), slices.Sorted(maps.Keys(c.ModuleCalls)), c.Path.String())
		}
	case RefNode:
		if c.root.Nodes[ref.Name] == nil {
			return undeclared(ref, "node", fmt.Sprintf("node %q {} in the root module", ref.Name), slices.Sorted(maps.Keys(c.root.Nodes)), "")
		}
	case RefResource:
		return c.checkResourceRef(ref)
	case RefCount:
		if !rules.counted {
			return refDiag(ref, "Reference to count.index outside a counted resource",
				fmt.Sprintf("count.index is only available in the body of a resource that sets count; %s does not.", rules.what))
		}
	case RefEach:
		if !rules.each {
			return refDiag(ref, "Reference to each outside a for_each resource",
				fmt.Sprintf("each.key and each.value are only available in the body of a resource that sets for_each; %s does not.", rules.what))
		}
	case RefSelf:
		return refDiag(ref, "Invalid reference", "self is reserved and cannot be used yet; refer to the resource by TYPE.NAME.")
	}
	return nil
}

func (c *Config) checkResourceRef(ref *Reference) *hcl.Diagnostic {
	if _, ok := c.lookup(ref.Type); !ok {
		candidates := append(append([]string{}, referenceRoots...), nativeTypes...)
		return refDiag(ref, "Unknown reference",
			fmt.Sprintf("unknown reference %s: %q is neither a resource type nor one of %s.%s",
				ref, ref.Type, strings.Join(referenceRoots, ", "), didYouMean(ref.Type, candidates)))
	}
	key := ref.Type + "." + ref.Name
	if c.Resources[key] != nil {
		return nil
	}
	var names []string
	for k, r := range c.Resources {
		if r.Addr.Type == ref.Type {
			names = append(names, k)
		}
	}
	block := ref.Type + " " + fmt.Sprintf("%q", ref.Name) + " {}"
	if !isNativeType(ref.Type) {
		block = fmt.Sprintf("resource %q %q {}", ref.Type, ref.Name)
	}
	return undeclared(ref, "resource", block, names, c.Path.String())
}

func undeclared(ref *Reference, kind, decl string, names []string, module string) *hcl.Diagnostic {
	where := "this module"
	if module != "" {
		where = module
	}
	return refDiag(ref, "Reference to undeclared "+kind,
		fmt.Sprintf("%s is not declared in %s; declare it with %s.%s", ref, where, decl, didYouMean(ref.String(), prefixed(ref, names))))
}

// prefixed renders candidate names the way ref is written.
func prefixed(ref *Reference, names []string) []string {
	if ref.Kind == RefResource {
		return names
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ref.Kind.String() + "." + n
	}
	return out
}

func refDiag(ref *Reference, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: ref.SourceRange.Ptr()}
}
