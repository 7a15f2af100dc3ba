package providers

import (
	"math/big"
	"sort"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// This file holds the schema-driven planning rules every provider shares.
// All functions are pure: they return new values and never modify their
// arguments. Values may carry marks (sensitive); the results keep the
// marks of the values they were built from.

// ProposedNew merges prior state and configuration the way Terraform
// does: an attribute the configuration sets takes the configured value;
// a Computed attribute (Optional+Computed included) the configuration
// leaves null keeps its prior value, or becomes unknown when there is no
// prior object (create); anything else takes the configuration (null).
// Nested blocks are merged element by element (list blocks by index, map
// blocks by key). A null config proposes null (delete).
func ProposedNew(schema *schemas.Block, prior, config cty.Value) cty.Value {
	if config.IsNull() || !config.IsKnown() {
		return config
	}
	config, cmarks := UnmarkDeepWithPaths(config)
	prior, pmarks := UnmarkDeepWithPaths(prior)
	if !prior.IsKnown() || prior.IsNull() {
		prior = cty.NullVal(schema.ImpliedType())
	}
	var fromPrior []cty.Path
	out := proposedBlock(schema, prior, config, nil, &fromPrior)
	return out.MarkWithPaths(marksUnder(pmarks, fromPrior)).MarkWithPaths(cmarks)
}

func proposedBlock(b *schemas.Block, prior, config cty.Value, path cty.Path, fromPrior *[]cty.Path) cty.Value {
	vals := make(map[string]cty.Value, len(b.Attributes)+len(b.Blocks))
	for name, a := range b.Attributes {
		cv := attrOf(config, name, a.Type)
		switch {
		case !a.Computed || !cv.IsNull():
			vals[name] = cv
		case prior.IsNull():
			vals[name] = cty.UnknownVal(a.Type)
		default:
			vals[name] = attrOf(prior, name, a.Type)
			*fromPrior = append(*fromPrior, path.GetAttr(name))
		}
	}
	for name, nb := range b.Blocks {
		ty := nb.ValueType()
		cv, pv := attrOf(config, name, ty), attrOf(prior, name, ty)
		p := path.GetAttr(name)
		vals[name] = nb.MapElements(pv, cv, p, func(pe, ce cty.Value, ep cty.Path) cty.Value {
			return proposedBlock(&nb.Block, pe, ce, ep, fromPrior)
		})
	}
	return cty.ObjectVal(vals)
}

// SetUnknownComputed marks as unknown the computed-only attributes whose
// value only apply can know: on create (prior null) every computed-only
// attribute planned leaves null, and likewise inside nested block
// elements that have no prior counterpart. On update the computed-only
// attributes keep what planned carries (ProposedNew puts the prior value
// there); a provider that knows an update changes one marks it itself.
func SetUnknownComputed(schema *schemas.Block, planned, prior cty.Value) cty.Value {
	if planned.IsNull() || !planned.IsKnown() {
		return planned
	}
	planned, marks := UnmarkDeepWithPaths(planned)
	prior = UnmarkDeep(prior)
	if !prior.IsKnown() || prior.IsNull() {
		prior = cty.NullVal(schema.ImpliedType())
	}
	return unknownBlock(schema, planned, prior).MarkWithPaths(marks)
}

func unknownBlock(b *schemas.Block, planned, prior cty.Value) cty.Value {
	vals := planned.AsValueMap()
	for name, a := range b.Attributes {
		if a.Computed && !a.Optional && prior.IsNull() && attrOf(planned, name, a.Type).IsNull() {
			vals[name] = cty.UnknownVal(a.Type)
		}
	}
	for name, nb := range b.Blocks {
		ty := nb.ValueType()
		vals[name] = nb.MapElements(attrOf(prior, name, ty), attrOf(planned, name, ty), nil,
			func(pe, ce cty.Value, _ cty.Path) cty.Value { return unknownBlock(&nb.Block, ce, pe) })
	}
	return cty.ObjectVal(vals)
}

// ApplyDefaults fills in schema defaults as schemas.Block.WithDefaults
// does (every Optional, non-Computed attribute with a Default that config
// leaves null takes the default, in nested blocks too; applying defaults
// twice changes nothing), keeping config's marks where they were.
func ApplyDefaults(schema *schemas.Block, config cty.Value) cty.Value {
	if config.IsNull() || !config.IsKnown() {
		return config
	}
	config, marks := UnmarkDeepWithPaths(config)
	return schema.WithDefaults(config).MarkWithPaths(marks)
}

// RequiresReplace lists the paths whose change forces replacing the
// resource: ForceNew attributes whose planned value differs from prior
// (map attributes by key: env["A"]), and for ForceNew nested blocks any
// attribute inside them, or the block or element itself when it appears
// or disappears. An unknown planned value counts as a change when the
// prior value is known. Create (prior null) and delete (planned null)
// replace nothing. The result is sorted.
func RequiresReplace(schema *schemas.Block, prior, planned cty.Value) []cty.Path {
	prior = UnmarkDeep(prior)
	planned = UnmarkDeep(planned)
	if prior.IsNull() || !prior.IsKnown() || planned.IsNull() {
		return nil
	}
	var out []cty.Path
	replaceBlock(schema, prior, planned, nil, false, &out)
	sortPaths(out)
	return out
}

func replaceBlock(b *schemas.Block, prior, planned cty.Value, path cty.Path, force bool, out *[]cty.Path) {
	if !planned.IsKnown() {
		if force || hasForceNew(b) {
			*out = append(*out, path)
		}
		return
	}
	for name, a := range b.Attributes {
		if a.ForceNew || force {
			replaceAttr(attrOf(prior, name, a.Type), attrOf(planned, name, a.Type), path.GetAttr(name), out)
		}
	}
	for name, nb := range b.Blocks {
		ty := nb.ValueType()
		replaceNested(nb, attrOf(prior, name, ty), attrOf(planned, name, ty), path.GetAttr(name), force || nb.ForceNew, out)
	}
}

func replaceNested(nb *schemas.NestedBlock, prior, planned cty.Value, path cty.Path, force bool, out *[]cty.Path) {
	if !planned.IsKnown() {
		if force || hasForceNew(&nb.Block) {
			*out = append(*out, path)
		}
		return
	}
	nullElem := cty.NullVal(nb.Block.ImpliedType())
	for _, e := range pairElements(nb.Nesting, prior, planned, path) {
		switch {
		case e.prior.IsNull() && e.planned.IsNull():
		case (e.prior.IsNull() || e.planned.IsNull()) && force:
			*out = append(*out, e.path)
		default:
			if e.prior.IsNull() {
				e.prior = nullElem
			}
			if e.planned.IsNull() {
				e.planned = nullElem
			}
			replaceBlock(&nb.Block, e.prior, e.planned, e.path, force, out)
		}
	}
}

func replaceAttr(prior, planned cty.Value, path cty.Path, out *[]cty.Path) {
	if !planned.IsKnown() || !prior.IsKnown() {
		if prior.IsKnown() {
			*out = append(*out, path)
		}
		return
	}
	ty := planned.Type()
	if ty.IsMapType() && !prior.IsNull() && !planned.IsNull() && prior.Type().Equals(ty) {
		pm, nm := prior.AsValueMap(), planned.AsValueMap()
		for _, k := range unionKeys(pm, nm) {
			pv, pok := pm[k]
			nv, nok := nm[k]
			if !pok || !nok || differ(pv, nv) {
				*out = append(*out, path.IndexString(k))
			}
		}
		return
	}
	if differ(prior, planned) {
		*out = append(*out, path)
	}
}

// DiffPaths lists the attribute paths at which planned differs from
// prior, sorted. It walks into objects (resources, single blocks) and
// into lists and maps of objects (list and map blocks) element by
// element; an element present on one side only is reported as a whole,
// and anything else is compared as one value. A null object compares as
// an object of nulls, so a create lists every non-null attribute.
// Unknown differs from known; two unknowns compare equal.
func DiffPaths(prior, planned cty.Value) []cty.Path {
	prior = UnmarkDeep(prior)
	planned = UnmarkDeep(planned)
	var out []cty.Path
	diffValues(prior, planned, nil, &out)
	sortPaths(out)
	return out
}

func diffValues(a, b cty.Value, path cty.Path, out *[]cty.Path) {
	switch {
	case a.IsNull() && b.IsNull():
		return
	case !a.IsKnown() || !b.IsKnown():
		if a.IsKnown() || b.IsKnown() {
			*out = append(*out, path)
		}
		return
	case isObjectOrNull(a, b):
		am, bm := objectMap(a), objectMap(b)
		for _, k := range unionKeys(am, bm) {
			diffValues(orNull(am, k), orNull(bm, k), path.GetAttr(k), out)
		}
		return
	case isObjectCollection(a.Type()) && isObjectCollection(b.Type()):
		for _, e := range pairElements(collectionNesting(a.Type()), a, b, path) {
			if e.prior.IsNull() != e.planned.IsNull() {
				*out = append(*out, e.path)
			} else {
				diffValues(e.prior, e.planned, e.path, out)
			}
		}
		return
	}
	if differ(a, b) {
		*out = append(*out, path)
	}
}

// elemPair is one element of a nested block on both sides of a change;
// a side without the element holds a null.
type elemPair struct {
	prior, planned cty.Value
	path           cty.Path
}

// pairElements matches the elements of two nested block values (single:
// the objects themselves; list: by index; map: by key, sorted). Null or
// unknown collections count as empty.
func pairElements(n schemas.Nesting, prior, planned cty.Value, path cty.Path) []elemPair {
	switch n {
	case schemas.NestingSingle:
		return []elemPair{{prior, planned, path}}
	case schemas.NestingList:
		ps, ns := listElems(prior), listElems(planned)
		out := make([]elemPair, max(len(ps), len(ns)))
		for i := range out {
			out[i] = elemPair{indexOr(ps, i), indexOr(ns, i), path.IndexInt(i)}
		}
		return out
	case schemas.NestingMap:
		pm, nm := mapElems(prior), mapElems(planned)
		keys := unionKeys(pm, nm)
		out := make([]elemPair, len(keys))
		for i, k := range keys {
			out[i] = elemPair{orNull(pm, k), orNull(nm, k), path.IndexString(k)}
		}
		return out
	}
	return nil
}

func listElems(v cty.Value) []cty.Value {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	return v.AsValueSlice()
}

func mapElems(v cty.Value) map[string]cty.Value {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	return v.AsValueMap()
}

func indexOr(vs []cty.Value, i int) cty.Value {
	if i < len(vs) {
		return vs[i]
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

func orNull(m map[string]cty.Value, k string) cty.Value {
	if v, ok := m[k]; ok {
		return v
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

func unionKeys(a, b map[string]cty.Value) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// differ compares two values: known values by Equals, values with
// unknowns inside by identity (the same unknowns at the same places).
func differ(a, b cty.Value) bool {
	if a.IsWhollyKnown() && b.IsWhollyKnown() {
		return !a.Equals(b).True()
	}
	return !a.RawEquals(b)
}

func isObjectOrNull(a, b cty.Value) bool {
	ao, bo := a.Type().IsObjectType(), b.Type().IsObjectType()
	return (ao || bo) && (ao || a.IsNull()) && (bo || b.IsNull())
}

func objectMap(v cty.Value) map[string]cty.Value {
	if v.IsNull() {
		return nil
	}
	return v.AsValueMap()
}

func isObjectCollection(ty cty.Type) bool {
	return (ty.IsListType() || ty.IsMapType()) && ty.ElementType().IsObjectType()
}

func collectionNesting(ty cty.Type) schemas.Nesting {
	if ty.IsMapType() {
		return schemas.NestingMap
	}
	return schemas.NestingList
}

// hasForceNew reports whether anything inside b forces replacement.
func hasForceNew(b *schemas.Block) bool {
	for _, a := range b.Attributes {
		if a.ForceNew {
			return true
		}
	}
	for _, nb := range b.Blocks {
		if nb.ForceNew || hasForceNew(&nb.Block) {
			return true
		}
	}
	return false
}

// attrOf is obj's attribute name, or a null of type ty when obj is null,
// unknown or has no such attribute.
func attrOf(obj cty.Value, name string, ty cty.Type) cty.Value {
	if obj.IsNull() || !obj.IsKnown() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return cty.NullVal(ty)
	}
	return obj.GetAttr(name)
}

// marksUnder keeps the path marks that lie at or below one of the roots.
func marksUnder(pvm []cty.PathValueMarks, roots []cty.Path) []cty.PathValueMarks {
	var out []cty.PathValueMarks
	for _, m := range pvm {
		for _, r := range roots {
			if m.Path.HasPrefix(r) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// sortPaths orders paths step by step: attribute names and string keys
// alphabetically, list indexes numerically, a prefix before its
// extensions.
func sortPaths(ps []cty.Path) {
	sort.SliceStable(ps, func(i, j int) bool { return comparePaths(ps[i], ps[j]) < 0 })
}

func comparePaths(a, b cty.Path) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareSteps(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func compareSteps(a, b cty.PathStep) int {
	ka, kb := stepKey(a), stepKey(b)
	if ka.kind != kb.kind {
		return ka.kind - kb.kind
	}
	if ka.kind == 1 {
		return ka.num.Cmp(kb.num)
	}
	switch {
	case ka.str < kb.str:
		return -1
	case ka.str > kb.str:
		return 1
	}
	return 0
}

type stepSortKey struct {
	kind int // 0 attribute, 1 number index, 2 string index, 3 other
	str  string
	num  *big.Float
}

func stepKey(s cty.PathStep) stepSortKey {
	switch s := s.(type) {
	case cty.GetAttrStep:
		return stepSortKey{kind: 0, str: s.Name}
	case cty.IndexStep:
		if s.Key.IsKnown() && !s.Key.IsNull() {
			switch s.Key.Type() {
			case cty.Number:
				return stepSortKey{kind: 1, num: s.Key.AsBigFloat()}
			case cty.String:
				return stepSortKey{kind: 2, str: s.Key.AsString()}
			}
		}
	}
	return stepSortKey{kind: 3}
}
