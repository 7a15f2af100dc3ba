package schemas

import (
	"slices"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestRuntimeNames(t *testing.T) {
	obj := func(attrs map[string]cty.Value) cty.Value { return cty.ObjectVal(attrs) }
	name := func(s string) map[string]cty.Value { return map[string]cty.Value{"name": cty.StringVal(s)} }
	tests := []struct {
		name string
		typ  string
		v    cty.Value
		want []string
	}{
		{"container", TypeContainer, obj(name("web")), []string{"container web"}},
		{"network", TypeNetwork, obj(name("front")), []string{"network front"}},
		{"volume", TypeVolume, obj(name("data")), []string{"volume data"}},
		{"image has no runtime name", TypeImage, obj(name("img")), nil},
		{"unknown name", TypeContainer, obj(map[string]cty.Value{"name": cty.UnknownVal(cty.String)}), nil},
		{"deployment, default replicas", TypeDeployment, obj(map[string]cty.Value{"name": cty.StringVal("api"), "replicas": cty.NullVal(cty.Number)}),
			[]string{"container api", "container api-0"}},
		{"deployment, three replicas", TypeDeployment, obj(map[string]cty.Value{"name": cty.StringVal("api"), "replicas": cty.NumberIntVal(3)}),
			[]string{"container api", "container api-0", "container api-1", "container api-2"}},
		{"deployment, unknown replicas", TypeDeployment, obj(map[string]cty.Value{"name": cty.StringVal("api"), "replicas": cty.UnknownVal(cty.Number)}),
			[]string{"container api"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range RuntimeNames(tc.typ, tc.v) {
				got = append(got, c.Kind+" "+c.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("RuntimeNames = %q, want %q", got, tc.want)
			}
		})
	}
}
