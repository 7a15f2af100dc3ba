package spec

import (
	"slices"
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
)

// TestKeywordSchemasMatchDecoder checks that the schemas package's
// descriptions of the language's own blocks (which the language reference
// is generated from) name exactly the attributes and blocks spec decodes,
// with the same required ones.
func TestKeywordSchemasMatchDecoder(t *testing.T) {
	tests := []struct {
		name    string
		decoder *hcl.BodySchema
		doc     *schemas.Block
	}{
		{"berth", berthBlockSchema, schemas.Berth},
		{"berth.state", stateBlockSchema, &schemas.Berth.Blocks["state"].Block},
		{"berth.runtime", runtimeBlockSchema, schemas.Runtime},
		{"variable", variableSchema, schemas.Variable},
		{"variable.validation", validationSchema, &schemas.Variable.Blocks["validation"].Block},
		{"output", outputSchema, schemas.Output},
		{"resource meta-arguments", resourceMetaSchema, schemas.ResourceMeta},
		{"lifecycle", lifecycleSchema, &schemas.ResourceMeta.Blocks["lifecycle"].Block},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var attrs, required, blocks []string
			for _, a := range tc.decoder.Attributes {
				attrs = append(attrs, a.Name)
				if a.Required {
					required = append(required, a.Name)
				}
			}
			for _, b := range tc.decoder.Blocks {
				blocks = append(blocks, b.Type)
			}
			var docRequired []string
			for _, name := range tc.doc.AttributeNames() {
				if tc.doc.Attributes[name].Required {
					docRequired = append(docRequired, name)
				}
			}
			checkNames(t, "attributes", attrs, tc.doc.AttributeNames())
			checkNames(t, "required attributes", required, docRequired)
			checkNames(t, "blocks", blocks, tc.doc.BlockNames())
		})
	}
}

// checkNames compares two name lists, ignoring order.
func checkNames(t *testing.T, what string, decoded, documented []string) {
	t.Helper()
	slices.Sort(decoded)
	if !slices.Equal(decoded, documented) {
		t.Errorf("%s: spec decodes %v, the schemas package documents %v; change both together", what, decoded, documented)
	}
}
