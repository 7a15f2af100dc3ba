package views

import (
	"sort"
	"strconv"
	"strings"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/zclconf/go-cty/cty"
)

func spaces(n int) string { return strings.Repeat(" ", n) }

// normal replaces cty.NilVal by a null value and drops the value's own
// marks (renderers call it at every level, so a shallow unmark suffices;
// plan values carry no marks anyway), so that renderers can inspect any
// value safely.
func normal(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	return v
}

// isNull reports whether v is known and null (cty.NilVal counts).
func isNull(v cty.Value) bool {
	v = normal(v)
	return v.IsKnown() && v.IsNull()
}

// primitive renders a known, non-null primitive value as HCL.
func primitive(v cty.Value) string {
	switch v.Type() {
	case cty.String:
		return quote(v.AsString())
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	return v.GoString()
}

// quote renders s as an HCL quoted string.
func quote(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// keyString renders a map key (always quoted) or an object attribute
// name (bare when it can be).
func keyString(k string, isMap bool) string {
	if isMap || !addrs.ValidName(k) {
		return quote(k)
	}
	return k
}

// isCollection reports whether ty renders over several lines.
func isCollection(ty cty.Type) bool {
	return ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType()
}

func isSequence(ty cty.Type) bool {
	return ty.IsListType() || ty.IsSetType() || ty.IsTupleType()
}

func isKeyed(ty cty.Type) bool { return ty.IsMapType() || ty.IsObjectType() }

// elements returns the elements of a known sequence; null gives none.
func elements(v cty.Value) []cty.Value {
	v = normal(v)
	if !v.IsKnown() || v.IsNull() || !isSequence(v.Type()) {
		return nil
	}
	out := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, e)
	}
	return out
}

// keys returns the sorted keys of a known map or object; null gives none.
func keys(v cty.Value) []string {
	v = normal(v)
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	var out []string
	switch {
	case v.Type().IsObjectType():
		for k := range v.Type().AttributeTypes() {
			out = append(out, k)
		}
	case v.Type().IsMapType():
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			out = append(out, k.AsString())
		}
	}
	sort.Strings(out)
	return out
}

// member returns v's attribute or map element k, or null when v is null
// or lacks it, or unknown when v is unknown.
func member(v cty.Value, k string) cty.Value {
	v = normal(v)
	switch {
	case !v.IsKnown():
		return cty.DynamicVal
	case v.IsNull():
		return cty.NullVal(cty.DynamicPseudoType)
	case v.Type().IsObjectType():
		if v.Type().HasAttribute(k) {
			return v.GetAttr(k)
		}
	case v.Type().IsMapType():
		if key := cty.StringVal(k); v.HasIndex(key).True() {
			return v.Index(key)
		}
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// equal reports whether two values are known and the same.
func equal(a, b cty.Value) bool {
	a, b = normal(a), normal(b)
	if !a.IsWhollyKnown() || !b.IsWhollyKnown() {
		return false
	}
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull()
	}
	eq := a.Equals(b)
	return eq.IsKnown() && eq.True()
}

// FormatValue renders v as HCL at indentation ind: the column its first
// line starts at, which nested lines are indented from.
func FormatValue(v cty.Value, ind int) string { return format(v, ind, nil, nil) }

// format is FormatValue that prints "(sensitive value)" for the non-null
// values below the root at the paths sensitive reports (nil: none).
func format(v cty.Value, ind int, path cty.Path, sensitive func(cty.Path) bool) string {
	var st valueStyle
	if sensitive != nil {
		st.hide = func(p cty.Path, v cty.Value) bool { return len(p) > 0 && sensitive(p) && !v.IsNull() }
	}
	return st.render(v, ind, path)
}

// valueStyle says how render writes a value as HCL: the marker every
// nested line carries after its indentation (a plan's action symbol and a
// space, or nothing), how many columns past ind a closing bracket goes
// (the marker's width, so that it lines up with the text it closes), and
// which values are hidden as "(sensitive value)" (hide nil: none).
type valueStyle struct {
	marker string
	close  int
	hide   func(path cty.Path, v cty.Value) bool
}

// render writes v at indentation ind: nested lines start at ind+4, then
// the marker.
func (st valueStyle) render(v cty.Value, ind int, path cty.Path) string {
	v = normal(v)
	switch {
	case st.hide != nil && st.hide(path, v):
		return "(sensitive value)"
	case !v.IsKnown():
		return "(known after apply)"
	case v.IsNull():
		return "null"
	case isSequence(v.Type()):
		if v.LengthInt() == 0 {
			return "[]"
		}
		var b strings.Builder
		b.WriteString("[\n")
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			b.WriteString(spaces(ind+4) + st.marker + st.render(e, ind+4, child(path, cty.IndexStep{Key: k})) + ",\n")
		}
		return b.String() + spaces(ind+st.close) + "]"
	case isKeyed(v.Type()):
		return st.keyed(v, ind, path)
	}
	return primitive(v)
}

// keyed is render for a known, non-null map or object: one "name = value"
// line a key, in key order, the "=" signs aligned.
func (st valueStyle) keyed(v cty.Value, ind int, path cty.Path) string {
	ks := keys(v)
	if len(ks) == 0 {
		return "{}"
	}
	isMap := v.Type().IsMapType()
	pad := 0
	for _, k := range ks {
		pad = max(pad, len(keyString(k, isMap)))
	}
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range ks {
		name := keyString(k, isMap)
		rhs := st.render(member(v, k), ind+4, child(path, keyStep(k, isMap)))
		b.WriteString(spaces(ind+4) + st.marker + name + spaces(pad-len(name)) + " = " + rhs + "\n")
	}
	return b.String() + spaces(ind+st.close) + "}"
}
