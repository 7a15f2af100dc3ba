package schemas

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// allBlocks names every schema this package publishes.
func allBlocks() map[string]*Block {
	out := map[string]*Block{"node": Node, "registry": Registry, "runtime": Runtime}
	for typ, r := range Builtin() {
		out[typ] = &r.Block
	}
	return out
}

// walk calls fa for every attribute and fb for every nested block, with
// a dotted name.
func walk(prefix string, b *Block, fa func(string, *Attribute), fb func(string, *NestedBlock)) {
	for _, n := range b.AttributeNames() {
		fa(prefix+n, b.Attributes[n])
	}
	for _, n := range b.BlockNames() {
		fb(prefix+n, b.Blocks[n])
		walk(prefix+n+".", &b.Blocks[n].Block, fa, fb)
	}
}

func TestBuiltinTypes(t *testing.T) {
	want := []string{"berth_data", "container", "deployment", "image", "network", "volume"}
	var got []string
	for typ, r := range Builtin() {
		got = append(got, typ)
		if r.Type != typ {
			t.Errorf("Builtin()[%q].Type = %q", typ, r.Type)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Builtin() types = %v, want %v", got, want)
	}
	// A fresh map each call: deleting from one does not affect the next.
	m := Builtin()
	delete(m, "image")
	if _, ok := Builtin()["image"]; !ok {
		t.Error("Builtin() shares its map between calls")
	}
}

func TestDescriptions(t *testing.T) {
	for name, b := range allBlocks() {
		if b.Description == "" {
			t.Errorf("%s: block has no description", name)
		}
		walk(name+".", b, func(p string, a *Attribute) {
			if a.Description == "" {
				t.Errorf("%s: attribute has no description", p)
			}
		}, func(p string, nb *NestedBlock) {
			if nb.Description == "" {
				t.Errorf("%s: block has no description", p)
			}
		})
	}
}

func TestAttributeFlags(t *testing.T) {
	for name, b := range allBlocks() {
		walk(name+".", b, func(p string, a *Attribute) {
			checkAttribute(t, p, a)
		}, func(p string, nb *NestedBlock) {
			if nb.MaxItems != 0 && nb.MinItems > nb.MaxItems {
				t.Errorf("%s: MinItems %d > MaxItems %d", p, nb.MinItems, nb.MaxItems)
			}
			if nb.Nesting == NestingSingle && nb.MaxItems != 1 {
				t.Errorf("%s: single block should have MaxItems 1", p)
			}
		})
	}
}

func checkAttribute(t *testing.T, p string, a *Attribute) {
	t.Helper()
	switch {
	case a.Type == cty.NilType:
		t.Errorf("%s: no type", p)
	case a.Required && (a.Optional || a.Computed):
		t.Errorf("%s: Required with Optional or Computed", p)
	case !a.Required && !a.Optional && !a.Computed:
		t.Errorf("%s: none of Required, Optional, Computed", p)
	case a.Computed && !a.Optional && a.ForceNew:
		t.Errorf("%s: ForceNew on a computed-only attribute means nothing", p)
	}
	if len(a.OneOf) > 0 && !a.Type.Equals(cty.String) {
		t.Errorf("%s: OneOf on a %s attribute", p, a.Type.FriendlyName())
	}
	if a.Format != "" {
		if !a.Type.Equals(cty.String) {
			t.Errorf("%s: Format on a %s attribute", p, a.Type.FriendlyName())
		}
		if err := CheckFormat(a.Format, ""); errors.Is(err, errUnknownFormat) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if a.Default != cty.NilVal {
		checkDefault(t, p, a)
	}
}

func checkDefault(t *testing.T, p string, a *Attribute) {
	t.Helper()
	if !a.Optional || a.Computed {
		t.Errorf("%s: Default is only used on Optional, non-Computed attributes", p)
	}
	v, err := convert.Convert(a.Default, a.Type)
	if err != nil {
		t.Fatalf("%s: default %#v does not convert to %s: %v", p, a.Default, a.Type.FriendlyName(), err)
	}
	if !v.Type().Equals(a.Type) || !a.Default.Type().Equals(a.Type) {
		t.Errorf("%s: default has type %s, attribute %s", p, a.Default.Type().FriendlyName(), a.Type.FriendlyName())
	}
	if len(a.OneOf) > 0 && !slices.Contains(a.OneOf, v.AsString()) {
		t.Errorf("%s: default %q not in %v", p, v.AsString(), a.OneOf)
	}
	if a.Format != "" {
		if err := CheckFormat(a.Format, v.AsString()); err != nil {
			t.Errorf("%s: default: %v", p, err)
		}
	}
}

func TestNameAndID(t *testing.T) {
	for typ, r := range Builtin() {
		n, ok := r.Block.Attributes["name"]
		if !ok || !n.Optional || !n.Computed || !n.Type.Equals(cty.String) {
			t.Errorf("%s: name must be an Optional+Computed string", typ)
		}
		id, ok := r.Block.Attributes["id"]
		if !ok || id.Optional || !id.Computed || !id.Type.Equals(cty.String) {
			t.Errorf("%s: id must be a computed string", typ)
		}
	}
}

func TestImpliedType(t *testing.T) {
	for name, b := range allBlocks() {
		walkBlocks(name, b, func(p string, b *Block) {
			for n := range b.Attributes {
				if _, dup := b.Blocks[n]; dup {
					t.Errorf("%s: %q is both an attribute and a block", p, n)
				}
			}
		})
		ty := b.ImpliedType()
		if !ty.IsObjectType() {
			t.Fatalf("%s: implied type %s is not an object", name, ty.FriendlyName())
		}
		if got, want := len(ty.AttributeTypes()), len(b.Attributes)+len(b.Blocks); got != want {
			t.Errorf("%s: implied type has %d attributes, want %d", name, got, want)
		}
		// A null value of the type must be constructible.
		_ = cty.NullVal(ty)
	}
	ports := containerSchema.Block.ImpliedType().AttributeType("port")
	if !ports.IsListType() || !ports.ElementType().HasAttribute("host_ip") {
		t.Errorf("container port implied type = %s", ports.FriendlyName())
	}
	tmpl := deploymentSchema.Block.ImpliedType().AttributeType("template")
	if !tmpl.IsObjectType() || !tmpl.HasAttribute("health") || tmpl.HasAttribute("node") {
		t.Errorf("deployment template implied type = %s", tmpl.FriendlyName())
	}
	// A template's port is the deployment's, balanced over its replicas;
	// the container's own port block says nothing of that.
	tp := deploymentSchema.Block.Blocks["template"].Block.Blocks["port"].Block.Description
	if !strings.Contains(tp, "balanced over its ready replicas") || strings.Contains(containerSchema.Block.Blocks["port"].Block.Description, "balanced") {
		t.Errorf("template port description %q", tp)
	}
}

func walkBlocks(p string, b *Block, f func(string, *Block)) {
	f(p, b)
	for n, nb := range b.Blocks {
		walkBlocks(p+"."+n, &nb.Block, f)
	}
}
