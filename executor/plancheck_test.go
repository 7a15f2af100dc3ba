package executor_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/providertest"
	"github.com/zclconf/go-cty/cty"
)

// checkingProvider is providertest's provider with a plan check that
// says: a thing whose value is "taken" cannot have it, and b waits for a.
type checkingProvider struct {
	*providertest.Provider
	seen []providers.PlannedChange
}

func (p *checkingProvider) CheckPlan(_ context.Context, req providers.CheckPlanRequest) providers.CheckPlanResponse {
	p.seen = req.Changes
	var resp providers.CheckPlanResponse
	for _, c := range req.Changes {
		if v := c.Planned.GetAttr("value"); v.IsKnown() && !v.IsNull() && v.AsString() == "taken" {
			resp.Diagnostics = append(resp.Diagnostics, providers.ChangeDiagnostic{Addr: c.Addr, Diagnostic: providers.Diagnostic{
				Severity: providers.Error, Summary: "value is taken", Attribute: cty.GetAttrPath("value")}})
		}
	}
	resp.Waits = []providers.Wait{{Addr: "test_thing.b", For: "test_thing.a"}}
	return resp
}

// TestPlanCheck: the planner hands a checking provider every change of
// the plan, sets WaitsFor from its answer, and reports each of its
// diagnostics at the attribute it names.
func TestPlanCheck(t *testing.T) {
	e := newEngine(t)
	cp := &checkingProvider{Provider: e.prov}
	e.reg = providers.NewRegistry()
	if err := e.reg.Register(context.Background(), cp); err != nil {
		t.Fatal(err)
	}
	e.config(`resource "test_thing" "a" { value = "x" }
resource "test_thing" "b" { value = "y" }
`)
	p := e.plan()
	if len(cp.seen) != 2 {
		t.Fatalf("CheckPlan saw %d changes, want 2", len(cp.seen))
	}
	if w := change(t, p, "test_thing.b").WaitsFor; len(w) != 1 || w[0].String() != "test_thing.a" {
		t.Errorf("test_thing.b waits for %v, want test_thing.a", w)
	}
	e.config(`resource "test_thing" "a" {
  value = "taken"
}
resource "test_thing" "b" {
  value = "taken"
}
`)
	diags := e.planErr()
	var got []string
	for _, d := range diags {
		if d.Subject != nil {
			got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
		}
	}
	want := "main.berth.hcl:2:11 test_thing.a: value: value is taken\nmain.berth.hcl:5:11 test_thing.b: value: value is taken"
	if strings.Join(got, "\n") != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
