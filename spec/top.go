package spec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// nativeTypes are the resource types written as top-level blocks
// (`container "web"`); other types use `resource "TYPE" "NAME"`.
var nativeTypes = []string{"image", "container", "network", "volume", "deployment", "berth_data"}

// keywordBlocks are the top-level blocks that are not resources, with
// their labels.
var keywordBlocks = []hcl.BlockHeaderSchema{
	{Type: "berth"},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "node", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
}

// topSchema is the body schema of a configuration file for one lookup.
type topSchema struct {
	schema *hcl.BodySchema
	names  []string // every valid top-level block type, for messages
	known  map[string]bool
}

func newTopSchema(lookup SchemaLookup) *topSchema {
	t := &topSchema{schema: &hcl.BodySchema{}, known: map[string]bool{}}
	t.schema.Blocks = append(t.schema.Blocks, keywordBlocks...)
	for _, b := range keywordBlocks {
		t.names = append(t.names, b.Type)
	}
	for _, typ := range nativeTypes {
		if _, ok := lookup(typ); ok {
			t.schema.Blocks = append(t.schema.Blocks, hcl.BlockHeaderSchema{Type: typ, LabelNames: []string{"name"}})
			t.names = append(t.names, typ)
		}
	}
	for _, n := range t.names {
		t.known[n] = true
	}
	return t
}

// isNativeType reports whether typ may be written as a top-level block:
// it has no provider prefix, or berth's own.
func isNativeType(typ string) bool {
	return !strings.Contains(typ, "_") || strings.HasPrefix(typ, "berth_")
}

// decodeFile decodes the top-level blocks of one file into cfg.
func (l *loader) decodeFile(cfg *Config, f *hcl.File) hcl.Diagnostics {
	content, remain, diags := f.Body.PartialContent(l.top.schema)
	blocks := content.Blocks
	extra, extraDiags := l.leftovers(remain)
	diags = append(diags, extraDiags...)
	blocks = append(blocks, extra...)
	for _, b := range blocks {
		diags = append(diags, l.decodeBlock(cfg, b)...)
	}
	return diags
}

func (l *loader) decodeBlock(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	switch b.Type {
	case "berth":
		return l.decodeBerth(cfg, b)
	case "variable":
		return l.decodeVariable(cfg, b)
	case "locals":
		return decodeLocals(cfg, b)
	case "output":
		return decodeOutput(cfg, b)
	case "node":
		return l.decodeNode(cfg, b)
	case "module":
		return decodeModuleCall(cfg, b)
	case "resource":
		return l.decodeResource(cfg, b, b.Labels[0], b.LabelRanges[0], b.Labels[1], b.LabelRanges[1])
	}
	return l.decodeResource(cfg, b, b.Type, b.TypeRange, b.Labels[0], b.LabelRanges[0])
}

// leftovers reports what PartialContent did not take. In native syntax a
// leftover block of a native type the lookup knows (a type outside
// nativeTypes) is returned as a resource block.
func (l *loader) leftovers(remain hcl.Body) (hcl.Blocks, hcl.Diagnostics) {
	body, ok := remain.(*hclsyntax.Body)
	if !ok {
		_, diags := remain.Content(&hcl.BodySchema{})
		return nil, diags
	}
	var diags hcl.Diagnostics
	var blocks hcl.Blocks
	for _, b := range body.Blocks {
		if l.top.known[b.Type] {
			continue
		}
		if _, ok := l.lookup(b.Type); ok && isNativeType(b.Type) && len(b.Labels) == 1 {
			blocks = append(blocks, b.AsHCLBlock())
			continue
		}
		diags = append(diags, l.unknownBlock(b))
	}
	for _, a := range sortedAttrs(body.Attributes) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unexpected argument at the top level",
			Detail: fmt.Sprintf("An argument named %q cannot be set at the top level of a configuration file; only blocks are allowed there (%s). To name a value, use a locals block.",
				a.Name, strings.Join(l.top.names, ", ")),
			Subject: a.NameRange.Ptr(),
		})
	}
	return blocks, diags
}

func (l *loader) unknownBlock(b *hclsyntax.Block) *hcl.Diagnostic {
	detail := fmt.Sprintf("Blocks of type %q are not expected here.", b.Type)
	if _, ok := l.lookup(b.Type); ok {
		detail += fmt.Sprintf(" %s is a plugin resource type: write it as resource %q \"NAME\" { ... }.", b.Type, b.Type)
	} else if s := suggest(b.Type, l.top.names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	detail += " Valid top-level blocks: " + strings.Join(l.top.names, ", ") + "."
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unsupported block type",
		Detail:   detail,
		Subject:  b.TypeRange.Ptr(),
	}
}

func sortedAttrs(attrs hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}

// suggest returns the candidate closest to name, or "" when none is close.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(name, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean is suggest as a sentence, or "".
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// checkName reports an invalid block label.
func checkName(kind, name string, rng hcl.Range) hcl.Diagnostics {
	if addrs.ValidName(name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + kind + " name",
		Detail:   fmt.Sprintf("%q is not a valid %s name: a name starts with a letter or underscore and contains only letters, digits, underscores and dashes.", name, kind),
		Subject:  rng.Ptr(),
	}}
}

// duplicate reports a second declaration of the same thing.
func duplicate(kind, name string, second, first hcl.Range) *hcl.Diagnostic {
	if name != "" {
		name = " " + name
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + kind,
		Detail: fmt.Sprintf("The %s%s was already declared at %s. Names must be unique within a module; rename or remove one of them.",
			kind, name, posString(first)),
		Subject: second.Ptr(),
	}
}

// posString renders a range's start as file:line:column.
func posString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
