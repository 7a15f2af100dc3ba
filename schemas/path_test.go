package schemas

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestAttributeByPath(t *testing.T) {
	c := &containerSchema.Block
	d := &deploymentSchema.Block
	tests := []struct {
		name  string
		block *Block
		path  cty.Path
		want  *Attribute // nil: not found
	}{
		{"top", c, cty.GetAttrPath("image"), c.Attributes["image"]},
		{"map key", c, cty.GetAttrPath("env").Index(cty.StringVal("A")), c.Attributes["env"]},
		{"list block", c, cty.GetAttrPath("port").Index(cty.NumberIntVal(0)).GetAttr("host"), c.Blocks["port"].Attributes["host"]},
		{"single block", c, cty.GetAttrPath("health").GetAttr("interval"), c.Blocks["health"].Attributes["interval"]},
		{"nested", d, cty.GetAttrPath("template").GetAttr("mount").Index(cty.NumberIntVal(2)).GetAttr("size"),
			d.Blocks["template"].Blocks["mount"].Attributes["size"]},
		{"inside object attr", d, cty.GetAttrPath("replicas_status").Index(cty.NumberIntVal(0)).GetAttr("ip"), d.Attributes["replicas_status"]},
		{"block itself", c, cty.GetAttrPath("port").Index(cty.NumberIntVal(0)), nil},
		{"unknown", c, cty.GetAttrPath("nope"), nil},
		{"unknown in block", c, cty.GetAttrPath("health").GetAttr("nope"), nil},
		{"empty", c, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.block.AttributeByPath(tc.path)
			if ok != (tc.want != nil) || got != tc.want {
				t.Errorf("AttributeByPath = %p, %v; want %p", got, ok, tc.want)
			}
		})
	}
}

func TestBlockByPath(t *testing.T) {
	c := &containerSchema.Block
	if nb, ok := c.BlockByPath(cty.GetAttrPath("port").Index(cty.NumberIntVal(1))); !ok || nb != c.Blocks["port"] {
		t.Errorf("BlockByPath(port[1]) = %v, %v", nb, ok)
	}
	if _, ok := c.BlockByPath(cty.GetAttrPath("port").Index(cty.NumberIntVal(1)).GetAttr("host")); ok {
		t.Error("BlockByPath(port[1].host) found a block")
	}
	if _, ok := c.BlockByPath(nil); ok {
		t.Error("BlockByPath(nil) found a block")
	}
}
