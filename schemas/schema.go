package schemas

import (
	"sort"
	"sync"

	"github.com/zclconf/go-cty/cty"
)

// Nesting is how a nested block may repeat inside its parent.
type Nesting int

const (
	// NestingSingle is a block that appears at most once; its value is an
	// object, or null when absent.
	NestingSingle Nesting = iota
	// NestingList is a block that may repeat; its value is a list of
	// objects in source order.
	NestingList
	// NestingMap is a labelled block that may repeat with distinct labels;
	// its value is a map of objects keyed by label.
	NestingMap
)

func (n Nesting) String() string {
	switch n {
	case NestingSingle:
		return "single"
	case NestingList:
		return "list"
	case NestingMap:
		return "map"
	}
	return "invalid"
}

// Attribute describes one attribute of a block.
type Attribute struct {
	Type cty.Type
	// Exactly one of Required, Optional, Computed is usually set;
	// Optional+Computed means the user may set it and otherwise the
	// provider fills it in (the value then never diffs against config).
	Required bool
	Optional bool
	Computed bool
	// Default is used when the attribute is Optional, not Computed and
	// not set in configuration. cty.NilVal means null.
	Default cty.Value
	// ForceNew means a change to this attribute replaces the resource.
	ForceNew bool
	// Sensitive values are never printed in plans, output or logs.
	Sensitive bool
	// Format names a string syntax checked at validation time:
	// "duration" (Go duration, e.g. "5s"), "size" (bytes with unit,
	// e.g. "256MiB"), "cidr", "ipv4", or "" for none.
	Format      string
	OneOf       []string // allowed string values, when non-empty
	Description string
}

// NestedBlock describes a block that may appear inside another block.
type NestedBlock struct {
	Block
	Nesting  Nesting
	MinItems int
	MaxItems int // 0: no limit
	// ForceNew means any change inside this block replaces the resource.
	ForceNew bool
}

// Block is the schema of one block body: its attributes and nested blocks.
type Block struct {
	Attributes  map[string]*Attribute
	Blocks      map[string]*NestedBlock
	Description string
}

// Resource is the schema of one resource type.
type Resource struct {
	Type    string
	Version int
	Block   Block
}

// AttributeNames returns the block's attribute names in sorted order.
func (b *Block) AttributeNames() []string {
	names := make([]string, 0, len(b.Attributes))
	for n := range b.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// BlockNames returns the block's nested block names in sorted order.
func (b *Block) BlockNames() []string {
	names := make([]string, 0, len(b.Blocks))
	for n := range b.Blocks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// impliedTypes caches ImpliedType by block: building cty object types is
// costly and planning asks for the same few types thousands of times.
// Blocks are not changed once in use (schemas are values shared by all).
var impliedTypes sync.Map // *Block -> cty.Type

// ImpliedType is the cty object type of a value that conforms to the block.
func (b *Block) ImpliedType() cty.Type {
	if t, ok := impliedTypes.Load(b); ok {
		return t.(cty.Type)
	}
	t := b.impliedType()
	impliedTypes.Store(b, t)
	return t
}

func (b *Block) impliedType() cty.Type {
	attrs := make(map[string]cty.Type, len(b.Attributes)+len(b.Blocks))
	for name, a := range b.Attributes {
		attrs[name] = a.Type
	}
	for name, nb := range b.Blocks {
		attrs[name] = nb.ValueType()
	}
	return cty.Object(attrs)
}
