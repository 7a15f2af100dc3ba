package spec

import (
	"fmt"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// pathError is a problem with one attribute of an evaluated body.
type pathError struct {
	path            cty.Path
	summary, detail string
}

// checkValues checks the known attribute values of an evaluated body:
// required attributes are not null, formats and allowed values hold.
func checkValues(val cty.Value, b *schemas.Block, path cty.Path) []pathError {
	if val.IsNull() || !val.IsKnown() {
		return nil
	}
	var errs []pathError
	for _, name := range b.AttributeNames() {
		a := b.Attributes[name]
		v := val.GetAttr(name)
		p := append(path.Copy(), cty.GetAttrStep{Name: name})
		if a.Required && v.IsNull() && !(len(path) == 0 && name == "name") {
			errs = append(errs, pathError{p, "Required attribute is null", fmt.Sprintf("The attribute %q is required and cannot be null.", name)})
			continue
		}
		if err := checkFormatDeep(a, v); err != nil {
			errs = append(errs, pathError{p, "Invalid value for " + name, err.Error() + "."})
		}
	}
	for _, name := range b.BlockNames() {
		nb := b.Blocks[name]
		v := val.GetAttr(name)
		p := append(path.Copy(), cty.GetAttrStep{Name: name})
		if nb.Nesting == schemas.NestingSingle {
			errs = append(errs, checkValues(v, &nb.Block, p)...)
			continue
		}
		if v.IsNull() || !v.IsKnown() {
			continue
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			errs = append(errs, checkValues(e, &nb.Block, append(p.Copy(), cty.IndexStep{Key: k}))...)
		}
	}
	return errs
}

// RangeOfPath is the source range of the attribute or block at path in
// body, a resource body of the given schema, without expanding dynamic
// blocks (Scope.RangeOfPath does): nested blocks are followed by type and
// index, then the attribute's expression, then the element or map entry
// inside a literal list or object (template.env["A"], command[1]). ok is
// false when no part of path is found in the source.
func RangeOfPath(body hcl.Body, schema *schemas.Block, path cty.Path) (hcl.Range, bool) {
	rng := rangeOfPath(body, schema, path)
	return rng, rng != body.MissingItemRange()
}

// rangeOfPath finds the source range of the attribute or block at path in
// a (dynamic-expanded) body; it is only used to report errors.
func rangeOfPath(body hcl.Body, b *schemas.Block, path cty.Path) hcl.Range {
	rng := body.MissingItemRange()
	for i := 0; i < len(path); i++ {
		step, ok := path[i].(cty.GetAttrStep)
		if !ok {
			return rng
		}
		content, _, _ := body.PartialContent(plainSchema(b))
		if content == nil {
			return rng
		}
		if a := content.Attributes[step.Name]; a != nil {
			if se, ok := a.Expr.(hclsyntax.Expression); ok {
				return exprRange(se, path[i+1:])
			}
			return a.Expr.Range()
		}
		nb := b.Blocks[step.Name]
		if nb == nil {
			return rng
		}
		blk := pickBlock(content.Blocks, step.Name, nb.Nesting, path[i+1:])
		if blk == nil {
			return rng
		}
		if nb.Nesting != schemas.NestingSingle {
			i++
		}
		body, b, rng = blk.Body, &nb.Block, blk.DefRange
	}
	return rng
}

// pickBlock returns the block of type typ that rest[0] selects.
func pickBlock(blocks hcl.Blocks, typ string, nesting schemas.Nesting, rest cty.Path) *hcl.Block {
	var of []*hcl.Block
	for _, blk := range blocks {
		if blk.Type == typ {
			of = append(of, blk)
		}
	}
	if nesting == schemas.NestingSingle {
		if len(of) == 0 {
			return nil
		}
		return of[0]
	}
	if len(rest) == 0 {
		return nil
	}
	idx, ok := rest[0].(cty.IndexStep)
	if !ok || !idx.Key.IsKnown() || idx.Key.IsNull() {
		return nil
	}
	if nesting == schemas.NestingMap {
		for _, blk := range of {
			if len(blk.Labels) > 0 && blk.Labels[0] == idx.Key.AsString() {
				return blk
			}
		}
		return nil
	}
	n, acc := idx.Key.AsBigFloat().Int64()
	if acc != 0 || n < 0 || int(n) >= len(of) {
		return nil
	}
	return of[n]
}

// RangeOfPath is the source range of the attribute or block at path (a
// provider's attribute path, such as port[1].host) in body, a resource
// body of the given schema, with its dynamic blocks expanded in this
// scope. ok is false when no part of path is found in the source.
func (s *Scope) RangeOfPath(body hcl.Body, schema *schemas.Block, path cty.Path) (rng hcl.Range, ok bool) {
	expanded := body
	if refs, diags := ReferencesInBody(body, schema); !diags.HasErrors() {
		if ctx, diags := s.EvalContext(refs); !diags.HasErrors() {
			expanded = dynblock.Expand(body, ctx)
		}
	}
	return RangeOfPath(expanded, schema, path)
}
