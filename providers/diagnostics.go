package providers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Severity of a diagnostic.
type Severity byte

const (
	Error   Severity = 'E'
	Warning Severity = 'W'
)

// Diagnostic is a provider's report: what went wrong, in detail, and the
// attribute it concerns (empty Attribute: the resource as a whole).
type Diagnostic struct {
	Severity  Severity
	Summary   string
	Detail    string
	Attribute cty.Path
}

// Diagnostics is a list of diagnostics, in the order found.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errorf appends an error diagnostic.
func (ds Diagnostics) Errorf(format string, args ...any) Diagnostics {
	return append(ds, Diagnostic{Severity: Error, Summary: fmt.Sprintf(format, args...)})
}

// AttributeError appends an error about one attribute.
func (ds Diagnostics) AttributeError(path cty.Path, summary, detail string) Diagnostics {
	return append(ds, Diagnostic{Severity: Error, Summary: summary, Detail: detail, Attribute: path})
}

// FromError appends err as an error diagnostic; nil adds nothing.
func (ds Diagnostics) FromError(err error) Diagnostics {
	if err == nil {
		return ds
	}
	return append(ds, Diagnostic{Severity: Error, Summary: err.Error()})
}

// Err joins the error diagnostics into one error, or nil.
func (ds Diagnostics) Err() error {
	var errs []error
	for _, d := range ds {
		if d.Severity != Error {
			continue
		}
		msg := d.Summary
		if len(d.Attribute) > 0 {
			msg = FormatPath(d.Attribute) + ": " + msg
		}
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		errs = append(errs, errors.New(msg))
	}
	return errors.Join(errs...)
}

// FormatPath renders a cty path the way users write it: env["A"], port[0].host.
func FormatPath(p cty.Path) string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case cty.GetAttrStep:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case cty.IndexStep:
			switch s.Key.Type() {
			case cty.Number:
				bf := s.Key.AsBigFloat()
				b.WriteString("[" + bf.Text('f', -1) + "]")
			case cty.String:
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			default:
				b.WriteString("[?]")
			}
		}
	}
	return b.String()
}
