package state

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/zclconf/go-cty/cty"
)

const stateSchemaID = "https://berth.dev/schemas/state.schema.json"

func compileStateSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemas.StateJSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(stateSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(stateSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateJSON(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// TestWrittenStateMatchesSchema validates files Store.Write really wrote:
// outputs of several types, nested modules, count and for_each keys,
// nodes, private data, an empty state.
func TestWrittenStateMatchesSchema(t *testing.T) {
	sch := compileStateSchema(t)
	tuple, _ := OutputOf(cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1), cty.NullVal(cty.Bool)}), false)
	set, _ := OutputOf(cty.SetVal([]cty.Value{cty.StringVal("a")}), false)
	null, _ := OutputOf(cty.NullVal(cty.DynamicPseudoType), false)
	withOutputs := sampleState(t)
	withOutputs.Outputs["tuple"], withOutputs.Outputs["set"], withOutputs.Outputs["null"] = tuple, set, null

	states := map[string]*State{
		"empty":    New(),
		"sample":   withOutputs,
		"big":      bigState(t, 20),
		"for_each": sampleStateForEach(t),
	}
	for name, st := range states {
		t.Run(name, func(t *testing.T) {
			store := Open(filepath.Join(t.TempDir(), "berth.state"))
			if err := store.Write(st); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(store.Path)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, sch, data); err != nil {
				t.Errorf("written state does not match the schema: %v\n%s", err, data)
			}
		})
	}
	goldens, _ := filepath.Glob("testdata/roundtrip/*.out.json")
	for _, g := range append(goldens, "testdata/sample.json") {
		data, _ := os.ReadFile(g)
		if err := validateJSON(t, sch, data); err != nil {
			t.Errorf("%s does not match the schema: %v", g, err)
		}
	}
}

func sampleStateForEach(t *testing.T) *State {
	st := New()
	for _, a := range []string{`module.a.module.b.container.web["x y"]`, `module.a.container.web["\"q\""]`, `container.web["é"]`} {
		st.Set(testResource(t, a))
	}
	return st
}

// TestSchemaRejects makes sure the schema is not vacuous.
func TestSchemaRejects(t *testing.T) {
	sch := compileStateSchema(t)
	for name, doc := range map[string]string{
		"no lineage":         `{"version":1,"serial":0,"berth_version":"","resources":[],"outputs":{}}`,
		"extra field":        `{"version":1,"serial":0,"lineage":"l","berth_version":"","resources":[],"outputs":{},"x":1}`,
		"newer version":      `{"version":2,"serial":0,"lineage":"l","berth_version":"","resources":[],"outputs":{}}`,
		"attributes array":   `{"version":1,"serial":0,"lineage":"l","berth_version":"","resources":[{"address":"container.a","type":"container","name":"a","provider":"berth","schema_version":0,"attributes":[],"sensitive_paths":[],"dependencies":[],"create_before_destroy":false,"tainted":false}],"outputs":{}}`,
		"negative index":     `{"version":1,"serial":0,"lineage":"l","berth_version":"","resources":[{"address":"container.a","type":"container","name":"a","index":-1,"provider":"berth","schema_version":0,"attributes":{},"sensitive_paths":[],"dependencies":[],"create_before_destroy":false,"tainted":false}],"outputs":{}}`,
		"output type bogus":  `{"version":1,"serial":0,"lineage":"l","berth_version":"","resources":[],"outputs":{"o":{"value":1,"type":"integer","sensitive":false}}}`,
		"output no required": `{"version":1,"serial":0,"lineage":"l","berth_version":"","resources":[],"outputs":{"o":{"value":1}}}`,
	} {
		if err := validateJSON(t, sch, []byte(doc)); err == nil {
			t.Errorf("%s: the schema accepted %s", name, doc)
		}
	}
}
