package spec

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"},
		{Name: "sensitive"}, {Name: "nullable"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "error_message", Required: true},
	},
}

// reservedVariableNames would clash with the meta-arguments of module
// blocks, where every other attribute sets a variable.
var reservedVariableNames = map[string]bool{
	"source": true, "depends_on": true, "count": true, "for_each": true,
	"providers": true, "version": true, "lifecycle": true,
}

func (l *loader) decodeVariable(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	diags := checkName("variable", name, b.LabelRanges[0])
	if reservedVariableNames[name] {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Reserved variable name",
			Detail:   fmt.Sprintf("%q is a meta-argument of module blocks and cannot name a variable; choose another name.", name),
			Subject:  b.LabelRanges[0].Ptr(),
		})
	}
	if prev := cfg.Variables[name]; prev != nil {
		return append(diags, duplicate("variable", name, b.DefRange, prev.DeclRange))
	}
	v := &Variable{Name: name, Type: cty.DynamicPseudoType, Nullable: true, DeclRange: b.DefRange, dir: cfg.Dir}
	cfg.Variables[name] = v
	content, d := b.Body.Content(variableSchema)
	diags = append(diags, d...)
	diags = append(diags, decodeVariableAttrs(v, content.Attributes)...)
	for _, vb := range content.Blocks {
		diags = append(diags, decodeValidation(v, vb)...)
	}
	return diags
}

func decodeVariableAttrs(v *Variable, attrs hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if a := attrs["type"]; a != nil {
		ty, defaults, d := typeexpr.TypeConstraintWithDefaults(a.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.Type, v.TypeDefaults = ty, defaults
		}
	}
	var d hcl.Diagnostics
	if a := attrs["description"]; a != nil {
		v.Description, d = literalString(a.Expr, "description")
		diags = append(diags, d...)
	}
	if a := attrs["sensitive"]; a != nil {
		v.Sensitive, d = literalBool(a.Expr, "sensitive")
		diags = append(diags, d...)
	}
	if a := attrs["nullable"]; a != nil {
		v.Nullable, d = literalBool(a.Expr, "nullable")
		diags = append(diags, d...)
	}
	if a := attrs["default"]; a != nil && !diags.HasErrors() {
		diags = append(diags, decodeDefault(v, a)...)
	}
	return diags
}

// decodeDefault evaluates a variable's default, which must be constant and
// of the variable's type.
func decodeDefault(v *Variable, a *hcl.Attribute) hcl.Diagnostics {
	val, diags := literal(a.Expr, cty.DynamicPseudoType, "A variable default")
	if diags.HasErrors() {
		return diags
	}
	if val.IsNull() {
		if !v.Nullable {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid default value for variable",
				Detail:   fmt.Sprintf("Variable %q has nullable = false, so its default cannot be null.", v.Name),
				Subject:  a.Expr.Range().Ptr(),
			}}
		}
		v.Default = cty.NullVal(v.Type)
		return nil
	}
	if v.TypeDefaults != nil {
		val = v.TypeDefaults.Apply(val)
	}
	conv, err := convert.Convert(val, v.Type)
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid default value for variable",
			Detail:   fmt.Sprintf("The default of variable %q is not a %s: %s.", v.Name, typeexpr.TypeString(v.Type), err),
			Subject:  a.Expr.Range().Ptr(),
		}}
	}
	v.Default = conv
	return nil
}

// decodeValidation decodes a validation block, whose condition must refer
// to the variable and to nothing else.
func decodeValidation(v *Variable, b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(validationSchema)
	cond, msg := content.Attributes["condition"], content.Attributes["error_message"]
	if cond == nil || msg == nil {
		return diags
	}
	self := false
	for _, t := range append(cond.Expr.Variables(), msg.Expr.Variables()...) {
		if isVarRef(t, v.Name) {
			self = self || traversalIn(t, cond.Expr)
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference in variable validation",
			Detail:   fmt.Sprintf("A validation of variable %q can only refer to var.%s, not %s.", v.Name, v.Name, traversalString(t)),
			Subject:  t.SourceRange().Ptr(),
		})
	}
	if !self {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid variable validation condition",
			Detail:   fmt.Sprintf("The condition must refer to var.%s, the value it checks.", v.Name),
			Subject:  cond.Expr.Range().Ptr(),
		})
	}
	v.Validations = append(v.Validations, &Validation{Condition: cond.Expr, ErrorMessage: msg.Expr, DeclRange: b.DefRange})
	return diags
}

func isVarRef(t hcl.Traversal, name string) bool {
	if len(t) < 2 || t.RootName() != "var" {
		return false
	}
	a, ok := t[1].(hcl.TraverseAttr)
	return ok && a.Name == name
}

// traversalIn reports whether t's source lies within expr.
func traversalIn(t hcl.Traversal, expr hcl.Expression) bool {
	r, e := t.SourceRange(), expr.Range()
	return r.Filename == e.Filename && r.Start.Byte >= e.Start.Byte && r.End.Byte <= e.End.Byte
}

// decodeLocals adds the entries of a locals block.
func decodeLocals(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	attrs, diags := b.Body.JustAttributes()
	for _, a := range sortedByPos(attrs) {
		diags = append(diags, checkName("local value", a.Name, a.NameRange)...)
		if prev := cfg.Locals[a.Name]; prev != nil {
			diags = append(diags, duplicate("local value", a.Name, a.NameRange, prev.DeclRange))
			continue
		}
		cfg.Locals[a.Name] = &Local{Name: a.Name, Expr: a.Expr, DeclRange: a.NameRange}
	}
	return diags
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true}, {Name: "description"},
		{Name: "sensitive"}, {Name: "depends_on"},
	},
}

func decodeOutput(cfg *Config, b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	diags := checkName("output", name, b.LabelRanges[0])
	if prev := cfg.Outputs[name]; prev != nil {
		return append(diags, duplicate("output", name, b.DefRange, prev.DeclRange))
	}
	o := &Output{Name: name, DeclRange: b.DefRange}
	cfg.Outputs[name] = o
	content, d := b.Body.Content(outputSchema)
	diags = append(diags, d...)
	if a := content.Attributes["value"]; a != nil {
		o.Expr = a.Expr
	} else {
		o.Expr = hcl.StaticExpr(cty.NullVal(cty.DynamicPseudoType), b.DefRange)
	}
	if a := content.Attributes["description"]; a != nil {
		o.Description, d = literalString(a.Expr, "description")
		diags = append(diags, d...)
	}
	if a := content.Attributes["sensitive"]; a != nil {
		o.Sensitive, d = literalBool(a.Expr, "sensitive")
		diags = append(diags, d...)
	}
	if a := content.Attributes["depends_on"]; a != nil {
		o.DependsOn, d = decodeDependsOn(a.Expr)
		diags = append(diags, d...)
	}
	return diags
}

// decodeDependsOn reads a list of references to resources and modules.
func decodeDependsOn(expr hcl.Expression) ([]hcl.Traversal, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(expr)
	var out []hcl.Traversal
	for _, e := range exprs {
		t, d := hcl.AbsTraversalForExpr(e)
		if d.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid depends_on entry",
				Detail:   "depends_on entries must be references to resources or modules, such as container.db or module.app, without quotes.",
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		if _, ok := t[len(t)-1].(hcl.TraverseSplat); ok || len(t) < 2 || !isDependable(t) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid depends_on entry",
				Detail:   fmt.Sprintf("%s is not a resource or module; depends_on takes references like container.db or module.app.", traversalString(t)),
				Subject:  t.SourceRange().Ptr(),
			})
			continue
		}
		out = append(out, t)
	}
	return out, diags
}

func isDependable(t hcl.Traversal) bool {
	if _, ok := t[1].(hcl.TraverseAttr); !ok {
		return false
	}
	switch t.RootName() {
	case "var", "local", "count", "each", "path", "self", "node", "resource", "terraform":
		return false
	}
	return !strings.HasPrefix(t.RootName(), "_")
}

func sortedByPos(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		out = append(out, attrs[k])
	}
	sortAttrs(out)
	return out
}
