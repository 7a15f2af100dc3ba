package spec

import (
	"fmt"
	"strings"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var dynamicSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "content"}},
}

// validator checks one top-level body (resource, node, registry) and
// collects the references of its expressions on the way, so that
// CheckReferences need not walk the body again.
type validator struct {
	dir  string          // module directory, for file functions
	refs []hcl.Traversal // references found, without dynamic iterators
	its  map[string]bool // dynamic iterator names in scope
}

// validateBody checks a top-level body against its schema without
// evaluating anything that refers to something: unknown and missing
// attributes, block counts and nesting, dynamic blocks, and the type,
// format and allowed values of constant attributes. what names the body
// in messages. It returns the body's references as ReferencesInBody
// finds them.
func validateBody(body hcl.Body, block *schemas.Block, decl hcl.Range, what, dir string) ([]hcl.Traversal, hcl.Diagnostics) {
	v := &validator{dir: dir, its: map[string]bool{}}
	diags := v.validate(body, block, decl, what, true)
	return v.refs, diags
}

func (v *validator) validate(body hcl.Body, block *schemas.Block, decl hcl.Range, what string, top bool) hcl.Diagnostics {
	content, diags := body.Content(bodySchemaOf(block))
	for _, name := range block.AttributeNames() {
		diags = append(diags, v.validateAttr(content.Attributes[name], name, block.Attributes[name], decl, what, top)...)
	}
	literal, dynamic := map[string][]*hcl.Block{}, map[string][]*hcl.Block{}
	for _, b := range content.Blocks {
		if b.Type == "dynamic" {
			dynamic[b.Labels[0]] = append(dynamic[b.Labels[0]], b)
			diags = append(diags, v.validateDynamic(b, block, what)...)
			continue
		}
		literal[b.Type] = append(literal[b.Type], b)
		nb := block.Blocks[b.Type]
		diags = append(diags, v.validate(b.Body, &nb.Block, b.DefRange, what+"."+b.Type, false)...)
	}
	for _, name := range block.BlockNames() {
		diags = append(diags, checkBlockCount(block.Blocks[name], name, literal[name], len(dynamic[name]), decl, what)...)
	}
	return diags
}

// collect records an expression's references except iterator names in
// scope (and except also, when not "", the iterator own). It reports
// whether the expression refers to anything at all.
func (v *validator) collect(expr hcl.Expression, own string) bool {
	vars := expr.Variables()
	for _, t := range vars {
		if root := t.RootName(); !v.its[root] && root != own {
			v.refs = append(v.refs, t)
		}
	}
	return len(vars) > 0
}

func (v *validator) validateAttr(a *hcl.Attribute, name string, s *schemas.Attribute, decl hcl.Range, what string, top bool) hcl.Diagnostics {
	if a == nil {
		if s.Required && !(top && name == "name") {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Missing required argument",
				Detail:   fmt.Sprintf("%s: the argument %q is required, but no definition was found.", what, name),
				Subject:  decl.Ptr(),
			}}
		}
		return nil
	}
	if isComputedOnly(s) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot set a computed attribute",
			Detail:   fmt.Sprintf("%s: %q is computed by the provider and cannot be set in configuration; remove it.", what, name),
			Subject:  a.NameRange.Ptr(),
		}}
	}
	if v.collect(a.Expr, "") {
		return nil
	}
	val, diags := a.Expr.Value(&hcl.EvalContext{Functions: functionsFor(v.dir)})
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return diags
	}
	return checkAttrValue(val, name, s, a.Expr.Range(), what)
}

// checkAttrValue converts a known value to the attribute's type and checks
// nullability, format and allowed values.
func checkAttrValue(val cty.Value, name string, s *schemas.Attribute, rng hcl.Range, what string) hcl.Diagnostics {
	val, _ = val.UnmarkDeep()
	conv, err := convert.Convert(val, s.Type)
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Incorrect attribute value type",
			Detail:   fmt.Sprintf("%s: inappropriate value for attribute %q: %s.", what, name, convertError(err, s.Type)),
			Subject:  rng.Ptr(),
		}}
	}
	if conv.IsNull() && s.Required {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Required attribute is null",
			Detail:   fmt.Sprintf("%s: the attribute %q is required and cannot be null.", what, name),
			Subject:  rng.Ptr(),
		}}
	}
	if err := checkFormatDeep(s, conv); err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for " + name,
			Detail:   fmt.Sprintf("%s: %s.", what, err),
			Subject:  rng.Ptr(),
		}}
	}
	return nil
}

// convertError phrases a conversion error with the wanted type.
func convertError(err error, want cty.Type) string {
	// cty's conversion errors often say what was required already: "a
	// bool is required" (then say it once, the short way) or "bool
	// required, but have tuple" (then it is all there).
	msg := err.Error()
	switch {
	case strings.HasSuffix(msg, " is required"):
		return want.FriendlyNameForConstraint() + " required"
	case strings.Contains(msg, "required, but"):
		return msg
	}
	return fmt.Sprintf("%s required, but %s", want.FriendlyNameForConstraint(), msg)
}

// checkBlockCount checks how many blocks of one type a body holds. Counts
// are only checked when no dynamic block of the type can add to them.
func checkBlockCount(nb *schemas.NestedBlock, name string, blocks []*hcl.Block, dynamic int, decl hcl.Range, what string) hcl.Diagnostics {
	limit := nb.MaxItems
	if nb.Nesting == schemas.NestingSingle {
		limit = 1
	}
	if limit > 0 && len(blocks) > limit {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Too many " + name + " blocks",
			Detail:   fmt.Sprintf("%s: no more than %d %q block(s) are allowed; the first is at %s.", what, limit, name, posString(blocks[0].DefRange)),
			Subject:  blocks[limit].DefRange.Ptr(),
		}}
	}
	if nb.Nesting == schemas.NestingSingle && len(blocks) > 0 && dynamic > 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Too many " + name + " blocks",
			Detail:   fmt.Sprintf("%s: only one %q block is allowed, and a dynamic block adds more.", what, name),
			Subject:  blocks[0].DefRange.Ptr(),
		}}
	}
	if dynamic == 0 && len(blocks) < nb.MinItems {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing " + name + " block",
			Detail:   fmt.Sprintf("%s: at least %d %q block(s) are required.", what, nb.MinItems, name),
			Subject:  decl.Ptr(),
		}}
	}
	return nil
}

// validateDynamic checks a `dynamic "TYPE" { ... }` block and its content.
func (v *validator) validateDynamic(b *hcl.Block, parent *schemas.Block, what string) hcl.Diagnostics {
	typ := b.Labels[0]
	nb := parent.Blocks[typ]
	if nb == nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unsupported block type",
			Detail:   fmt.Sprintf("%s: dynamic %q names no block type of this body.%s", what, typ, didYouMean(typ, parent.BlockNames())),
			Subject:  b.LabelRanges[0].Ptr(),
		}}
	}
	content, diags := b.Body.Content(dynamicSchema)
	iter, d := iteratorName(content.Attributes["iterator"], typ)
	diags = append(diags, d...)
	if a := content.Attributes["for_each"]; a != nil {
		v.collect(a.Expr, "")
	}
	if a := content.Attributes["labels"]; a != nil {
		v.collect(a.Expr, iter)
	}
	diags = append(diags, checkDynamicLabels(content.Attributes["labels"], nb, b, what)...)
	switch {
	case len(content.Blocks) == 0:
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing content block",
			Detail:   fmt.Sprintf("%s: dynamic %q needs a content block with the body of each generated block.", what, typ),
			Subject:  b.DefRange.Ptr(),
		})
	case len(content.Blocks) > 1:
		diags = append(diags, duplicate("content block", "", content.Blocks[1].DefRange, content.Blocks[0].DefRange))
	}
	c := content.Blocks[0]
	inherited := v.its[iter]
	v.its[iter] = true
	diags = append(diags, v.validate(c.Body, &nb.Block, c.DefRange, what+"."+typ, false)...)
	v.its[iter] = inherited
	return diags
}

// iteratorName is a dynamic block's iterator: the iterator attribute, or
// the block type.
func iteratorName(a *hcl.Attribute, typ string) (string, hcl.Diagnostics) {
	if a == nil {
		return typ, nil
	}
	t, d := hcl.AbsTraversalForExpr(a.Expr)
	if d.HasErrors() || len(t) != 1 {
		return typ, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid dynamic iterator name",
			Detail:   "iterator must be a single name without quotes.",
			Subject:  a.Expr.Range().Ptr(),
		}}
	}
	return t.RootName(), nil
}

func checkDynamicLabels(a *hcl.Attribute, nb *schemas.NestedBlock, b *hcl.Block, what string) hcl.Diagnostics {
	typ := b.Labels[0]
	if nb.Nesting == schemas.NestingMap && a == nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing dynamic block labels",
			Detail:   fmt.Sprintf("%s: %q blocks have a label, so dynamic %q needs labels = [KEY].", what, typ, typ),
			Subject:  b.DefRange.Ptr(),
		}}
	}
	if nb.Nesting != schemas.NestingMap && a != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unexpected dynamic block labels",
			Detail:   fmt.Sprintf("%s: %q blocks have no labels; remove labels.", what, typ),
			Subject:  a.NameRange.Ptr(),
		}}
	}
	return nil
}
