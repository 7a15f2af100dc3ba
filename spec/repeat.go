package spec

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// MaxCount is the largest count berth accepts, to catch typos such as
// count = 1e9 before the planner tries to expand them.
const MaxCount = 100000

// EvalCount evaluates a count expression: a known, whole, non-negative
// number not above MaxCount.
func (s *Scope) EvalCount(expr hcl.Expression) (int, hcl.Diagnostics) {
	val, diags := s.EvalExpr(expr, cty.Number)
	if diags.HasErrors() {
		return 0, diags
	}
	bad := func(summary, detail string) (int, hcl.Diagnostics) {
		return 0, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: expr.Range().Ptr()})
	}
	if val.HasMark(SensitiveMark) {
		return bad("Invalid count argument", "count cannot use sensitive values: the number of instances shows in every plan.")
	}
	val, _ = val.Unmark()
	if !val.IsKnown() {
		return bad("Invalid count argument", fmt.Sprintf("count must be known at plan time; it depends on %s, which is known only after apply. Use a variable or a literal instead.", dependsOn(expr)))
	}
	if val.IsNull() {
		return bad("Invalid count argument", "count must be a whole number, not null.")
	}
	bf := val.AsBigFloat()
	if !bf.IsInt() {
		return bad("Invalid count argument", fmt.Sprintf("count must be a whole number, not %s.", bf.Text('f', -1)))
	}
	if bf.Sign() < 0 {
		return bad("Invalid count argument", fmt.Sprintf("count must not be negative, but it is %s.", bf.Text('f', -1)))
	}
	n, _ := bf.Int64()
	if !bf.IsInt() || bf.Cmp(bigInt(MaxCount)) > 0 {
		return bad("Invalid count argument", fmt.Sprintf("count is %s; berth accepts at most %d instances of one resource.", bf.Text('f', -1), MaxCount))
	}
	return int(n), diags
}

// EvalForEach evaluates a for_each expression: a map (or object) whose
// keys name the instances and whose values are each.value, or a set of
// strings whose elements are both key and value.
func (s *Scope) EvalForEach(expr hcl.Expression) (map[string]cty.Value, hcl.Diagnostics) {
	val, diags := s.EvalExpr(expr, cty.DynamicPseudoType)
	if diags.HasErrors() {
		return nil, diags
	}
	bad := func(detail string) (map[string]cty.Value, hcl.Diagnostics) {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid for_each argument", Detail: detail, Subject: expr.Range().Ptr()})
	}
	if val.IsMarked() {
		return bad("for_each cannot use sensitive values: instance keys show in every plan.")
	}
	ty := val.Type()
	if !val.IsKnown() || (ty.IsSetType() && !val.IsWhollyKnown()) {
		return bad(fmt.Sprintf("for_each must be known at plan time; it depends on %s, which is known only after apply.", dependsOn(expr)))
	}
	if val.IsNull() {
		return bad("for_each must be a map or a set of strings, not null.")
	}
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]cty.Value, val.LengthInt())
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			out[k.AsString()] = v
		}
		return out, diags
	case ty.IsSetType():
		return forEachSet(val, bad, diags)
	}
	return bad(fmt.Sprintf("for_each must be a map or a set of strings, and this is a %s. Convert a list of strings with toset(...).", ty.FriendlyName()))
}

func forEachSet(val cty.Value, bad func(string) (map[string]cty.Value, hcl.Diagnostics), diags hcl.Diagnostics) (map[string]cty.Value, hcl.Diagnostics) {
	if val.LengthInt() == 0 {
		return map[string]cty.Value{}, diags
	}
	if et := val.Type().ElementType(); et != cty.String {
		return bad(fmt.Sprintf("for_each sets must contain strings, and this one holds %s elements; convert them with toset([for x in ...: tostring(x)]) or use a map.", et.FriendlyName()))
	}
	out := make(map[string]cty.Value, val.LengthInt())
	for it := val.ElementIterator(); it.Next(); {
		_, v := it.Element()
		if v.IsMarked() {
			return bad("for_each cannot use sensitive values: instance keys show in every plan.")
		}
		if v.IsNull() {
			return bad("for_each sets must not contain null.")
		}
		out[v.AsString()] = v
	}
	return out, diags
}

func bigInt(n int64) *big.Float { return new(big.Float).SetInt64(n) }
