package spec

import (
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestRangeOfPath(t *testing.T) {
	strMap := cty.Map(cty.String)
	schema := &schemas.Block{
		Attributes: map[string]*schemas.Attribute{
			"image": {Type: cty.String, Optional: true}, "env": {Type: strMap, Optional: true},
			"command": {Type: cty.List(cty.String), Optional: true}, "user": {Type: cty.String, Optional: true},
		},
		Blocks: map[string]*schemas.NestedBlock{
			"mount": {Nesting: schemas.NestingList, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
				"target": {Type: cty.String, Optional: true}}}},
			"template": {Nesting: schemas.NestingSingle, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
				"env": {Type: strMap, Optional: true}, "user": {Type: cty.String, Optional: true}}}},
		},
	}
	src := `image = "x"
env = {
  A = "1"
  "B=C" = "2"
}
command = ["a", "b"]
mount {
  target = "/one"
}
mount {
  target = "/two"
}
template {
  env = { D = "4" }
}
`
	f, diags := hclsyntax.ParseConfig([]byte(src), "main.berth.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tests := []struct {
		name      string
		path      cty.Path
		line, col int
		found     bool
	}{
		{"attribute", cty.GetAttrPath("image"), 1, 9, true},
		{"map entry", cty.GetAttrPath("env").Index(cty.StringVal("A")), 3, 7, true},
		{"quoted map key", cty.GetAttrPath("env").Index(cty.StringVal("B=C")), 4, 11, true},
		{"missing map key", cty.GetAttrPath("env").Index(cty.StringVal("Z")), 2, 7, true},
		{"list element", cty.GetAttrPath("command").IndexInt(1), 6, 17, true},
		{"second block", cty.GetAttrPath("mount").IndexInt(1).GetAttr("target"), 11, 12, true},
		{"block itself", cty.GetAttrPath("mount").IndexInt(0), 7, 1, true},
		{"nested single block", cty.GetAttrPath("template").GetAttr("env").Index(cty.StringVal("D")), 14, 15, true},
		{"unset attribute in a block", cty.GetAttrPath("template").GetAttr("user"), 13, 1, true},
		{"not in the body", cty.GetAttrPath("user"), 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng, found := RangeOfPath(f.Body, schema, tc.path)
			if found != tc.found || found && (rng.Start.Line != tc.line || rng.Start.Column != tc.col) {
				t.Errorf("RangeOfPath = %d:%d, %v; want %d:%d, %v", rng.Start.Line, rng.Start.Column, found, tc.line, tc.col, tc.found)
			}
		})
	}
}
