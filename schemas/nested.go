package schemas

import "github.com/zclconf/go-cty/cty"

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

// MapElements rebuilds val, a value of the nested block, calling f for
// every known, non-null block object with its prior counterpart in prior
// (a null object when there is none) and its path below path. Null and
// unknown values, and null or unknown elements, are returned unchanged. A
// list or map is rebuilt as a list or map when f's results share one type,
// and as a tuple or object otherwise.
func (nb *NestedBlock) MapElements(prior, val cty.Value, path cty.Path, f func(prior, val cty.Value, path cty.Path) cty.Value) cty.Value {
	if val.IsNull() || !val.IsKnown() {
		return val
	}
	nullElem := cty.NullVal(nb.Block.ImpliedType())
	one := func(pe, ce cty.Value, p cty.Path) cty.Value {
		if ce.IsNull() || !ce.IsKnown() {
			return ce
		}
		if pe.IsNull() || !pe.IsKnown() {
			pe = nullElem
		}
		return f(pe, ce, p)
	}
	switch nb.Nesting {
	case NestingSingle:
		return one(prior, val, path)
	case NestingList:
		return mapList(prior, val, path, one)
	case NestingMap:
		return mapMap(prior, val, path, one)
	}
	return val
}

func mapList(prior, val cty.Value, path cty.Path, f func(pe, ce cty.Value, p cty.Path) cty.Value) cty.Value {
	if val.LengthInt() == 0 {
		return val
	}
	var priors []cty.Value
	if !prior.IsNull() && prior.IsKnown() {
		priors = prior.AsValueSlice()
	}
	elems := val.AsValueSlice()
	out := make([]cty.Value, len(elems))
	for i, ce := range elems {
		pe := cty.NilVal
		if i < len(priors) {
			pe = priors[i]
		} else {
			pe = cty.NullVal(ce.Type())
		}
		out[i] = f(pe, ce, path.IndexInt(i))
	}
	if !sameTypes(out) {
		return cty.TupleVal(out)
	}
	return cty.ListVal(out)
}

func mapMap(prior, val cty.Value, path cty.Path, f func(pe, ce cty.Value, p cty.Path) cty.Value) cty.Value {
	if val.LengthInt() == 0 {
		return val
	}
	var priors map[string]cty.Value
	if !prior.IsNull() && prior.IsKnown() {
		priors = prior.AsValueMap()
	}
	out := make(map[string]cty.Value, val.LengthInt())
	for k, ce := range val.AsValueMap() {
		pe, ok := priors[k]
		if !ok {
			pe = cty.NullVal(ce.Type())
		}
		out[k] = f(pe, ce, path.IndexString(k))
	}
	vals := make([]cty.Value, 0, len(out))
	for _, v := range out {
		vals = append(vals, v)
	}
	if !sameTypes(vals) {
		return cty.ObjectVal(out)
	}
	return cty.MapVal(out)
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
