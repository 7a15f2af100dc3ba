package schemas

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// WithDefaults returns v with the block's defaults filled in, in nested
// blocks too: every Optional, non-Computed attribute with a Default that
// v leaves null takes the default. Attributes of the block that v lacks
// are added, as nulls unless they have a default, and absent nested
// blocks as nulls of their ValueType. Attributes set in v, unknown values
// and null blocks are left alone, so filling defaults twice changes
// nothing; a null, unknown or non-object v is returned as it is. v must
// carry no marks.
//
// Nested lists and maps are rebuilt as lists and maps when their elements
// keep one type, and as tuples and objects otherwise (v need not conform
// to ImpliedType yet: spec fills defaults in decoded values before it
// converts them).
func (b *Block) WithDefaults(v cty.Value) cty.Value {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	ty := v.Type()
	vals := v.AsValueMap()
	if vals == nil {
		vals = make(map[string]cty.Value, len(b.Attributes)+len(b.Blocks))
	}
	for name, a := range b.Attributes {
		av := cty.NullVal(a.Type)
		if ty.HasAttribute(name) {
			av = v.GetAttr(name)
		}
		if av.IsNull() && a.Optional && !a.Computed && a.Default != cty.NilVal {
			if d, err := convert.Convert(a.Default, a.Type); err == nil {
				av = d
			}
		}
		vals[name] = av
	}
	for name, nb := range b.Blocks {
		nv := cty.NullVal(nb.ValueType())
		if ty.HasAttribute(name) {
			nv = v.GetAttr(name)
		}
		vals[name] = nb.MapElements(cty.NullVal(nv.Type()), nv, nil,
			func(_, e cty.Value, _ cty.Path) cty.Value { return nb.Block.WithDefaults(e) })
	}
	return cty.ObjectVal(vals)
}
