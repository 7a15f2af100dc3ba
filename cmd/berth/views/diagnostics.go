package views

import (
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
)

// Diagnostics prints HCL diagnostics with their source snippets.
type Diagnostics struct {
	w      io.Writer
	files  map[string]*hcl.File
	width  uint
	colors Colors
}

// NewDiagnostics returns a printer writing to w. sources maps file names
// to their bytes (spec.Config.Sources); a file a diagnostic names that is
// missing from sources is read from disk when it exists.
func NewDiagnostics(w io.Writer, sources map[string][]byte, width uint, colors Colors) *Diagnostics {
	files := make(map[string]*hcl.File, len(sources))
	for name, b := range sources {
		files[name] = &hcl.File{Bytes: b}
	}
	return &Diagnostics{w: w, files: files, width: width, colors: colors}
}

// Print writes every diagnostic, errors and warnings alike. The summary
// is prefixed with the subject's file:line:col so that each diagnostic
// names its place even without a snippet.
func (d *Diagnostics) Print(diags hcl.Diagnostics) {
	tw := hcl.NewDiagnosticTextWriter(d.w, d.files, d.width, d.colors.Enabled)
	for i, diag := range diags {
		dd := *diag
		if s := diag.Subject; s != nil {
			d.load(s.Filename)
			dd.Summary = fmt.Sprintf("%s:%d:%d: %s", s.Filename, s.Start.Line, s.Start.Column, diag.Summary)
		}
		if i == 0 {
			fmt.Fprintln(d.w)
		}
		if err := tw.WriteDiagnostic(&dd); err != nil {
			fmt.Fprintf(d.w, "%s\n", diag.Error())
		}
	}
}

// load adds a file to the snippet sources when it is missing.
func (d *Diagnostics) load(name string) {
	if _, ok := d.files[name]; ok || name == "" {
		return
	}
	b, err := os.ReadFile(name)
	if err != nil {
		b = nil
	}
	d.files[name] = &hcl.File{Bytes: b}
}
