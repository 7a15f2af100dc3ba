package spec

import (
	"fmt"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/zclconf/go-cty/cty"
)

// referenceRoots are the traversal roots that are not resource types.
var referenceRoots = []string{"var", "local", "module", "node", "count", "each", "path", "self"}

// ReferencesInExpr returns the references an expression makes. Roots
// that are not keywords are taken as resource types (TYPE.NAME); whether
// the type exists is checked by Config.CheckReferences, which knows the
// schemas. Malformed references (var without a name, count.foo, ...) are
// errors.
func ReferencesInExpr(expr hcl.Expression) ([]*Reference, hcl.Diagnostics) {
	if expr == nil {
		return nil, nil
	}
	return referencesIn(expr.Variables())
}

// ReferencesInBody returns the references of every expression in a body
// that conforms to schema, including those in dynamic blocks' for_each,
// labels and content; dynamic iterator names are not references.
func ReferencesInBody(body hcl.Body, schema *schemas.Block) ([]*Reference, hcl.Diagnostics) {
	if body == nil {
		return nil, nil
	}
	return referencesIn(bodyTraversals(dynblock.WalkVariables(body), schema, nil))
}

// bodyTraversals walks a body as dynblock.VariablesHCLDec does, but with
// the cached body schemas instead of recomputing them from an hcldec spec
// at every level: this runs for every resource at load and evaluation.
func bodyTraversals(node dynblock.WalkVariablesNode, block *schemas.Block, into []hcl.Traversal) []hcl.Traversal {
	vars, children := node.Visit(plainSchema(block))
	into = append(into, vars...)
	for _, c := range children {
		if nb := block.Blocks[c.BlockTypeName]; nb != nil {
			into = bodyTraversals(c.Node, &nb.Block, into)
		}
	}
	return into
}

func referencesIn(ts []hcl.Traversal) ([]*Reference, hcl.Diagnostics) {
	var refs []*Reference
	var diags hcl.Diagnostics
	for _, t := range ts {
		ref, d := parseReference(t)
		if d != nil {
			diags = append(diags, d)
			continue
		}
		refs = append(refs, ref)
	}
	return refs, diags
}

// parseReference classifies one absolute traversal.
func parseReference(t hcl.Traversal) (*Reference, *hcl.Diagnostic) {
	root := t.RootName()
	ref := &Reference{SourceRange: t.SourceRange()}
	switch root {
	case "var", "local", "module", "node":
		ref.Kind = map[string]ReferenceKind{"var": RefVariable, "local": RefLocal, "module": RefModule, "node": RefNode}[root]
		return named(ref, t, root+".NAME", nil)
	case "count":
		ref.Kind = RefCount
		return named(ref, t, "count.index", []string{"index"})
	case "each":
		ref.Kind = RefEach
		return named(ref, t, "each.key or each.value", []string{"key", "value"})
	case "path":
		ref.Kind = RefPath
		return named(ref, t, "path.module, path.root or path.cwd", []string{"module", "root", "cwd"})
	case "self":
		ref.Kind, ref.Remaining = RefSelf, t[1:]
		return ref, nil
	case "resource":
		return nil, refError(t, "Invalid reference", "Refer to a resource as TYPE.NAME (for example acme_dns_record.www), without the resource keyword.")
	}
	name, ok := stepName(t, 1)
	if !ok {
		return nil, refError(t, "Unknown reference",
			fmt.Sprintf("%q is not something a reference can start with. References start with var, local, module, node, count, each, path or a resource type followed by the resource name (TYPE.NAME).%s",
				root, didYouMean(root, referenceRoots)))
	}
	ref.Kind, ref.Type, ref.Name, ref.Remaining = RefResource, root, name, t[2:]
	return ref, nil
}

// named fills the name of a keyword reference; allowed restricts it.
func named(ref *Reference, t hcl.Traversal, form string, allowed []string) (*Reference, *hcl.Diagnostic) {
	name, ok := stepName(t, 1)
	if !ok {
		return nil, refError(t, "Invalid reference", fmt.Sprintf("%s must be followed by a name: %s.", t.RootName(), form))
	}
	if allowed != nil && !contains(allowed, name) {
		return nil, refError(t, "Invalid reference", fmt.Sprintf("%s.%s does not exist; use %s.", t.RootName(), name, form))
	}
	ref.Name, ref.Remaining = name, t[2:]
	return ref, nil
}

// stepName returns the attribute name at step i (or a string index).
func stepName(t hcl.Traversal, i int) (string, bool) {
	if len(t) <= i {
		return "", false
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name, true
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString(), true
		}
	}
	return "", false
}

func refError(t hcl.Traversal, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: t.SourceRange().Ptr()}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// String renders the referenced object: var.x, container.web, count.index.
func (r *Reference) String() string {
	switch r.Kind {
	case RefResource:
		return r.Type + "." + r.Name
	case RefSelf:
		return "self"
	}
	return r.Kind.String() + "." + r.Name
}

// String is the reference root of the kind (var, local, ...), or
// "resource" for RefResource.
func (k ReferenceKind) String() string {
	switch k {
	case RefVariable:
		return "var"
	case RefLocal:
		return "local"
	case RefResource:
		return "resource"
	case RefModule:
		return "module"
	case RefNode:
		return "node"
	case RefCount:
		return "count"
	case RefEach:
		return "each"
	case RefPath:
		return "path"
	case RefSelf:
		return "self"
	}
	return "invalid"
}
