package schemas_test

import (
	"flag"
	"github.com/berthhq/berth/internal/genpages"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/spec"
)

var update = flag.Bool("update", false, "rewrite the generated language reference in docs/language instead of comparing with it")

// langDocDir is where the generated language reference lives, and
// examplesDir where the example configuration of each page lives
// (EXAMPLE/main.berth.hcl, a whole configuration that loads).
const (
	langDocDir  = "../docs/language"
	examplesDir = "testdata/examples"
)

// TestLanguageReferenceUpToDate renders the language reference from the
// schemas and fails when docs/language differs; with -update it rewrites
// docs/language instead. `go generate ./...` runs it so.
func TestLanguageReferenceUpToDate(t *testing.T) {
	pages, err := renderLanguageReference(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := genpages.Write(langDocDir, withNewlines(pages)); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, problem := range genpages.Compare(langDocDir, withNewlines(pages)) {
		t.Errorf("%s\nThe language reference is generated from the schemas package: run `go generate ./...` and commit docs/language.", problem)
	}
}

// TestLanguageExamplesLoad loads every page's example configuration with
// spec.Load, as berth validate does, so that no example in the reference
// is wrong or goes stale when a schema changes.
func TestLanguageExamplesLoad(t *testing.T) {
	for _, p := range referencePages() {
		t.Run(p.file, func(t *testing.T) {
			dir := filepath.Join(examplesDir, p.example())
			if _, err := os.Stat(filepath.Join(dir, "main.berth.hcl")); err != nil {
				t.Fatalf("%s has no example: write %s/main.berth.hcl (%v)", p.file, dir, err)
			}
			_, diags := spec.Load(dir, spec.LoadOptions{})
			for _, d := range diags {
				t.Errorf("%s: %s", dir, d.Error())
			}
		})
	}
}

// TestEverySchemaDescribed fails when an attribute or block the reference
// documents has no description: write one in the schema, where berth
// providers schema -json shows it too.
func TestEverySchemaDescribed(t *testing.T) {
	for _, p := range referencePages() {
		walkBlocks(p.block, p.name, func(path string, b *schemas.Block) {
			if strings.TrimSpace(b.Description) == "" {
				t.Errorf("block %s has no description", path)
			}
			for _, name := range b.AttributeNames() {
				if strings.TrimSpace(b.Attributes[name].Description) == "" {
					t.Errorf("attribute %s.%s has no description", path, name)
				}
			}
		})
	}
}

// walkBlocks calls fn for b and every block nested in it, with its path.
func walkBlocks(b *schemas.Block, path string, fn func(string, *schemas.Block)) {
	fn(path, b)
	for _, name := range b.BlockNames() {
		walkBlocks(&b.Blocks[name].Block, path+"."+name, fn)
	}
}

// refPage is one page of the language reference.
type refPage struct {
	file     string // page file name: container.md
	name     string // the block's keyword: container
	syntax   string // how the block is written: container "NAME" { ... }
	resource bool   // a resource type: takes the meta-arguments
	block    *schemas.Block
}

// example is the folder under testdata/examples holding the page's example.
func (p refPage) example() string { return strings.TrimSuffix(p.file, ".md") }

// resourceOrder is the order of the resource types' pages in the index,
// from what others build on to what builds on them; types not listed
// follow in name order.
var resourceOrder = []string{
	schemas.TypeImage, schemas.TypeNetwork, schemas.TypeVolume,
	schemas.TypeContainer, schemas.TypeDeployment, schemas.TypeData,
}

// referencePages lists the pages: the language's own blocks, then one
// page per built-in resource type, in name order.
func referencePages() []refPage {
	pages := []refPage{
		{file: "berth.md", name: "berth", syntax: "berth { ... }", block: schemas.Berth},
		{file: "variable.md", name: "variable", syntax: `variable "NAME" { ... }`, block: schemas.Variable},
		{file: "output.md", name: "output", syntax: `output "NAME" { ... }`, block: schemas.Output},
		{file: "module.md", name: "module", syntax: `module "NAME" { source = "./DIR" ... }`, block: schemas.ModuleCall},
		{file: "node.md", name: "node", syntax: `node "NAME" { ... }`, block: schemas.Node},
		{file: "meta-arguments.md", name: "meta-arguments", syntax: `TYPE "NAME" { count = N ... lifecycle { ... } }`, block: schemas.ResourceMeta},
	}
	builtin := schemas.Builtin()
	types := slices.DeleteFunc(slices.Sorted(maps.Keys(builtin)), func(t string) bool { return slices.Contains(resourceOrder, t) })
	for _, typ := range append(slices.Clone(resourceOrder), types...) {
		pages = append(pages, refPage{
			file: typ + ".md", name: typ, syntax: typ + ` "NAME" { ... }`,
			resource: true, block: &builtin[typ].Block,
		})
	}
	return pages
}

// withNewlines ends every page with a newline, as the files are written.
func withNewlines(pages map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(pages))
	for name, data := range pages {
		out[name] = append(slices.Clone(data), '\n')
	}
	return out
}
