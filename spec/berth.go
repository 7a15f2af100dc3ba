package spec

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// BerthVersion is the version of berth that required_version is checked
// against.
const BerthVersion = "0.1.0"

var berthBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "state"},
		{Type: "runtime"},
		{Type: "registry", LabelNames: []string{"host"}},
		{Type: "required_providers"},
	},
}

var providerReqType = cty.ObjectWithOptionalAttrs(
	map[string]cty.Type{"source": cty.String, "version": cty.String},
	[]string{"source", "version"})

var (
	stateBlockSchema   = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "path", Required: true}}}
	runtimeBlockSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "root"}}}
)

// decodeBerth decodes the berth block (root module only, at most once).
func (l *loader) decodeBerth(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	if !cfg.Path.IsRoot() {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "berth block in a module",
			Detail:   "The berth block configures the whole run and belongs in the root module only; move it there.",
			Subject:  b.DefRange.Ptr(),
		}}
	}
	if cfg.Berth != nil {
		return hcl.Diagnostics{duplicate("berth block", "", b.DefRange, cfg.Berth.DeclRange)}
	}
	bb := &Berth{DeclRange: b.DefRange, RequiredProviders: map[string]*ProviderRequirement{}}
	cfg.Berth = bb
	content, diags := b.Body.Content(berthBlockSchema)
	if a := content.Attributes["required_version"]; a != nil {
		diags = append(diags, checkRequiredVersion(bb, a)...)
	}
	seen := map[string]*hcl.Block{}
	for _, blk := range content.Blocks {
		if first := seen[blk.Type]; first != nil && blk.Type != "registry" {
			diags = append(diags, duplicate(blk.Type+" block", "", blk.DefRange, first.DefRange))
			continue
		}
		seen[blk.Type] = blk
		diags = append(diags, l.decodeBerthChild(bb, blk)...)
	}
	return diags
}

func (l *loader) decodeBerthChild(bb *Berth, blk *hcl.Block) hcl.Diagnostics {
	switch blk.Type {
	case "state":
		c, diags := blk.Body.Content(stateBlockSchema)
		if a := c.Attributes["path"]; a != nil {
			var d hcl.Diagnostics
			bb.StatePath, d = literalString(a.Expr, "state path")
			diags = append(diags, d...)
		}
		return diags
	case "runtime":
		c, diags := blk.Body.Content(runtimeBlockSchema)
		if a := c.Attributes["root"]; a != nil {
			bb.RuntimeRoot = a.Expr
		}
		return diags
	case "registry":
		return l.decodeRegistry(bb, blk)
	}
	return decodeRequiredProviders(bb, blk)
}

func (l *loader) decodeRegistry(bb *Berth, blk *hcl.Block) hcl.Diagnostics {
	host := blk.Labels[0]
	for _, r := range bb.Registries {
		if r.Host == host {
			return hcl.Diagnostics{duplicate("registry", fmt.Sprintf("%q", host), blk.DefRange, r.DeclRange)}
		}
	}
	bb.Registries = append(bb.Registries, &Registry{Host: host, Body: blk.Body, DeclRange: blk.DefRange})
	_, diags := validateBody(blk.Body, registrySchema(), blk.DefRange, "registry "+host, l.rootDir)
	return diags
}

func checkRequiredVersion(bb *Berth, a *hcl.Attribute) hcl.Diagnostics {
	s, diags := literalString(a.Expr, "required_version")
	if diags.HasErrors() {
		return diags
	}
	bb.RequiredVersion = s
	cons, err := version.NewConstraint(s)
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid required_version",
			Detail:   fmt.Sprintf("%q is not a version constraint (%v); write it like \">= 0.1\" or \"~> 0.1.0\".", s, err),
			Subject:  a.Expr.Range().Ptr(),
		}}
	}
	if !cons.Check(version.Must(version.NewVersion(BerthVersion))) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unsupported berth version",
			Detail:   fmt.Sprintf("This configuration requires berth %s, but this is berth %s. Use a berth version that satisfies the constraint, or change required_version.", s, BerthVersion),
			Subject:  a.Expr.Range().Ptr(),
		}}
	}
	return nil
}

func decodeRequiredProviders(bb *Berth, blk *hcl.Block) hcl.Diagnostics {
	attrs, diags := blk.Body.JustAttributes()
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		a := attrs[name]
		v, d := literal(a.Expr, providerReqType, "required_providers."+name)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		req := &ProviderRequirement{Name: name, DeclRange: a.Range}
		if s := v.GetAttr("source"); !s.IsNull() {
			req.Source = s.AsString()
		}
		if ver := v.GetAttr("version"); !ver.IsNull() {
			req.Version = ver.AsString()
			if _, err := version.NewConstraint(req.Version); err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid provider version constraint",
					Detail:   fmt.Sprintf("required_providers.%s: %q is not a version constraint: %v.", name, req.Version, err),
					Subject:  a.Expr.Range().Ptr(),
				})
			}
		}
		bb.RequiredProviders[name] = req
	}
	return diags
}
