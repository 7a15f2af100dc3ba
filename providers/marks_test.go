package providers

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestHasMarks(t *testing.T) {
	secret := cty.StringVal("s").Mark("sensitive")
	tests := []struct {
		name string
		v    cty.Value
		want bool
	}{
		{"plain object", cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")}), false},
		{"marked attribute", cty.ObjectVal(map[string]cty.Value{"a": secret}), true},
		{"marked in list in object", cty.ObjectVal(map[string]cty.Value{"l": cty.ListVal([]cty.Value{cty.StringVal("a"), secret})}), true},
		{"marked map element", cty.MapVal(map[string]cty.Value{"k": secret}), true},
		{"marked whole", cty.ListValEmpty(cty.String).Mark("x"), true},
		{"unknown", cty.UnknownVal(cty.String), false},
		{"null", cty.NullVal(cty.Map(cty.String)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := HasMarks(tc.v); got != tc.want {
				t.Errorf("HasMarks = %v, want %v", got, tc.want)
			}
			if got := tc.v.ContainsMarked(); got != tc.want {
				t.Errorf("disagrees with cty: %v", got)
			}
		})
	}
}
