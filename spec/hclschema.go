package spec

import (
	"sync"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
)

// mapLabel is the label name of NestingMap blocks: `env "KEY" { ... }`.
const mapLabel = "key"

// converted is a schemas.Block in the two forms hcl wants: a body schema
// for static validation (no required attributes, so that missing ones get
// berth's own message) and an hcldec spec for decoding.
type converted struct {
	body *hcl.BodySchema
	spec hcldec.Spec
}

// convCache maps *schemas.Block to *converted. Schemas are package-level
// values that never change, so the pointer is a safe key.
var convCache sync.Map

// schemaForms returns the cached hcl forms of block used as a top-level body
// (a resource, node or registry body). A top-level `name` attribute is never
// required: it defaults to the block label.
func schemaForms(block *schemas.Block) *converted {
	if c, ok := convCache.Load(block); ok {
		return c.(*converted)
	}
	c := &converted{body: bodySchemaOf(block), spec: decSpec(block, true)}
	actual, _ := convCache.LoadOrStore(block, c)
	return actual.(*converted)
}

var bodyCache sync.Map // *schemas.Block -> *hcl.BodySchema

// bodySchemaOf returns the cached hcl.BodySchema of block.
func bodySchemaOf(block *schemas.Block) *hcl.BodySchema {
	if s, ok := bodyCache.Load(block); ok {
		return s.(*hcl.BodySchema)
	}
	s, _ := bodyCache.LoadOrStore(block, bodySchema(block))
	return s.(*hcl.BodySchema)
}

var plainCache sync.Map // *schemas.Block -> *hcl.BodySchema

// plainSchema is the body schema of b without dynamic blocks: for
// expanded bodies and dynblock's walker, which add their own.
func plainSchema(b *schemas.Block) *hcl.BodySchema {
	if s, ok := plainCache.Load(b); ok {
		return s.(*hcl.BodySchema)
	}
	full := bodySchemaOf(b)
	plain := &hcl.BodySchema{Attributes: full.Attributes, Blocks: full.Blocks[:len(full.Blocks)-1]}
	s, _ := plainCache.LoadOrStore(b, plain)
	return s.(*hcl.BodySchema)
}

// bodySchema is the hcl.BodySchema of block, with `dynamic` blocks allowed.
func bodySchema(block *schemas.Block) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, name := range block.AttributeNames() {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: name})
	}
	for _, name := range block.BlockNames() {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: name, LabelNames: labelNames(block.Blocks[name])})
	}
	s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: "dynamic", LabelNames: []string{"type"}})
	return s
}

func labelNames(nb *schemas.NestedBlock) []string {
	if nb.Nesting == schemas.NestingMap {
		return []string{mapLabel}
	}
	return nil
}

// isComputedOnly reports whether an attribute is set by the provider only.
func isComputedOnly(a *schemas.Attribute) bool {
	return a.Computed && !a.Optional && !a.Required
}

// decSpec is the hcldec spec of block; computed-only attributes are left
// out (EvalBody adds them as nulls).
func decSpec(block *schemas.Block, top bool) hcldec.Spec {
	obj := hcldec.ObjectSpec{}
	for name, a := range block.Attributes {
		if isComputedOnly(a) {
			continue
		}
		required := a.Required && !(top && name == "name")
		obj[name] = &hcldec.AttrSpec{Name: name, Type: a.Type, Required: required}
	}
	for name, nb := range block.Blocks {
		nested := decSpec(&nb.Block, false)
		switch nb.Nesting {
		case schemas.NestingSingle:
			obj[name] = &hcldec.BlockSpec{TypeName: name, Nested: nested, Required: nb.MinItems > 0}
		case schemas.NestingList:
			obj[name] = &hcldec.BlockListSpec{TypeName: name, Nested: nested, MinItems: nb.MinItems, MaxItems: nb.MaxItems}
		case schemas.NestingMap:
			obj[name] = &hcldec.BlockMapSpec{TypeName: name, LabelNames: []string{mapLabel}, Nested: nested}
		}
	}
	return obj
}
