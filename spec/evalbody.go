package spec

import (
	"fmt"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EvalBody evaluates a body against schema: dynamic blocks are expanded,
// defaults filled in, formats and allowed values checked. The value
// conforms to schema.ImpliedType() and carries no marks; see
// EvalBodyWithMarks for which parts were sensitive.
func (s *Scope) EvalBody(body hcl.Body, schema *schemas.Block) (cty.Value, hcl.Diagnostics) {
	val, _, diags := s.EvalBodyWithMarks(body, schema)
	return val, diags
}

// EvalBodyWithMarks is EvalBody that also returns the paths of the values
// that were marked sensitive. Computed-only attributes are null; absent
// list blocks are empty lists, absent map blocks empty maps, absent single
// blocks null. On error the value is unknown.
func (s *Scope) EvalBodyWithMarks(body hcl.Body, schema *schemas.Block) (cty.Value, []cty.Path, hcl.Diagnostics) {
	ty := schema.ImpliedType()
	refs, diags := ReferencesInBody(body, schema)
	if diags.HasErrors() {
		return cty.UnknownVal(ty), nil, diags
	}
	ctx, d := s.EvalContext(refs)
	diags = append(diags, d...)
	if d.HasErrors() {
		return cty.UnknownVal(ty), nil, diags
	}
	expanded := dynblock.Expand(body, ctx)
	val, d := hcldec.Decode(expanded, schemaForms(schema).spec, ctx)
	diags = append(diags, d...)
	if d.HasErrors() {
		return cty.UnknownVal(ty), nil, diags
	}
	var pvms []cty.PathValueMarks
	if val.ContainsMarked() {
		val, pvms = val.UnmarkDeepWithPaths()
	}
	sensitive := sensitivePaths(pvms)
	val = schema.WithDefaults(val)
	for _, pe := range checkValues(val, schema, nil) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  pe.summary,
			Detail:   pe.detail,
			Subject:  rangeOfPath(expanded, schema, pe.path).Ptr(),
		})
	}
	conv, err := convert.Convert(val, ty)
	if err != nil {
		return cty.UnknownVal(ty), sensitive, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Inconsistent block values",
			Detail:   fmt.Sprintf("The body does not conform to its schema: %s.", err),
			Subject:  body.MissingItemRange().Ptr(),
		})
	}
	return conv, sensitive, diags
}

// sensitivePaths picks the paths marked SensitiveMark.
func sensitivePaths(pvms []cty.PathValueMarks) []cty.Path {
	var paths []cty.Path
	for _, pvm := range pvms {
		if _, ok := pvm.Marks[SensitiveMark]; ok {
			paths = append(paths, pvm.Path)
		}
	}
	return paths
}
