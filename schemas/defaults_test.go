package schemas

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// defaultsBlock has a default at the top, in a single, a list and a map
// block, a computed attribute with a default (never applied) and an
// optional one without.
func defaultsBlock() *Block {
	port := Block{Attributes: map[string]*Attribute{
		"port":     {Type: cty.Number, Required: true},
		"protocol": {Type: cty.String, Optional: true, Default: cty.StringVal("tcp")},
	}}
	return &Block{
		Attributes: map[string]*Attribute{
			"restart": {Type: cty.String, Optional: true, Default: cty.StringVal("no")},
			"memory":  {Type: cty.Number, Optional: true, Default: cty.StringVal("64")}, // converted
			"id":      {Type: cty.String, Computed: true, Default: cty.StringVal("never")},
			"command": {Type: cty.String, Optional: true},
		},
		Blocks: map[string]*NestedBlock{
			"health": {Nesting: NestingSingle, Block: port},
			"ports":  {Nesting: NestingList, Block: port},
			"labels": {Nesting: NestingMap, Block: port},
		},
	}
}

func TestWithDefaults(t *testing.T) {
	b := defaultsBlock()
	portTy := b.Blocks["ports"].Block.ImpliedType()
	port := func(n int64, proto cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(n), "protocol": proto})
	}
	nullStr := cty.NullVal(cty.String)
	tcp := cty.StringVal("tcp")
	full := func(attrs map[string]cty.Value) cty.Value {
		out := map[string]cty.Value{
			"restart": cty.StringVal("no"), "memory": cty.NumberIntVal(64),
			"id": nullStr, "command": nullStr,
			"health": cty.NullVal(portTy), "ports": cty.NullVal(cty.List(portTy)),
			"labels": cty.NullVal(cty.Map(portTy)),
		}
		for k, v := range attrs {
			out[k] = v
		}
		return cty.ObjectVal(out)
	}
	tests := []struct {
		name    string
		in, out cty.Value
	}{
		{"empty object: every attribute and block added",
			cty.EmptyObjectVal, full(nil)},
		{"set values kept",
			cty.ObjectVal(map[string]cty.Value{"restart": cty.StringVal("always"), "id": cty.StringVal("x")}),
			full(map[string]cty.Value{"restart": cty.StringVal("always"), "id": cty.StringVal("x")})},
		{"unknown attribute kept",
			cty.ObjectVal(map[string]cty.Value{"restart": cty.UnknownVal(cty.String)}),
			full(map[string]cty.Value{"restart": cty.UnknownVal(cty.String)})},
		{"nested single, list and map blocks",
			cty.ObjectVal(map[string]cty.Value{
				"health": cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(1)}),
				"ports":  cty.ListVal([]cty.Value{port(2, nullStr), port(3, cty.StringVal("udp"))}),
				"labels": cty.MapVal(map[string]cty.Value{"a": port(4, nullStr)}),
			}),
			full(map[string]cty.Value{
				"health": port(1, tcp),
				"ports":  cty.ListVal([]cty.Value{port(2, tcp), port(3, cty.StringVal("udp"))}),
				"labels": cty.MapVal(map[string]cty.Value{"a": port(4, tcp)}),
			})},
		{"decoded tuple and object of blocks: lists and maps again when the types agree",
			cty.ObjectVal(map[string]cty.Value{
				"ports":  cty.TupleVal([]cty.Value{port(2, nullStr), cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(3)})}),
				"labels": cty.ObjectVal(map[string]cty.Value{"a": port(4, nullStr)}),
			}),
			full(map[string]cty.Value{
				"ports":  cty.ListVal([]cty.Value{port(2, tcp), port(3, tcp)}),
				"labels": cty.MapVal(map[string]cty.Value{"a": port(4, tcp)}),
			})},
		{"unknown and null elements kept, a tuple when the types differ",
			cty.ObjectVal(map[string]cty.Value{
				"ports": cty.TupleVal([]cty.Value{port(2, nullStr), cty.UnknownVal(portTy), cty.NullVal(cty.DynamicPseudoType)}),
			}),
			full(map[string]cty.Value{
				"ports": cty.TupleVal([]cty.Value{port(2, tcp), cty.UnknownVal(portTy), cty.NullVal(cty.DynamicPseudoType)}),
			})},
		{"empty list kept", cty.ObjectVal(map[string]cty.Value{"ports": cty.ListValEmpty(portTy)}),
			full(map[string]cty.Value{"ports": cty.ListValEmpty(portTy)})},
		{"null kept", cty.NullVal(b.ImpliedType()), cty.NullVal(b.ImpliedType())},
		{"unknown kept", cty.UnknownVal(b.ImpliedType()), cty.UnknownVal(b.ImpliedType())},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := b.WithDefaults(tc.in)
			if !got.RawEquals(tc.out) {
				t.Errorf("WithDefaults(%#v)\n got %#v\nwant %#v", tc.in, got, tc.out)
			}
			if again := b.WithDefaults(got); !again.RawEquals(got) {
				t.Errorf("not idempotent: %#v", again)
			}
		})
	}
}

func TestNestedValueType(t *testing.T) {
	b := defaultsBlock()
	want := map[string]cty.Type{
		"health": b.Blocks["health"].Block.ImpliedType(),
		"ports":  cty.List(b.Blocks["ports"].Block.ImpliedType()),
		"labels": cty.Map(b.Blocks["labels"].Block.ImpliedType()),
	}
	for name, ty := range want {
		if got := b.Blocks[name].ValueType(); !got.Equals(ty) {
			t.Errorf("%s: %#v, want %#v", name, got, ty)
		}
		if got := b.ImpliedType().AttributeType(name); !got.Equals(ty) {
			t.Errorf("%s in ImpliedType: %#v, want %#v", name, got, ty)
		}
	}
}
