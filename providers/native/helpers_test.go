package native

import (
	"context"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var ctx = context.Background()

// implied is the implied type of a built-in resource type.
func implied(typ string) cty.Type { return schemas.Builtin()[typ].Block.ImpliedType() }

// optionalDeep makes every object attribute optional, so that partial
// objects convert to it with nulls filled in.
func optionalDeep(ty cty.Type) cty.Type {
	switch {
	case ty.IsObjectType():
		attrs := map[string]cty.Type{}
		var names []string
		for n, at := range ty.AttributeTypes() {
			attrs[n] = optionalDeep(at)
			names = append(names, n)
		}
		return cty.ObjectWithOptionalAttrs(attrs, names)
	case ty.IsListType():
		return cty.List(optionalDeep(ty.ElementType()))
	case ty.IsMapType():
		return cty.Map(optionalDeep(ty.ElementType()))
	}
	return ty
}

// cfg builds a value of typ's implied type from the attributes given;
// nested blocks may be given as tuples of partial objects.
func cfg(t *testing.T, typ string, attrs map[string]cty.Value) cty.Value {
	t.Helper()
	v, err := convert.Convert(cty.ObjectVal(attrs), optionalDeep(implied(typ)))
	if err != nil {
		t.Fatalf("build %s config: %v", typ, err)
	}
	if errs := v.Type().TestConformance(implied(typ)); errs != nil {
		t.Fatalf("built %s, want %s: %v", v.Type().FriendlyName(), implied(typ).FriendlyName(), errs)
	}
	return v
}

func objs(attrs ...map[string]cty.Value) cty.Value {
	vs := make([]cty.Value, len(attrs))
	for i, a := range attrs {
		vs[i] = cty.ObjectVal(a)
	}
	return cty.TupleVal(vs)
}

func str(s string) cty.Value { return cty.StringVal(s) }
func num(n int64) cty.Value  { return cty.NumberIntVal(n) }
func strs(ss ...string) cty.Value {
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = str(s)
	}
	return cty.ListVal(vs)
}

// plan calls PlanResourceChange through the Provider interface.
func plan(t *testing.T, p providers.Provider, typ string, prior, config cty.Value) providers.PlanResourceChangeResponse {
	t.Helper()
	resp := p.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: typ, Prior: prior, Config: config})
	if err := resp.Diagnostics.Err(); err != nil {
		t.Fatalf("plan %s: %v", typ, err)
	}
	return resp
}

func attrAt(t *testing.T, v cty.Value, p cty.Path) cty.Value {
	t.Helper()
	got, err := p.Apply(v)
	if err != nil {
		t.Fatalf("%s: %v", providers.FormatPath(p), err)
	}
	return got
}

func paths(ps []cty.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = providers.FormatPath(p)
	}
	return out
}

func summaries(ds providers.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		s := d.Summary
		if len(d.Attribute) > 0 {
			s = providers.FormatPath(d.Attribute) + ": " + s
		}
		out = append(out, s)
	}
	return out
}
