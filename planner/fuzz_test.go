package planner_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/spec"
)

// FuzzReadPlanFile feeds arbitrary bytes to the plan file reader: it must
// return a plan or an error, never panic.
func FuzzReadPlanFile(f *testing.F) {
	reg := registry(f)
	dir := writeConfig(f, 3)
	cfg, diags := spec.Load(dir, spec.LoadOptions{Schemas: reg.Schema})
	if diags.HasErrors() {
		f.Fatal(diags.Error())
	}
	p, diags := planner.MakePlan(context.Background(), planner.Options{Config: cfg, Providers: reg})
	if diags.HasErrors() {
		f.Fatal(diags.Error())
	}
	var buf bytes.Buffer
	if err := planner.WritePlanFile(&buf, p); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"magic":"berth-plan","version":3}`))
	f.Add([]byte(`{"magic":"berth-plan","version":3,"changes":[{"address":"test_thing.x","action":"create","before":"AA=="}]}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := planner.ReadPlanFile(bytes.NewReader(data), reg)
		if err == nil && p == nil {
			t.Fatal("nil plan without an error")
		}
	})
}
