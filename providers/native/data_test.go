package native

import (
	"strings"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/google/uuid"
	"github.com/zclconf/go-cty/cty"
)

func dataConfig(t *testing.T, input, triggers cty.Value) cty.Value {
	return cfg(t, "berth_data", map[string]cty.Value{"name": str("d"), "input": input, "triggers_replace": triggers})
}

func apply(t *testing.T, p providers.Provider, typ string, prior, planned, config cty.Value) cty.Value {
	t.Helper()
	resp := p.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: typ, Prior: prior, Planned: planned, Config: config})
	if err := resp.Diagnostics.Err(); err != nil {
		t.Fatalf("apply %s: %v", typ, err)
	}
	return resp.New
}

// TestDataLifecycle runs berth_data through create, no-op, update,
// replace and delete, the way the engine would.
func TestDataLifecycle(t *testing.T) {
	var p providers.Provider = New()
	none := cty.NullVal(implied("berth_data"))
	nullDyn := cty.NullVal(cty.DynamicPseudoType)

	// Create.
	c1 := dataConfig(t, cty.ObjectVal(map[string]cty.Value{"a": num(1)}), nullDyn)
	pl := plan(t, p, "berth_data", none, c1)
	if pl.Planned.GetAttr("id").IsKnown() || !pl.Planned.GetAttr("output").RawEquals(c1.GetAttr("input")) {
		t.Fatalf("create plan = %#v", pl.Planned)
	}
	s1 := apply(t, p, "berth_data", none, pl.Planned, c1)
	if _, err := uuid.Parse(s1.GetAttr("id").AsString()); err != nil {
		t.Errorf("id %q is not a uuid", s1.GetAttr("id").AsString())
	}
	if !s1.GetAttr("output").RawEquals(c1.GetAttr("input")) {
		t.Errorf("output = %#v", s1.GetAttr("output"))
	}

	// Same configuration: nothing changes.
	pl = plan(t, p, "berth_data", s1, c1)
	if d := providers.DiffPaths(s1, pl.Planned); d != nil || pl.RequiresReplace != nil {
		t.Errorf("no-op plan differs at %q, replace %q", paths(d), paths(pl.RequiresReplace))
	}

	// New input: update in place, output follows, id stays.
	c2 := dataConfig(t, str("two"), nullDyn)
	pl = plan(t, p, "berth_data", s1, c2)
	if pl.RequiresReplace != nil || !pl.Planned.GetAttr("output").RawEquals(str("two")) {
		t.Fatalf("update plan = %#v, replace %q", pl.Planned, paths(pl.RequiresReplace))
	}
	s2 := apply(t, p, "berth_data", s1, pl.Planned, c2)
	if !s2.GetAttr("id").RawEquals(s1.GetAttr("id")) || !s2.GetAttr("output").RawEquals(str("two")) {
		t.Errorf("after update: %#v", s2)
	}

	// New triggers: replace, planned as a create.
	c3 := dataConfig(t, str("two"), num(1))
	pl = plan(t, p, "berth_data", s2, c3)
	if got := paths(pl.RequiresReplace); len(got) != 1 || got[0] != "triggers_replace" {
		t.Errorf("replace paths = %q", got)
	}
	if pl.Planned.GetAttr("id").IsKnown() {
		t.Error("replacement keeps the old id")
	}

	// Delete.
	if pl := plan(t, p, "berth_data", s2, none); !pl.Planned.IsNull() {
		t.Errorf("delete plan = %#v", pl.Planned)
	}
	if v := apply(t, p, "berth_data", s2, none, none); !v.IsNull() {
		t.Errorf("delete apply = %#v", v)
	}
}

func TestDataUnknownInput(t *testing.T) {
	var p providers.Provider = New()
	c := dataConfig(t, cty.DynamicVal, cty.NullVal(cty.DynamicPseudoType))
	pl := plan(t, p, "berth_data", cty.NullVal(implied("berth_data")), c)
	if pl.Planned.GetAttr("output").IsKnown() {
		t.Error("output known while input is unknown")
	}
	// Apply refuses a value it cannot resolve.
	resp := p.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "berth_data", Prior: cty.NullVal(implied("berth_data")), Planned: pl.Planned})
	if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), "still unknown") {
		t.Errorf("apply error = %v", err)
	}
}

func TestDataReadImport(t *testing.T) {
	var p providers.Provider = New()
	prior := dataConfig(t, str("x"), cty.NullVal(cty.DynamicPseudoType))
	rr := p.ReadResource(ctx, providers.ReadResourceRequest{TypeName: "berth_data", Prior: prior})
	if rr.Diagnostics.HasErrors() || !rr.New.RawEquals(prior) {
		t.Errorf("read = %#v, %v", rr.New, rr.Diagnostics.Err())
	}
	ir := p.ImportResource(ctx, providers.ImportResourceRequest{TypeName: "berth_data", ID: "x"})
	if err := ir.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), "cannot be imported") {
		t.Errorf("import error = %v", err)
	}
}

func TestDataMarks(t *testing.T) {
	var p providers.Provider = New()
	c := dataConfig(t, str("secret").Mark("sensitive"), cty.NullVal(cty.DynamicPseudoType))
	pl := plan(t, p, "berth_data", cty.NullVal(implied("berth_data")), c)
	if !pl.Planned.GetAttr("input").HasMark("sensitive") {
		t.Error("planned input lost its mark")
	}
	planned := withAttrs(pl.Planned, map[string]cty.Value{"name": str("d")})
	v := apply(t, p, "berth_data", cty.NullVal(implied("berth_data")), planned, c)
	if !v.GetAttr("input").HasMark("sensitive") {
		t.Error("applied input lost its mark")
	}
}
