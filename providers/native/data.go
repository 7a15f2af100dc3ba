package native

import (
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/google/uuid"
	"github.com/zclconf/go-cty/cty"
)

// applyData applies a berth_data change. Nothing exists outside state:
// create assigns a random id, create and update copy input to output,
// delete returns null.
func applyData(req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	resp := providers.ApplyResourceChangeResponse{Private: req.Private}
	if req.Planned == cty.NilVal || req.Planned.IsNull() {
		resp.New = cty.NullVal(req.Planned.Type())
		if req.Planned == cty.NilVal {
			resp.New = cty.NullVal(cty.DynamicPseudoType)
		}
		return resp
	}
	planned, marks := req.Planned.UnmarkDeepWithPaths()
	id := planned.GetAttr("id")
	if !id.IsKnown() || id.IsNull() {
		id = cty.StringVal(uuid.NewString())
	}
	newVal := withAttrs(planned, map[string]cty.Value{"id": id, "output": planned.GetAttr("input")})
	if diags := checkKnown(newVal); diags.HasErrors() {
		resp.New, resp.Diagnostics = req.Prior, diags
		return resp
	}
	resp.New = newVal.MarkWithPaths(marks)
	return resp
}

// checkKnown reports every attribute still unknown in a value apply is
// about to return: apply must resolve everything.
func checkKnown(v cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	_ = cty.Walk(v, func(p cty.Path, v cty.Value) (bool, error) {
		if !v.IsKnown() {
			diags = diags.AttributeError(p.Copy(), "value is still unknown at apply",
				fmt.Sprintf("%s was planned as known after apply but nothing resolved it", providers.FormatPath(p)))
			return false, nil
		}
		return true, nil
	})
	return diags
}
