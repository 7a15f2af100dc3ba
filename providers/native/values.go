package native

import (
	"math/big"

	"github.com/zclconf/go-cty/cty"
)

// attr is obj's attribute name, or null when obj is null, unknown, not an
// object or without it. Configurations may hold unknowns anywhere; every
// check reads values through these helpers and skips what is not known.
func attr(obj cty.Value, name string) cty.Value {
	if obj == cty.NilVal || obj.IsNull() || !obj.IsKnown() {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	ty := obj.Type()
	switch {
	case ty.IsObjectType() && ty.HasAttribute(name):
		return obj.GetAttr(name)
	case ty.IsMapType() && obj.HasIndex(cty.StringVal(name)).True():
		return obj.Index(cty.StringVal(name))
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// knownString is v as a Go string when it is a known, non-null string.
func knownString(v cty.Value) (string, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

// knownNumber is v as a big.Float when it is a known, non-null number.
func knownNumber(v cty.Value) (*big.Float, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.Number) {
		return nil, false
	}
	return v.AsBigFloat(), true
}

// knownBool is v as a Go bool when it is a known, non-null bool.
func knownBool(v cty.Value) (bool, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.Bool) {
		return false, false
	}
	return v.True(), true
}

// elements are the elements of a known, non-null list, each with its
// index; nil otherwise.
func elements(v cty.Value) []cty.Value {
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsListType() || v.Type().IsTupleType()) {
		return nil
	}
	return v.AsValueSlice()
}

// wholeInRange reports whether f is a whole number in [lo, hi].
func wholeInRange(f *big.Float, lo, hi int64) bool {
	if !f.IsInt() {
		return false
	}
	return f.Cmp(big.NewFloat(float64(lo))) >= 0 && f.Cmp(big.NewFloat(float64(hi))) <= 0
}

// isNullish reports whether v is known to be null.
func isNullish(v cty.Value) bool { return v.IsKnown() && v.IsNull() }

// withAttrs returns obj with some attributes replaced.
func withAttrs(obj cty.Value, set map[string]cty.Value) cty.Value {
	vals := obj.AsValueMap()
	for k, v := range set {
		vals[k] = v
	}
	return cty.ObjectVal(vals)
}
