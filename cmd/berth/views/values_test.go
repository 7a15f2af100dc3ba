package views

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestValueStyles renders one value in both styles that share
// valueStyle.render: as state show writes it (no marker, brackets closing
// at the line's column, a sensitive null printed as null) and as a plan
// writes a created value (every nested line marked, brackets under the
// text, every sensitive path hidden).
func TestValueStyles(t *testing.T) {
	secret := cty.GetAttrPath("secret")
	gone := cty.GetAttrPath("gone")
	v := cty.ObjectVal(map[string]cty.Value{
		"a":      cty.StringVal("x"),
		"gone":   cty.NullVal(cty.String),
		"list":   cty.ListVal([]cty.Value{cty.NumberIntVal(1)}),
		"m":      cty.MapVal(map[string]cty.Value{"k-1": cty.True}),
		"secret": cty.StringVal("s"),
	})
	sens := func(p cty.Path) bool { return p.Equals(secret) || p.Equals(gone) }
	tests := []struct {
		name, got, want string
	}{
		{"state", format(v, 4, nil, sens), `{
        a      = "x"
        gone   = null
        list   = [
            1,
        ]
        m      = {
            "k-1" = true
        }
        secret = (sensitive value)
    }`},
		{"state, the root sensitive", format(cty.StringVal("s"), 0, nil, func(cty.Path) bool { return true }), `"s"`},
		{"plan", (&differ{sensitive: []cty.Path{secret, gone}}).marked(2, v, nil, "+"), `{
      + a      = "x"
      + gone   = (sensitive value)
      + list   = [
          + 1,
        ]
      + m      = {
          + "k-1" = true
        }
      + secret = (sensitive value)
    }`},
		{"plan, the root sensitive", (&differ{sensitive: []cty.Path{nil}}).marked(2, v, nil, "-"), "(sensitive value)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", tc.got, tc.want)
			}
		})
	}
}
