package schemas

import "github.com/zclconf/go-cty/cty"

// AttributeByPath finds the attribute a value path points at or into,
// walking nested blocks: port[0].host is the host attribute of the port
// block, env["A"] is the env attribute. Index steps that select a list or
// map block element are skipped. It reports false when the path names a
// block, or names nothing in the schema.
func (b *Block) AttributeByPath(p cty.Path) (*Attribute, bool) {
	cur := b
	for _, step := range p {
		s, ok := step.(cty.GetAttrStep)
		if !ok {
			continue // an index into a list or map of blocks
		}
		if a, ok := cur.Attributes[s.Name]; ok {
			return a, true // later steps go inside the attribute's value
		}
		nb, ok := cur.Blocks[s.Name]
		if !ok {
			return nil, false
		}
		cur = &nb.Block
	}
	return nil, false
}

// BlockByPath finds the nested block a path points at (port, port[0],
// template.health), walking as AttributeByPath does. The empty path is
// not a nested block.
func (b *Block) BlockByPath(p cty.Path) (*NestedBlock, bool) {
	cur := b
	var found *NestedBlock
	for _, step := range p {
		s, ok := step.(cty.GetAttrStep)
		if !ok {
			continue
		}
		nb, ok := cur.Blocks[s.Name]
		if !ok {
			return nil, false
		}
		found, cur = nb, &nb.Block
	}
	return found, found != nil
}
