package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// PrepareVariable turns a given value of a variable into the value
// expressions see: cty.NilVal means "not set" (the default is used), the
// value is converted to the variable's type with its optional-attribute
// defaults, null is checked against nullable, the validation blocks run
// (unless the value is not known yet), and sensitive variables' values are
// marked with SensitiveMark. rng is where the value came from; a zero
// range means the variable's declaration.
func PrepareVariable(v *Variable, val cty.Value, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	if rng.Filename == "" {
		rng = v.DeclRange
	}
	if val == cty.NilVal {
		if v.Default == cty.NilVal {
			return cty.UnknownVal(v.Type), hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail:   fmt.Sprintf("The variable %q has no default and no value was given.", v.Name),
				Subject:  rng.Ptr(),
			}}
		}
		val = v.Default
	}
	val, diags := convertVariable(v, val, rng)
	if diags.HasErrors() {
		return cty.UnknownVal(v.Type), diags
	}
	diags = append(diags, validateVariable(v, val, rng)...)
	if v.Sensitive {
		val = val.Mark(SensitiveMark)
	}
	return val, diags
}

func convertVariable(v *Variable, val cty.Value, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	raw, marks := val.UnmarkDeep()
	if raw.IsNull() {
		if !v.Nullable {
			if v.Default != cty.NilVal && !v.Default.IsNull() {
				return v.Default, nil
			}
			return cty.NilVal, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid value for variable",
				Detail:   fmt.Sprintf("The variable %q has nullable = false, so it cannot be null.", v.Name),
				Subject:  rng.Ptr(),
			}}
		}
		return cty.NullVal(v.Type).WithMarks(marks), nil
	}
	if v.TypeDefaults != nil && raw.IsWhollyKnown() {
		raw = v.TypeDefaults.Apply(raw)
	}
	conv, err := convert.Convert(raw, v.Type)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("The value of var.%s is not a %s: %s.", v.Name, typeexpr.TypeString(v.Type), err),
			Subject:  rng.Ptr(),
		}}
	}
	return conv.WithMarks(marks), nil
}

// validateVariable runs the validation blocks with only var.<name> and
// the functions in scope.
func validateVariable(v *Variable, val cty.Value, rng hcl.Range) hcl.Diagnostics {
	if len(v.Validations) == 0 || !val.IsWhollyKnown() {
		return nil
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{v.Name: val})},
		Functions: functionsFor(v.dir),
	}
	var diags hcl.Diagnostics
	for _, vr := range v.Validations {
		ok, d := vr.check(ctx)
		diags = append(diags, d...)
		if d.HasErrors() || ok {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.", vr.message(ctx, v.Sensitive), posString(vr.DeclRange)),
			Subject:  rng.Ptr(),
		})
	}
	return diags
}

// check evaluates the condition; ok is true when it holds or is unknown.
func (vr *Validation) check(ctx *hcl.EvalContext) (bool, hcl.Diagnostics) {
	res, diags := vr.Condition.Value(ctx)
	if diags.HasErrors() {
		return true, diags
	}
	res, _ = res.UnmarkDeep()
	if !res.IsKnown() {
		return true, nil
	}
	b, err := convert.Convert(res, cty.Bool)
	if err != nil || b.IsNull() {
		return true, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid validation condition",
			Detail:   "The condition must be true or false.",
			Subject:  vr.Condition.Range().Ptr(),
		}}
	}
	return b.True(), nil
}

func (vr *Validation) message(ctx *hcl.EvalContext, sensitive bool) string {
	msg, diags := vr.ErrorMessage.Value(ctx)
	if diags.HasErrors() {
		return "The validation failed, and its error_message could not be evaluated: " + diags.Error()
	}
	if msg.HasMark(SensitiveMark) || (sensitive && msg.IsMarked()) {
		return "The validation failed; its error_message refers to a sensitive value and is hidden."
	}
	msg, _ = msg.UnmarkDeep()
	s, err := convert.Convert(msg, cty.String)
	if err != nil || s.IsNull() || !s.IsKnown() {
		return "The validation failed (its error_message is not a string)."
	}
	return s.AsString()
}
