package schemas

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// ValueType is the type of the nested block's value in its parent: the
// block's object type, or a list or map of it.
func (nb *NestedBlock) ValueType() cty.Type {
	et := nb.Block.ImpliedType()
	switch nb.Nesting {
	case NestingList:
		return cty.List(et)
	case NestingMap:
		return cty.Map(et)
	}
	return et
}

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
			nv = nb.withDefaults(v.GetAttr(name))
		}
		vals[name] = nv
	}
	return cty.ObjectVal(vals)
}

// withDefaults is WithDefaults for the value of a nested block.
func (nb *NestedBlock) withDefaults(v cty.Value) cty.Value {
	if v.IsNull() || !v.IsKnown() {
		return v
	}
	if nb.Nesting == NestingSingle {
		return nb.Block.WithDefaults(v)
	}
	if v.LengthInt() == 0 || !v.CanIterateElements() {
		return v
	}
	var keys []string
	elems := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if nb.Nesting == NestingMap {
			keys = append(keys, k.AsString())
		}
		elems = append(elems, nb.Block.WithDefaults(e))
	}
	if nb.Nesting == NestingList {
		if sameTypes(elems) {
			return cty.ListVal(elems)
		}
		return cty.TupleVal(elems)
	}
	m := make(map[string]cty.Value, len(elems))
	for i, k := range keys {
		m[k] = elems[i]
	}
	if sameTypes(elems) {
		return cty.MapVal(m)
	}
	return cty.ObjectVal(m)
}

// sameTypes reports whether the values all have one type.
func sameTypes(vs []cty.Value) bool {
	for _, v := range vs[1:] {
		if !v.Type().Equals(vs[0].Type()) {
			return false
		}
	}
	return true
}
