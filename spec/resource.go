package spec

import (
	"fmt"

	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/hashicorp/hcl/v2"
)

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "count"}, {Name: "for_each"}, {Name: "depends_on"}, {Name: "provider"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
}

var lifecycleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "create_before_destroy"}, {Name: "prevent_destroy"}, {Name: "ignore_changes"},
	},
}

// decodeResource decodes `TYPE "NAME"` and `resource "TYPE" "NAME"` blocks.
func (l *loader) decodeResource(cfg *Config, b *hcl.Block, typ string, typeRange hcl.Range, name string, nameRange hcl.Range) hcl.Diagnostics {
	rs, ok := l.lookup(typ)
	if !ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown resource type",
			Detail: fmt.Sprintf("No provider serves resource type %q.%s If it comes from a plugin provider, install the plugin into ./.berth/plugins (or ~/.berth/plugins) and name it in berth { required_providers }.",
				typ, didYouMean(typ, nativeTypes)),
			Subject: typeRange.Ptr(),
		}}
	}
	diags := checkName("resource", name, nameRange)
	key := typ + "." + name
	if prev := cfg.Resources[key]; prev != nil {
		return append(diags, duplicate("resource", key, b.DefRange, prev.DeclRange))
	}
	content, remain, d := b.Body.PartialContent(resourceMetaSchema)
	diags = append(diags, d...)
	r := &Resource{
		Addr:      addrs.Resource{Module: cfg.Path, Type: typ, Name: name},
		Body:      remain,
		Schema:    rs,
		DeclRange: b.DefRange,
		TypeRange: typeRange,
	}
	cfg.Resources[key] = r
	diags = append(diags, decodeResourceMeta(r, content)...)
	for i, lb := range content.Blocks {
		if i > 0 {
			diags = append(diags, duplicate("lifecycle block", "", lb.DefRange, content.Blocks[0].DefRange))
			continue
		}
		diags = append(diags, decodeLifecycle(r, lb)...)
	}
	dir := cfg.Dir
	l.checks = append(l.checks, func() hcl.Diagnostics {
		refs, diags := validateBody(remain, &rs.Block, b.DefRange, key, dir)
		r.bodyRefs, r.bodyRefsKnown = refs, true
		return diags
	})
	return diags
}

func decodeResourceMeta(r *Resource, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if a := content.Attributes["count"]; a != nil {
		r.Count = a.Expr
		diags = append(diags, checkConstCount(a.Expr)...)
	}
	if a := content.Attributes["for_each"]; a != nil {
		if r.Count != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid combination of count and for_each",
				Detail:   fmt.Sprintf("%s sets both count and for_each; a resource can use one of them only.", r.Addr),
				Subject:  a.NameRange.Ptr(),
			})
		} else {
			r.ForEach = a.Expr
			diags = append(diags, checkConstForEach(a.Expr)...)
		}
	}
	if a := content.Attributes["depends_on"]; a != nil {
		deps, d := decodeDependsOn(a.Expr)
		r.DependsOn = deps
		diags = append(diags, d...)
	}
	if a := content.Attributes["provider"]; a != nil {
		if t, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() {
			r.Provider = traversalString(t)
		} else {
			var d hcl.Diagnostics
			r.Provider, d = literalString(a.Expr, "provider")
			diags = append(diags, d...)
		}
	}
	return diags
}

// checkConstCount checks a count that refers to nothing.
func checkConstCount(expr hcl.Expression) hcl.Diagnostics {
	if len(expr.Variables()) > 0 {
		return nil
	}
	s := &Scope{}
	_, diags := s.EvalCount(expr)
	return diags
}

// checkConstForEach checks a for_each that refers to nothing.
func checkConstForEach(expr hcl.Expression) hcl.Diagnostics {
	if len(expr.Variables()) > 0 {
		return nil
	}
	s := &Scope{}
	_, diags := s.EvalForEach(expr)
	return diags
}

func decodeLifecycle(r *Resource, b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(lifecycleSchema)
	var d hcl.Diagnostics
	if a := content.Attributes["create_before_destroy"]; a != nil {
		r.Lifecycle.CreateBeforeDestroy, d = literalBool(a.Expr, "create_before_destroy")
		diags = append(diags, d...)
	}
	if a := content.Attributes["prevent_destroy"]; a != nil {
		r.Lifecycle.PreventDestroy, d = literalBool(a.Expr, "prevent_destroy")
		diags = append(diags, d...)
	}
	if a := content.Attributes["ignore_changes"]; a != nil {
		diags = append(diags, decodeIgnoreChanges(r, a.Expr)...)
	}
	return diags
}

func decodeIgnoreChanges(r *Resource, expr hcl.Expression) hcl.Diagnostics {
	if hcl.ExprAsKeyword(expr) == "all" {
		r.Lifecycle.IgnoreAllChanges = true
		return nil
	}
	exprs, diags := hcl.ExprList(expr)
	for _, e := range exprs {
		t, d := hcl.RelTraversalForExpr(e)
		if d.HasErrors() || len(t) == 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid ignore_changes entry",
				Detail:   "ignore_changes takes attribute names of this resource without quotes, such as [env, image], or the keyword all.",
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		if d := checkAttrPath(t, &r.Schema.Block, r.Addr.String()); d != nil {
			diags = append(diags, d)
			continue
		}
		r.Lifecycle.IgnoreChanges = append(r.Lifecycle.IgnoreChanges, t)
	}
	return diags
}

// checkAttrPath checks that a relative traversal starts with an attribute
// or block of the schema.
func checkAttrPath(t hcl.Traversal, block *schemas.Block, what string) *hcl.Diagnostic {
	first, ok := t[0].(hcl.TraverseAttr)
	if !ok {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid ignore_changes entry", Detail: "An entry must start with an attribute name.", Subject: t.SourceRange().Ptr()}
	}
	if block.Attributes[first.Name] != nil || block.Blocks[first.Name] != nil {
		return nil
	}
	names := append(block.AttributeNames(), block.BlockNames()...)
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unsupported attribute in ignore_changes",
		Detail:   fmt.Sprintf("%s has no attribute or block named %q.%s", what, first.Name, didYouMean(first.Name, names)),
		Subject:  first.SrcRange.Ptr(),
	}
}
