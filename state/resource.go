package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Value decodes the attributes as a value of type ty. A resource without
// recorded attributes yields a null value of ty.
func (r *Resource) Value(ty cty.Type) (cty.Value, error) {
	if len(r.Attributes) == 0 {
		return cty.NullVal(ty), nil
	}
	v, err := ctyjson.Unmarshal(r.Attributes, ty)
	if err != nil {
		return cty.NilVal, fmt.Errorf("decode attributes of %s: %w", r.Addr, err)
	}
	return v, nil
}

// SetValue encodes v as the attributes, as a value of ty: the resource
// schema's implied type, so that attributes of dynamic type are recorded
// with their own type and Value(ty) reads back exactly v. v must be a
// wholly known, non-null object (or map) without marks: sensitive parts
// are unmarked by the caller and recorded in SensitivePaths.
func (r *Resource) SetValue(v cty.Value, ty cty.Type) error {
	if err := checkStorable(v); err != nil {
		return fmt.Errorf("record attributes of %s: %w", r.Addr, err)
	}
	if ty == cty.NilType {
		ty = v.Type()
	}
	if !ty.IsObjectType() && !ty.IsMapType() {
		return fmt.Errorf("record attributes of %s: want an object, not %s", r.Addr, ty.FriendlyName())
	}
	b, err := ctyjson.Marshal(v, ty)
	if err != nil {
		return fmt.Errorf("record attributes of %s: %w", r.Addr, err)
	}
	r.Attributes = b
	return nil
}

// checkStorable refuses values that JSON cannot carry faithfully.
func checkStorable(v cty.Value) error {
	switch {
	case v.IsNull():
		return fmt.Errorf("value is null")
	case v.ContainsMarked():
		return fmt.Errorf("value carries marks (sensitive values?): unmark it and record the paths instead")
	case !v.IsWhollyKnown():
		return fmt.Errorf("value is not wholly known")
	}
	return nil
}

// DeepCopy returns an independent copy; nil yields nil.
func (r *Resource) DeepCopy() *Resource {
	if r == nil {
		return nil
	}
	c := *r
	c.Addr.Module = slices.Clone(r.Addr.Module)
	c.Attributes = cloneRaw(r.Attributes)
	c.SensitivePaths = slices.Clone(r.SensitivePaths)
	c.Private = bytes.Clone(r.Private)
	c.Dependencies = slices.Clone(r.Dependencies)
	return &c
}

// OutputOf records the wholly known value v as an output.
func OutputOf(v cty.Value, sensitive bool) (*Output, error) {
	if v.ContainsMarked() || !v.IsWhollyKnown() {
		return nil, checkStorable(v)
	}
	ty := v.Type()
	val, err := ctyjson.Marshal(v, ty)
	if err != nil {
		return nil, err
	}
	tyJSON, err := ctyjson.MarshalType(ty)
	if err != nil {
		return nil, err
	}
	return &Output{Value: val, Type: tyJSON, Sensitive: sensitive}, nil
}

// Decode returns the output's value as cty.
func (o *Output) Decode() (cty.Value, error) {
	ty, err := ctyjson.UnmarshalType(o.Type)
	if err != nil {
		return cty.NilVal, fmt.Errorf("output type: %w", err)
	}
	if len(o.Value) == 0 {
		return cty.NullVal(ty), nil
	}
	v, err := ctyjson.Unmarshal(o.Value, ty)
	if err != nil {
		return cty.NilVal, fmt.Errorf("output value: %w", err)
	}
	return v, nil
}

// DeepCopy returns an independent copy; nil yields nil.
func (o *Output) DeepCopy() *Output {
	if o == nil {
		return nil
	}
	return &Output{Value: cloneRaw(o.Value), Type: cloneRaw(o.Type), Sensitive: o.Sensitive}
}

func cloneRaw(b json.RawMessage) json.RawMessage {
	if b == nil {
		return nil
	}
	return json.RawMessage(bytes.Clone(b))
}
