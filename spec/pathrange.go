package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

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
