package spec

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// makeTemplateFileFunc returns templatefile(path, vars): the file at path
// (relative to baseDir) rendered as an HCL template with vars in scope and
// funcs available.
func makeTemplateFileFunc(baseDir string, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Renders the template file at path with the given variables.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return renderTemplateFile(baseDir, args[0].AsString(), args[1], funcs)
		},
	})
}

func renderTemplateFile(baseDir, path string, vars cty.Value, funcs map[string]function.Function) (cty.Value, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return cty.NilVal, fmt.Errorf("read template: %w", err)
	}
	ty := vars.Type()
	if !(ty.IsObjectType() || ty.IsMapType()) || vars.IsNull() {
		return cty.NilVal, fmt.Errorf("vars must be an object or map, not %s", ty.FriendlyName())
	}
	if !vars.IsWhollyKnown() {
		return cty.UnknownVal(cty.String), nil
	}
	expr, diags := hclsyntax.ParseTemplate(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("parse template %s: %s", path, diags.Error())
	}
	ctxVars := vars.AsValueMap()
	for _, t := range expr.Variables() {
		if _, ok := ctxVars[t.RootName()]; !ok {
			return cty.NilVal, fmt.Errorf("template %s refers to %q, which vars does not set", path, t.RootName())
		}
	}
	val, diags := expr.Value(&hcl.EvalContext{Variables: ctxVars, Functions: funcs})
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("render template %s: %s", path, diags.Error())
	}
	return val, nil
}
