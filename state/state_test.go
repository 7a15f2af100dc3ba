package state

import (
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/zclconf/go-cty/cty"
)

func TestNew(t *testing.T) {
	a, b := New(), New()
	if a.Lineage == b.Lineage {
		t.Errorf("two states share lineage %s", a.Lineage)
	}
	u, err := uuid.Parse(a.Lineage)
	if err != nil || u.Version() != 4 {
		t.Errorf("lineage %q is not a UUID v4 (%v)", a.Lineage, err)
	}
	if a.Serial != 0 || a.Version != CurrentVersion || a.BerthVersion != BerthVersion || !a.Empty() {
		t.Errorf("New() = %+v", a)
	}
}

func addrsOf(rs []*Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Addr.String())
	}
	return out
}

func TestSetKeepsOrderAndReplaces(t *testing.T) {
	st := New()
	for _, a := range []string{`container.b`, `container.a["y"]`, `container.a[10]`, `container.a[2]`, `container.a`, `module.m.container.a`, `container.a["x"]`} {
		st.Set(testResource(t, a))
	}
	want := []string{`container.a`, `container.a[2]`, `container.a[10]`, `container.a["x"]`, `container.a["y"]`, `container.b`, `module.m.container.a`}
	if got := addrsOf(st.Resources); !slices.Equal(got, want) {
		t.Fatalf("order = %q, want %q", got, want)
	}
	r := testResource(t, `container.a[2]`)
	r.Tainted = true
	st.Set(r)
	if len(st.Resources) != len(want) || st.Resource(mustInstance(t, `container.a[2]`)) != r {
		t.Errorf("Set did not replace the existing record")
	}
}

func TestResourceRemoveEmpty(t *testing.T) {
	st := New()
	st.Set(testResource(t, "container.a[0]"))
	if st.Empty() {
		t.Error("Empty() with a resource")
	}
	if st.Resource(mustInstance(t, "container.a")) != nil {
		t.Error("container.a found; only container.a[0] exists")
	}
	if st.Remove(mustInstance(t, "container.a[1]")) {
		t.Error("Remove of an absent instance reported true")
	}
	if !st.Remove(mustInstance(t, "container.a[0]")) || !st.Empty() {
		t.Error("Remove of container.a[0] failed")
	}
	st.Outputs["x"] = &Output{Value: []byte(`1`), Type: []byte(`"number"`)}
	if st.Empty() {
		t.Error("Empty() with an output")
	}
}

func TestResourcesIn(t *testing.T) {
	st := sampleState(t)
	tests := []struct {
		target string
		want   []string
	}{
		{"container.web", []string{"container.web[0]", "container.web[1]"}},
		{"container.web[1]", []string{"container.web[1]"}},
		{"container.web[1]#3", []string{"container.web[1]"}},
		{"module.app", []string{`module.app.container.db["primary"]`, "module.app.module.cache.volume.data"}},
		{"module.app.module.cache", []string{"module.app.module.cache.volume.data"}},
		{"volume.data", nil},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			if got := addrsOf(st.ResourcesIn(mustTarget(t, tc.target))); !slices.Equal(got, tc.want) {
				t.Errorf("ResourcesIn(%s) = %q, want %q", tc.target, got, tc.want)
			}
		})
	}
}

func TestDeepCopyIsIndependent(t *testing.T) {
	st := sampleState(t)
	c := st.DeepCopy()
	if !reflect.DeepEqual(st, c) {
		t.Fatal("copy differs from original")
	}
	db := c.Resources[3]
	db.Addr.Module[0] = "changed"
	db.Attributes[0] = '['
	db.Private[0] = 'X'
	db.Dependencies[0] = "changed"
	c.Outputs["url"].Value[1] = 'X'
	c.Set(testResource(t, "container.new"))
	if !reflect.DeepEqual(st, sampleState(t)) {
		t.Error("changing the copy changed the original")
	}
	if (*State)(nil).DeepCopy() != nil {
		t.Error("nil copy")
	}
}

func TestValueRoundTrip(t *testing.T) {
	r := testResource(t, "container.a")
	v, err := r.Value(containerType)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.GetAttr("env").Index(cty.StringVal("A")); !got.RawEquals(cty.StringVal("1 && <2>")) {
		t.Errorf("env.A = %#v", got)
	}
	if _, err := r.Value(cty.Object(map[string]cty.Type{"id": cty.String})); err == nil {
		t.Error("Value with a type lacking attributes succeeded")
	}
	empty := &Resource{}
	if v, err := empty.Value(containerType); err != nil || !v.IsNull() {
		t.Errorf("Value of no attributes = %#v, %v; want null", v, err)
	}
}

func TestSetValueRefuses(t *testing.T) {
	obj := func(v cty.Value) cty.Value { return cty.ObjectVal(map[string]cty.Value{"a": v}) }
	tests := []struct {
		name string
		v    cty.Value
	}{
		{"unknown", obj(cty.UnknownVal(cty.String))},
		{"marked", obj(cty.StringVal("secret").Mark("sensitive"))},
		{"null", cty.NullVal(containerType)},
		{"not an object", cty.StringVal("x")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Resource{Addr: mustInstance(t, "container.a")}
			if err := r.SetValue(tc.v, cty.NilType); err == nil {
				t.Errorf("SetValue(%#v) succeeded", tc.v)
			}
			if r.Attributes != nil {
				t.Error("a refused SetValue changed the attributes")
			}
		})
	}
}

func TestOutputOfDecode(t *testing.T) {
	for _, v := range []cty.Value{
		cty.StringVal("x"),
		cty.NullVal(cty.Number),
		cty.TupleVal([]cty.Value{cty.True, cty.StringVal("a")}),
		cty.MapVal(map[string]cty.Value{"k": cty.NumberFloatVal(1.5)}),
	} {
		o, err := OutputOf(v, false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.Decode()
		if err != nil || !got.RawEquals(v) {
			t.Errorf("Decode(OutputOf(%#v)) = %#v, %v", v, got, err)
		}
	}
	if _, err := OutputOf(cty.UnknownVal(cty.String), false); err == nil {
		t.Error("OutputOf(unknown) succeeded")
	}
}
