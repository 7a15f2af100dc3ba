package views

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// box is a container-like schema covering every shape the renderer
// handles: primitives, a map, a list, a sensitive attribute, list and
// single nested blocks.
var box = &schemas.Resource{Type: "box", Block: schemas.Block{
	Attributes: map[string]*schemas.Attribute{
		"id":       {Type: cty.String, Computed: true},
		"name":     {Type: cty.String, Optional: true, Computed: true},
		"image":    {Type: cty.String, Required: true, ForceNew: true},
		"env":      {Type: cty.Map(cty.String), Optional: true},
		"command":  {Type: cty.List(cty.String), Optional: true},
		"password": {Type: cty.String, Optional: true, Sensitive: true},
		"replicas": {Type: cty.Number, Optional: true},
	},
	Blocks: map[string]*schemas.NestedBlock{
		"port": {Nesting: schemas.NestingList, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
			"host":      {Type: cty.Number, Optional: true},
			"container": {Type: cty.Number, Required: true},
		}}},
		"health": {Nesting: schemas.NestingSingle, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
			"command":  {Type: cty.List(cty.String), Optional: true},
			"interval": {Type: cty.String, Optional: true},
		}}},
	},
}}

func strs(ss ...string) cty.Value {
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	if len(vs) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	return cty.ListVal(vs)
}

func env(kv ...string) cty.Value {
	m := map[string]cty.Value{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = cty.StringVal(kv[i+1])
	}
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	return cty.MapVal(m)
}

func port(host, container int64) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"host": cty.NumberIntVal(host), "container": cty.NumberIntVal(container)})
}

// boxVal builds a box value; over replaces attributes of a default one.
func boxVal(over map[string]cty.Value) cty.Value {
	portTy := box.Block.Blocks["port"].Block.ImpliedType()
	attrs := map[string]cty.Value{
		"id":       cty.StringVal("b0c4a1"),
		"name":     cty.StringVal("web"),
		"image":    cty.StringVal("nginx:1.25"),
		"env":      env("A", "1", "B", "2", "C", "3"),
		"command":  strs("nginx", "-g", "daemon off;"),
		"password": cty.NullVal(cty.String),
		"replicas": cty.NumberIntVal(2),
		"port":     cty.ListVal([]cty.Value{port(8080, 80)}),
		"health": cty.ObjectVal(map[string]cty.Value{
			"command": strs("curl", "-f", "http://localhost/"), "interval": cty.StringVal("5s"),
		}),
	}
	for k, v := range over {
		attrs[k] = v
	}
	if attrs["port"].IsNull() {
		attrs["port"] = cty.NullVal(cty.List(portTy))
	}
	return cty.ObjectVal(attrs)
}

func inst(typ, name string, key addrs.Key) addrs.Instance {
	return addrs.Resource{Type: typ, Name: name}.Instance(key)
}

func change(name string, a planner.Action, before, after cty.Value) *planner.ResourceChange {
	return &planner.ResourceChange{Addr: inst("box", name, addrs.Key{}), Provider: "berth", Action: a, Schema: box, Before: before, After: after}
}

var nullBox = cty.NullVal(box.Block.ImpliedType())

func planCases() map[string]*planner.Plan {
	ts := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	created := boxVal(map[string]cty.Value{"id": cty.UnknownVal(cty.String), "password": cty.StringVal("hunter2")})
	updated := change("web", planner.Update, boxVal(nil), boxVal(map[string]cty.Value{
		"env":      env("A", "1", "B", "20", "D", "4"),
		"command":  strs("nginx", "-g", "daemon off;", "-q"),
		"port":     cty.ListVal([]cty.Value{port(8081, 80), port(8443, 443)}),
		"replicas": cty.NumberIntVal(3),
	}))
	replaced := change("web", planner.DeleteThenCreate, boxVal(nil), boxVal(map[string]cty.Value{
		"id": cty.UnknownVal(cty.String), "image": cty.StringVal("nginx:1.27"),
	}))
	replaced.Reason = planner.ReasonReplaceForceNew
	replaced.ReplacePaths = []cty.Path{cty.GetAttrPath("image")}
	deleted := change("old", planner.Delete, boxVal(nil), nullBox)
	deleted.Reason = planner.ReasonDeleteNoConfig
	sensitive := change("db", planner.Update,
		boxVal(map[string]cty.Value{"password": cty.StringVal("a"), "env": env("SECRET", "x", "A", "1")}),
		boxVal(map[string]cty.Value{"password": cty.StringVal("b"), "env": env("SECRET", "y", "A", "2")}))
	sensitive.SensitivePaths = []cty.Path{cty.GetAttrPath("env").Index(cty.StringVal("SECRET"))}
	unknown := change("web", planner.Update, boxVal(nil), boxVal(map[string]cty.Value{
		"command": cty.UnknownVal(cty.List(cty.String)),
		"env":     cty.MapVal(map[string]cty.Value{"A": cty.StringVal("1"), "B": cty.UnknownVal(cty.String), "C": cty.StringVal("3")}),
	}))
	counted := &planner.ResourceChange{Addr: inst("box", "web", addrs.IntKeyOf(2)), Provider: "berth", Action: planner.Delete,
		Reason: planner.ReasonDeleteCountIndex, Schema: box, Before: boxVal(nil), After: nullBox}
	outputs := []*planner.OutputChange{
		{Name: "address", Action: planner.Create, Before: cty.NullVal(cty.String), After: cty.UnknownVal(cty.String)},
		{Name: "port", Action: planner.Update, Before: cty.NumberIntVal(80), After: cty.NumberIntVal(8080)},
		{Name: "token", Action: planner.Update, Before: cty.StringVal("a"), After: cty.StringVal("b"), Sensitive: true},
		{Name: "same", Action: planner.NoOp, Before: cty.True, After: cty.True},
	}
	drift := change("web", planner.Update, boxVal(nil), boxVal(map[string]cty.Value{"replicas": cty.NumberIntVal(1)}))
	rolledBack := change("web", planner.Update, boxVal(nil), boxVal(map[string]cty.Value{"image": cty.StringVal("nginx:1.24")}))
	rolledBack.Reason = planner.ReasonRollback
	return map[string]*planner.Plan{
		"rollback": {Mode: planner.RollbackMode, Rollback: &planner.Rollback{Addr: rolledBack.Addr, Revision: 1, From: 2},
			Changes: []*planner.ResourceChange{rolledBack}, Timestamp: ts},
		"create":    {Changes: []*planner.ResourceChange{change("web", planner.Create, nullBox, created)}, Timestamp: ts},
		"update":    {Changes: []*planner.ResourceChange{updated}, Timestamp: ts},
		"replace":   {Changes: []*planner.ResourceChange{replaced}, Timestamp: ts},
		"delete":    {Changes: []*planner.ResourceChange{deleted, counted}, Timestamp: ts},
		"sensitive": {Changes: []*planner.ResourceChange{sensitive}, Timestamp: ts},
		"unknown":   {Changes: []*planner.ResourceChange{unknown}, Timestamp: ts},
		"outputs":   {Changes: []*planner.ResourceChange{change("web", planner.NoOp, boxVal(nil), boxVal(nil))}, Outputs: outputs, Timestamp: ts},
		"mixed": {Changes: []*planner.ResourceChange{change("new", planner.Create, nullBox, created), updated, deleted},
			Outputs: outputs[:2], Timestamp: ts},
		"nochanges":    {Changes: []*planner.ResourceChange{change("web", planner.NoOp, boxVal(nil), boxVal(nil))}, Timestamp: ts},
		"destroy-none": {Mode: planner.DestroyMode, Timestamp: ts},
		"drift": {Drift: []*planner.ResourceChange{drift}, Changes: []*planner.ResourceChange{
			change("web", planner.Update, boxVal(map[string]cty.Value{"replicas": cty.NumberIntVal(1)}), boxVal(nil))}, Timestamp: ts},
	}
}

func TestWritePlanGolden(t *testing.T) {
	for name, p := range planCases() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WritePlan(&b, p, Colors{}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "plan_"+name+".golden"), b.Bytes())
		})
	}
}

// golden compares got with a golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		var diff bytes.Buffer
		_ = UnifiedDiff(&diff, "want/"+path, "got", want, got)
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, diff.String())
	}
}

// TestDriftOnlyInReportedValues: a change only in what the runtime
// reports (computed-only attributes, as a container's health going from
// starting to healthy) is not shown as a change made outside berth.
func TestDriftOnlyInReportedValues(t *testing.T) {
	observed := change("web", planner.Update, boxVal(nil), boxVal(map[string]cty.Value{"id": cty.StringVal("other")}))
	edited := change("web", planner.Update, boxVal(nil), boxVal(map[string]cty.Value{"replicas": cty.NumberIntVal(1)}))
	gone := change("web", planner.Delete, boxVal(nil), nullBox)
	noop := change("web", planner.NoOp, boxVal(nil), boxVal(nil))
	restore := change("web", planner.Update, boxVal(map[string]cty.Value{"id": cty.StringVal("other")}), boxVal(nil))
	for name, tc := range map[string]struct {
		drift, planned *planner.ResourceChange
		shown          bool
	}{
		"reported value only":              {observed, noop, false},
		"reported value the plan restores": {observed, restore, true},
		"configurable value":               {edited, noop, true},
		"gone":                             {gone, noop, true},
	} {
		t.Run(name, func(t *testing.T) {
			p := &planner.Plan{Drift: []*planner.ResourceChange{tc.drift},
				Changes: []*planner.ResourceChange{tc.planned}}
			var b bytes.Buffer
			if err := WritePlan(&b, p, Colors{}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(b.String(), "Objects have changed outside of berth"); got != tc.shown {
				t.Errorf("drift shown = %v, want %v:\n%s", got, tc.shown, &b)
			}
		})
	}
}
