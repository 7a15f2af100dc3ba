package views

import (
	"io"

	"github.com/hashicorp/hcl/v2"
)

// WriteValidateJSON writes the result of validate as
// {"format_version", "valid", "error_count", "warning_count", "diagnostics"}.
func WriteValidateJSON(w io.Writer, diags hcl.Diagnostics) error {
	errs, warns := 0, 0
	list := []any{}
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
			warns++
		} else {
			errs++
		}
		item := map[string]any{"severity": sev, "summary": d.Summary, "detail": d.Detail}
		if d.Subject != nil {
			item["range"] = rangeJSON(*d.Subject)
		}
		list = append(list, item)
	}
	return writeJSON(w, map[string]any{
		"format_version": "1.0",
		"valid":          errs == 0,
		"error_count":    errs,
		"warning_count":  warns,
		"diagnostics":    list,
	})
}

func rangeJSON(r hcl.Range) map[string]any {
	pos := func(p hcl.Pos) map[string]any {
		return map[string]any{"line": p.Line, "column": p.Column, "byte": p.Byte}
	}
	return map[string]any{"filename": r.Filename, "start": pos(r.Start), "end": pos(r.End)}
}
