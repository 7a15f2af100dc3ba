package providers

import "github.com/zclconf/go-cty/cty"

// UnmarkDeepWithPaths is cty's Value.UnmarkDeepWithPaths without the cost
// of rebuilding a value that carries no marks, the common case on the hot
// path of planning.
func UnmarkDeepWithPaths(v cty.Value) (cty.Value, []cty.PathValueMarks) {
	if v == cty.NilVal || !HasMarks(v) {
		return v, nil
	}
	return v.UnmarkDeepWithPaths()
}

// UnmarkDeep is UnmarkDeepWithPaths without the paths.
func UnmarkDeep(v cty.Value) cty.Value {
	uv, _ := UnmarkDeepWithPaths(v)
	return uv
}

// HasMarks reports whether v or any value inside it is marked. It is
// cty's ContainsMarked without the allocations of a general walk: object
// attributes are read in place, which is what planning mostly meets.
func HasMarks(v cty.Value) bool {
	if v.IsMarked() {
		return true
	}
	if !v.IsKnown() || v.IsNull() {
		return false
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType():
		for name := range ty.AttributeTypes() {
			if HasMarks(v.GetAttr(name)) {
				return true
			}
		}
	case ty.IsListType(), ty.IsSetType(), ty.IsMapType(), ty.IsTupleType():
		if v.LengthInt() == 0 {
			return false
		}
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); HasMarks(e) {
				return true
			}
		}
	}
	return false
}
