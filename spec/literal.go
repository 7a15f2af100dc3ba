package spec

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// literal evaluates an expression that must not refer to anything (a
// literal or a constant expression without function calls) and converts
// it to ty. Null is only accepted for cty.DynamicPseudoType. what names
// the argument in messages.
func literal(expr hcl.Expression, ty cty.Type, what string) (cty.Value, hcl.Diagnostics) {
	if vars := expr.Variables(); len(vars) > 0 {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Literal value required",
			Detail:   fmt.Sprintf("%s must be a literal value; it cannot refer to %s.", what, traversalString(vars[0])),
			Subject:  vars[0].SourceRange().Ptr(),
		}}
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if !val.IsWhollyKnown() {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Literal value required",
			Detail:   what + " must be a literal value.",
			Subject:  expr.Range().Ptr(),
		}}
	}
	conv, err := convert.Convert(val, ty)
	if err != nil || (conv.IsNull() && ty != cty.DynamicPseudoType) {
		msg := "null"
		if err != nil {
			msg = err.Error()
		}
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for " + what,
			Detail:   fmt.Sprintf("%s must be a %s: %s.", what, ty.FriendlyName(), msg),
			Subject:  expr.Range().Ptr(),
		}}
	}
	return conv, nil
}

// literalString is literal for strings.
func literalString(expr hcl.Expression, what string) (string, hcl.Diagnostics) {
	v, diags := literal(expr, cty.String, what)
	if diags.HasErrors() {
		return "", diags
	}
	return v.AsString(), nil
}

// literalBool is literal for bools.
func literalBool(expr hcl.Expression, what string) (bool, hcl.Diagnostics) {
	v, diags := literal(expr, cty.Bool, what)
	if diags.HasErrors() {
		return false, diags
	}
	return v.True(), nil
}

// traversalString renders a traversal as source-like text: var.x, a.b[0].
func traversalString(t hcl.Traversal) string {
	s := ""
	for _, step := range t {
		switch st := step.(type) {
		case hcl.TraverseRoot:
			s += st.Name
		case hcl.TraverseAttr:
			s += "." + st.Name
		case hcl.TraverseIndex:
			s += "[" + indexString(st.Key) + "]"
		case hcl.TraverseSplat:
			s += "[*]"
		}
	}
	return s
}

func indexString(k cty.Value) string {
	if !k.IsKnown() || k.IsNull() {
		return "?"
	}
	switch k.Type() {
	case cty.String:
		return fmt.Sprintf("%q", k.AsString())
	case cty.Number:
		return k.AsBigFloat().Text('f', -1)
	}
	return "?"
}

// sortAttrs orders attributes by source position.
func sortAttrs(attrs []*hcl.Attribute) {
	sort.SliceStable(attrs, func(i, j int) bool {
		a, b := attrs[i].Range, attrs[j].Range
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}
