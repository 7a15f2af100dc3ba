package views

import (
	"encoding/json"
	"io"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// jsonValue converts a cty value into a Go value that encoding/json
// writes as the value's JSON: unknown values become null.
func jsonValue(v cty.Value) any {
	v = normal(v)
	switch {
	case !v.IsKnown() || v.IsNull():
		return nil
	case isSequence(v.Type()):
		out := []any{}
		for _, e := range elements(v) {
			out = append(out, jsonValue(e))
		}
		return out
	case isKeyed(v.Type()):
		out := map[string]any{}
		for _, k := range keys(v) {
			out[k] = jsonValue(member(v, k))
		}
		return out
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return json.Number(v.AsBigFloat().Text('f', -1))
	case cty.Bool:
		return v.True()
	}
	return nil
}

// mask mirrors v's structure with true wherever leaf says so: the
// after_unknown and *_sensitive members of the plan JSON. Known members
// of objects and maps are left out, elements of lists are false.
func mask(v cty.Value, path cty.Path, leaf func(cty.Value, cty.Path) bool) any {
	if leaf(v, path) {
		return true
	}
	v = normal(v)
	switch {
	case !v.IsKnown() || v.IsNull():
		return false
	case isSequence(v.Type()):
		out := []any{}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			k, e := it.Element()
			out = append(out, mask(e, child(path, cty.IndexStep{Key: k}), leaf))
		}
		return out
	case isKeyed(v.Type()):
		out := map[string]any{}
		isMap := v.Type().IsMapType()
		for _, k := range keys(v) {
			if m := mask(member(v, k), child(path, keyStep(k, isMap)), leaf); m != false {
				out[k] = m
			}
		}
		return out
	}
	return false
}

func unknownLeaf(v cty.Value, _ cty.Path) bool { return !normal(v).IsKnown() }

// sensitiveLeaf returns a leaf test that is true for non-null values at
// paths the schema marks sensitive or that lie under one of paths.
func sensitiveLeaf(block *schemas.Block, paths []cty.Path) func(cty.Value, cty.Path) bool {
	return func(v cty.Value, path cty.Path) bool {
		if isNull(v) || len(path) == 0 {
			return false
		}
		for _, p := range paths {
			if path.HasPrefix(p) {
				return true
			}
		}
		if block == nil {
			return false
		}
		// mask tests outer paths first, so this is true at the sensitive
		// attribute itself and never reached inside its value.
		a, ok := block.AttributeByPath(path)
		return ok && a.Sensitive
	}
}

// jsonPath renders a path as the plan JSON's list of steps; it stops at
// a step it cannot spell (an index into a set).
func jsonPath(p cty.Path) []any {
	out := []any{}
	for _, step := range p {
		switch s := step.(type) {
		case cty.GetAttrStep:
			out = append(out, s.Name)
		case cty.IndexStep:
			switch s.Key.Type() {
			case cty.String:
				out = append(out, s.Key.AsString())
			case cty.Number:
				i, _ := s.Key.AsBigFloat().Int64()
				out = append(out, i)
			default:
				return out
			}
		}
	}
	return out
}

// writeJSON writes doc as one line of JSON.
func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
