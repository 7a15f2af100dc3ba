package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// PathRange finds the source of the value at path in a resource body,
// for a diagnostic that a provider gave about one attribute (such as
// template.env["A"] or mount[1].target): the nested blocks are followed
// by type and index, then the attribute's expression, then the element
// or map entry inside a literal list or object. It returns the closest
// range found, and false when the body is not native syntax or the
// path's first step is not in it.
func PathRange(body hcl.Body, path cty.Path) (hcl.Range, bool) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return hcl.Range{}, false
	}
	var rng hcl.Range
	found := false
	for len(path) > 0 {
		step, ok := path[0].(cty.GetAttrStep)
		if !ok {
			break
		}
		if a, ok := sb.Attributes[step.Name]; ok {
			return exprRange(a.Expr, path[1:]), true
		}
		b, rest := nthBlock(sb, step.Name, path[1:])
		if b == nil {
			break
		}
		rng, found, sb, path = b.DefRange(), true, b.Body, rest
	}
	return rng, found
}

// nthBlock is the literal block of type typ that rest's leading index
// step picks (the first when there is none), and the rest of the path.
func nthBlock(sb *hclsyntax.Body, typ string, rest cty.Path) (*hclsyntax.Block, cty.Path) {
	var blocks []*hclsyntax.Block
	for _, b := range sb.Blocks {
		if b.Type == typ {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		return nil, nil
	}
	i := 0
	if len(rest) > 0 {
		if ix, ok := rest[0].(cty.IndexStep); ok && ix.Key.Type() == cty.Number && ix.Key.IsKnown() {
			n, _ := ix.Key.AsBigFloat().Int64()
			i, rest = int(n), rest[1:]
		}
	}
	if i < 0 || i >= len(blocks) {
		i = 0
	}
	return blocks[i], rest
}

// exprRange narrows an expression's range along path through literal
// lists and objects; anything else is the whole expression.
func exprRange(expr hclsyntax.Expression, path cty.Path) hcl.Range {
	for _, step := range path {
		var key cty.Value
		switch s := step.(type) {
		case cty.IndexStep:
			key = s.Key
		case cty.GetAttrStep:
			key = cty.StringVal(s.Name)
		}
		next := elementExpr(expr, key)
		if next == nil {
			break
		}
		expr = next
	}
	return expr.Range()
}

// elementExpr is the expression of element key in a literal list or
// object, nil when expr is not one or has no such element.
func elementExpr(expr hclsyntax.Expression, key cty.Value) hclsyntax.Expression {
	if key == cty.NilVal || !key.IsKnown() || key.IsNull() {
		return nil
	}
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		if key.Type() != cty.Number {
			return nil
		}
		n, _ := key.AsBigFloat().Int64()
		if n >= 0 && int(n) < len(e.Exprs) {
			return e.Exprs[n]
		}
	case *hclsyntax.ObjectConsExpr:
		if key.Type() != cty.String {
			return nil
		}
		for _, item := range e.Items {
			k, diags := item.KeyExpr.Value(nil)
			if !diags.HasErrors() && k.Type() == cty.String && k.IsKnown() && k.AsString() == key.AsString() {
				return item.ValueExpr
			}
		}
	}
	return nil
}
