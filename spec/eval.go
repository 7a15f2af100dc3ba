package spec

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// SensitiveMark is the cty mark on values that come from sensitive
// variables; it survives expressions and is reported by EvalBodyWithMarks.
const SensitiveMark = "sensitive"

// EvalExpr evaluates expr in the scope and converts the result to want
// (cty.DynamicPseudoType: no conversion). Marks are kept. On error the
// value is unknown.
func (s *Scope) EvalExpr(expr hcl.Expression, want cty.Type) (cty.Value, hcl.Diagnostics) {
	refs, diags := ReferencesInExpr(expr)
	if diags.HasErrors() {
		return cty.UnknownVal(want), diags
	}
	ctx, d := s.EvalContext(refs)
	diags = append(diags, d...)
	if d.HasErrors() {
		return cty.UnknownVal(want), diags
	}
	val, d := expr.Value(ctx)
	diags = append(diags, d...)
	if d.HasErrors() {
		return cty.UnknownVal(want), diags
	}
	if want == cty.DynamicPseudoType {
		return val, diags
	}
	conv, err := convert.Convert(val, want)
	if err != nil {
		return cty.UnknownVal(want), append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Incorrect value type",
			Detail:      fmt.Sprintf("Invalid expression value: %s.", convertError(err, want)),
			Subject:     expr.Range().Ptr(),
			Expression:  expr,
			EvalContext: ctx,
		})
	}
	return conv, diags
}

// EvalContext builds an evaluation context that holds exactly the objects
// refs refer to (never every resource of the configuration), and the
// functions of the scope's module directory.
func (s *Scope) EvalContext(refs []*Reference) (*hcl.EvalContext, hcl.Diagnostics) {
	ctx := &hcl.EvalContext{Functions: functionsFor(s.BaseDir)}
	if len(refs) == 0 {
		return ctx, nil
	}
	objs := map[string]map[string]cty.Value{}
	vars := map[string]cty.Value{}
	var diags hcl.Diagnostics
	for _, ref := range refs {
		root := ref.Kind.String()
		if ref.Kind == RefResource {
			root = ref.Type
		}
		if _, done := objs[root][ref.Name]; done {
			continue
		}
		if _, done := vars[root]; done {
			continue
		}
		val, d := s.resolve(ref)
		diags = append(diags, d...)
		switch ref.Kind {
		case RefCount, RefEach, RefPath, RefSelf:
			vars[root] = val
		default:
			if objs[root] == nil {
				objs[root] = map[string]cty.Value{}
			}
			objs[root][ref.Name] = val
		}
	}
	for root, m := range objs {
		vars[root] = cty.ObjectVal(m)
	}
	ctx.Variables = vars
	return ctx, diags
}

// resolve returns the value of the object a reference names. count, each
// and path give their whole object.
func (s *Scope) resolve(ref *Reference) (cty.Value, hcl.Diagnostics) {
	rng := ref.SourceRange
	switch ref.Kind {
	case RefCount:
		if s.Repeat.CountIndex == cty.NilVal {
			return cty.DynamicVal, notAvailable(ref, "count.index is only available in a resource that sets count")
		}
		return cty.ObjectVal(map[string]cty.Value{"index": s.Repeat.CountIndex}), nil
	case RefEach:
		if s.Repeat.EachKey == cty.NilVal {
			return cty.DynamicVal, notAvailable(ref, "each.key and each.value are only available in a resource that sets for_each")
		}
		return cty.ObjectVal(map[string]cty.Value{"key": s.Repeat.EachKey, "value": s.Repeat.EachValue}), nil
	case RefPath:
		return s.pathObject(), nil
	case RefSelf:
		return cty.DynamicVal, notAvailable(ref, "self is reserved and cannot be used yet")
	}
	if s.Data == nil {
		return cty.DynamicVal, notAvailable(ref, "no values are available here")
	}
	switch ref.Kind {
	case RefVariable:
		return s.Data.Variable(s.Module, ref.Name, rng)
	case RefLocal:
		return s.Data.Local(s.Module, ref.Name, rng)
	case RefModule:
		return s.Data.ModuleOutputs(s.Module.Child(ref.Name), rng)
	case RefNode:
		return s.Data.Node(ref.Name, rng)
	}
	return s.Data.Resource(ref.Resource(s.Module), rng)
}

func (s *Scope) pathObject() cty.Value {
	cwd, err := os.Getwd()
	if err != nil {
		cwd = "."
	}
	return cty.ObjectVal(map[string]cty.Value{
		"module": cty.StringVal(s.BaseDir),
		"root":   cty.StringVal(s.RootDir),
		"cwd":    cty.StringVal(cwd),
	})
}

func notAvailable(ref *Reference, why string) hcl.Diagnostics {
	return hcl.Diagnostics{refDiag(ref, "Reference not available", fmt.Sprintf("%s: %s.", ref, why))}
}

// dependsOn lists the references of an expression, for messages about
// values that are not known yet.
func dependsOn(expr hcl.Expression) string {
	refs, _ := ReferencesInExpr(expr)
	var names []string
	seen := map[string]bool{}
	for _, r := range refs {
		if n := r.String(); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "a value known only after apply"
	}
	return strings.Join(names, ", ")
}
