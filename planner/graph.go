package planner

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// nodeKind is the kind of a configuration graph node.
type nodeKind byte

const (
	kindVariable nodeKind = iota + 1
	kindLocal
	kindOutput
	kindResource
	kindNode
)

func (k nodeKind) String() string {
	switch k {
	case kindVariable:
		return "var"
	case kindLocal:
		return "local"
	case kindOutput:
		return "output"
	case kindResource:
		return "resource"
	case kindNode:
		return "node"
	}
	return "?"
}

// nodeKey identifies a graph node: a variable, local, output, resource
// or node block in one module.
type nodeKey struct {
	kind   nodeKind
	module string // addrs.Module.String()
	name   string // for resources "type.name"
}

func (k nodeKey) String() string {
	var local string
	switch k.kind {
	case kindResource:
		local = k.name
	default:
		local = k.kind.String() + "." + k.name
	}
	if k.module == "" {
		return local
	}
	if k.kind == kindOutput {
		return k.module + ".output." + k.name
	}
	return k.module + "." + local
}

// graphNode is one node with its outgoing dependency edges.
type graphNode struct {
	key    nodeKey
	module *spec.Config
	rng    hcl.Range
	deps   []nodeKey
	// resource is set for resource nodes.
	resource *spec.Resource
}

// graph is the dependency graph of a whole configuration tree.
type graph struct {
	nodes map[nodeKey]*graphNode
	order []nodeKey // insertion order, for deterministic output
	// resourceDeps maps each resource node to the resource nodes it depends
	// on, directly or through variables, locals, outputs and modules.
	resourceDeps map[nodeKey][]nodeKey
}

func (g *graph) add(n *graphNode) {
	g.nodes[n.key] = n
	g.order = append(g.order, n.key)
}

// builder collects nodes and diagnostics while a graph is built.
type builder struct {
	g     *graph
	diags hcl.Diagnostics
}

func (b *builder) refs(r []*spec.Reference, d hcl.Diagnostics) []*spec.Reference {
	b.diags = append(b.diags, d...)
	return r
}

// buildGraph makes the graph of the configuration tree rooted at cfg and
// checks it for cycles.
func buildGraph(cfg *spec.Config) (*graph, hcl.Diagnostics) {
	b := &builder{g: &graph{nodes: map[nodeKey]*graphNode{}}}
	b.addModule(cfg, nil, nil, nil)
	if b.diags.HasErrors() {
		return nil, b.diags
	}
	g := b.g
	g.dropDanglingEdges()
	if cyc := g.findCycles(); len(cyc) > 0 {
		diags := b.diags
		for _, c := range cyc {
			diags = append(diags, cycleDiagnostic(g, c))
		}
		return nil, diags
	}
	g.resourceDeps = g.computeResourceDeps()
	return g, b.diags
}

func cycleDiagnostic(g *graph, cycle []nodeKey) *hcl.Diagnostic {
	names := make([]string, 0, len(cycle)+1)
	for _, k := range cycle {
		names = append(names, k.String())
	}
	names = append(names, cycle[0].String())
	first := g.nodes[cycle[0]]
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Reference cycle",
		Detail: fmt.Sprintf("These objects refer to each other in a cycle: %s. Break the cycle by removing one of the references.",
			strings.Join(names, " -> ")),
		Subject: first.rng.Ptr(),
	}
}

// addModule adds every node of one module, and of its children. For a
// child module, parent and call are its caller; parentDeps are the
// call's depends_on, inherited by every node of the child.
func (b *builder) addModule(cfg, parent *spec.Config, call *spec.ModuleCall, parentDeps []nodeKey) {
	g := b.g
	mod := cfg.Path.String()
	for _, name := range slices.Sorted(maps.Keys(cfg.Variables)) {
		v := cfg.Variables[name]
		n := &graphNode{key: nodeKey{kindVariable, mod, name}, module: cfg, rng: v.DeclRange}
		if call != nil {
			// A module input is evaluated in the parent's scope.
			if attr, ok := call.Inputs[name]; ok {
				n.deps = append(n.deps, b.refsToDeps(parent, b.refs(spec.ReferencesInExpr(attr.Expr)))...)
			}
			n.deps = append(n.deps, parentDeps...)
		}
		g.add(n)
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Locals)) {
		l := cfg.Locals[name]
		deps := b.refsToDeps(cfg, b.refs(spec.ReferencesInExpr(l.Expr)))
		g.add(&graphNode{key: nodeKey{kindLocal, mod, name}, module: cfg, rng: l.DeclRange, deps: deps})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Outputs)) {
		o := cfg.Outputs[name]
		deps := b.refsToDeps(cfg, b.refs(spec.ReferencesInExpr(o.Expr)))
		deps = append(deps, b.traversalDeps(cfg, o.DependsOn)...)
		g.add(&graphNode{key: nodeKey{kindOutput, mod, name}, module: cfg, rng: o.DeclRange, deps: deps})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Nodes)) {
		nb := cfg.Nodes[name]
		deps := b.refsToDeps(cfg, b.refs(spec.ReferencesInBody(nb.Body, nodeSchema())))
		g.add(&graphNode{key: nodeKey{kindNode, mod, name}, module: cfg, rng: nb.DeclRange, deps: deps})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Resources)) {
		b.addResource(cfg, cfg.Resources[name], parentDeps)
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.ModuleCalls)) {
		mc := cfg.ModuleCalls[name]
		child := cfg.Children[name]
		if child == nil {
			continue
		}
		deps := append(append([]nodeKey(nil), parentDeps...), b.traversalDeps(cfg, mc.DependsOn)...)
		b.addModule(child, cfg, mc, deps)
	}
}

func (b *builder) addResource(cfg *spec.Config, r *spec.Resource, parentDeps []nodeKey) {
	refs := b.refs(spec.ReferencesInBody(r.Body, &r.Schema.Block))
	if r.Count != nil {
		refs = append(refs, b.refs(spec.ReferencesInExpr(r.Count))...)
	}
	if r.ForEach != nil {
		refs = append(refs, b.refs(spec.ReferencesInExpr(r.ForEach))...)
	}
	key := resourceKey(r.Addr)
	deps := b.refsToDeps(cfg, refs)
	deps = append(deps, b.traversalDeps(cfg, r.DependsOn)...)
	deps = append(deps, parentDeps...)
	b.g.add(&graphNode{key: key, module: cfg, rng: r.DeclRange, deps: dedupKeys(deps, key), resource: r})
}

func resourceKey(r addrs.Resource) nodeKey {
	return nodeKey{kindResource, r.Module.String(), r.Type + "." + r.Name}
}

// refsToDeps turns references made in module cfg into graph edges.
func (b *builder) refsToDeps(cfg *spec.Config, refs []*spec.Reference) []nodeKey {
	mod := cfg.Path.String()
	var out []nodeKey
	for _, r := range refs {
		switch r.Kind {
		case spec.RefVariable:
			out = append(out, nodeKey{kindVariable, mod, r.Name})
		case spec.RefLocal:
			out = append(out, nodeKey{kindLocal, mod, r.Name})
		case spec.RefResource:
			out = append(out, nodeKey{kindResource, mod, r.Type + "." + r.Name})
		case spec.RefNode:
			out = append(out, nodeKey{kindNode, mod, r.Name})
		case spec.RefModule:
			out = append(out, moduleOutputDeps(cfg, r)...)
		}
	}
	return out
}

// moduleOutputDeps is the output named by module.NAME.OUT, or every output
// of the child when the reference takes the whole module object.
func moduleOutputDeps(cfg *spec.Config, r *spec.Reference) []nodeKey {
	child := cfg.Children[r.Name]
	if child == nil {
		return nil
	}
	mod := child.Path.String()
	if len(r.Remaining) > 0 {
		if step, ok := r.Remaining[0].(hcl.TraverseAttr); ok {
			return []nodeKey{{kindOutput, mod, step.Name}}
		}
	}
	var out []nodeKey
	for _, name := range slices.Sorted(maps.Keys(child.Outputs)) {
		out = append(out, nodeKey{kindOutput, mod, name})
	}
	return out
}

// traversalDeps turns depends_on entries into edges: a resource, or every
// resource and output of a module.
func (b *builder) traversalDeps(cfg *spec.Config, ts []hcl.Traversal) []nodeKey {
	var out []nodeKey
	for _, t := range ts {
		expr := &hclsyntax.ScopeTraversalExpr{Traversal: t, SrcRange: t.SourceRange()}
		for _, r := range b.refs(spec.ReferencesInExpr(expr)) {
			if r.Kind == spec.RefModule {
				if child := cfg.Children[r.Name]; child != nil {
					out = append(out, moduleResourceKeys(child)...)
				}
				continue
			}
			out = append(out, b.refsToDeps(cfg, []*spec.Reference{r})...)
		}
	}
	return out
}

// moduleResourceKeys lists every resource and output node of a module tree.
func moduleResourceKeys(cfg *spec.Config) []nodeKey {
	var out []nodeKey
	for _, name := range slices.Sorted(maps.Keys(cfg.Resources)) {
		out = append(out, resourceKey(cfg.Resources[name].Addr))
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Outputs)) {
		out = append(out, nodeKey{kindOutput, cfg.Path.String(), name})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Children)) {
		out = append(out, moduleResourceKeys(cfg.Children[name])...)
	}
	return out
}

// dropDanglingEdges removes edges to nodes that do not exist; spec reports
// undeclared references, so these only appear after such errors.
func (g *graph) dropDanglingEdges() {
	for _, n := range g.nodes {
		kept := n.deps[:0]
		for _, d := range n.deps {
			if _, ok := g.nodes[d]; ok {
				kept = append(kept, d)
			}
		}
		n.deps = kept
	}
}

// dedupKeys drops repeated keys. A self edge is kept: it is a cycle.
func dedupKeys(keys []nodeKey, self nodeKey) []nodeKey {
	seen := make(map[nodeKey]bool, len(keys))
	out := keys[:0]
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}
