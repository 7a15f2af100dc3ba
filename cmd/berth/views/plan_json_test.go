package views

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func planSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemas.PlanJSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("plan.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPlanJSONMatchesSchema(t *testing.T) {
	s := planSchema(t)
	for name, p := range planCases() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WritePlanJSON(&b, p, "0.1.0"); err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(inst); err != nil {
				t.Errorf("%s\ndocument: %s", err, b.String())
			}
		})
	}
}

func TestPlanJSONContent(t *testing.T) {
	var b bytes.Buffer
	if err := WritePlanJSON(&b, planCases()["unknown"], "0.1.0"); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/plan_unknown.json", b.Bytes())
	var doc struct {
		ResourceChanges []struct {
			Change struct {
				Actions      []string       `json:"actions"`
				After        map[string]any `json:"after"`
				AfterUnknown map[string]any `json:"after_unknown"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.ResourceChanges[0].Change
	if c.Actions[0] != "update" {
		t.Errorf("actions = %v", c.Actions)
	}
	if c.After["command"] != nil || c.AfterUnknown["command"] != true {
		t.Errorf("unknown command: after %v, after_unknown %v", c.After["command"], c.AfterUnknown["command"])
	}
	env := c.AfterUnknown["env"].(map[string]any)
	if env["B"] != true || len(env) != 1 {
		t.Errorf("after_unknown.env = %v, want only B", env)
	}
}

func TestPlanJSONSensitive(t *testing.T) {
	var b bytes.Buffer
	if err := WritePlanJSON(&b, planCases()["sensitive"], "0.1.0"); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/plan_sensitive.json", b.Bytes())
}
