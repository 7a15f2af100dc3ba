package schemas

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const planSchemaURL = "https://berth.dev/schemas/plan.schema.json"

func compilePlanSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(PlanJSONSchema))
	if err != nil {
		t.Fatalf("plan.schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(planSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(planSchemaURL)
	if err != nil {
		t.Fatalf("compile plan.schema.json: %v", err)
	}
	return sch
}

func loadJSON(t *testing.T, data []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPlanSchemaID(t *testing.T) {
	var top struct {
		ID     string `json:"$id"`
		Schema string `json:"$schema"`
	}
	if err := json.Unmarshal(PlanJSONSchema, &top); err != nil {
		t.Fatal(err)
	}
	if top.ID != planSchemaURL || !strings.Contains(top.Schema, "2020-12") {
		t.Errorf("$id = %q, $schema = %q", top.ID, top.Schema)
	}
}

func TestPlanSchemaValid(t *testing.T) {
	sch := compilePlanSchema(t)
	data, err := os.ReadFile(filepath.Join("testdata", "plan-valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(loadJSON(t, data)); err != nil {
		t.Errorf("sample plan does not validate: %v", err)
	}
}

// TestPlanSchemaInvalid breaks the valid sample one way at a time.
func TestPlanSchemaInvalid(t *testing.T) {
	sch := compilePlanSchema(t)
	data, err := os.ReadFile(filepath.Join("testdata", "plan-valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		old  string
		new  string
	}{
		{"bad action", `"actions": ["delete", "create"]`, `"actions": ["replace"]`},
		{"actions out of order", `"actions": ["no-op"]`, `"actions": ["no-op", "delete"]`},
		{"index negative", `"index": 0,`, `"index": -1,`},
		{"bad reason", `"replace_because_cannot_update"`, `"because"`},
		{"bad timestamp", `"2025-06-01T12:00:00Z"`, `"yesterday"`},
		{"bad format version", `"format_version": "1.0",
  "berth_version"`, `"format_version": "2.0",
  "berth_version"`},
		{"unknown member", `"errored": false`, `"errored": false, "surprise": 1`},
		{"output unknown not bool", `"after_unknown": true,`, `"after_unknown": {},`},
		{"replace path float", `["port", 0, "host"]`, `["port", 0.5, "host"]`},
		{"module address", `"module_address": "module.app"`, `"module_address": "app"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			broken := strings.Replace(string(data), tc.old, tc.new, 1)
			if broken == string(data) {
				t.Fatalf("sample does not contain %q", tc.old)
			}
			if err := sch.Validate(loadJSON(t, []byte(broken))); err == nil {
				t.Error("broken plan validates")
			}
		})
	}
}
