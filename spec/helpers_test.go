package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// testTypes are small schemas shaped like the built-in ones, so that the
// tests do not depend on the details of package schemas.
var testTypes = map[string]*schemas.Resource{
	"container": {Type: "container", Block: schemas.Block{
		Attributes: map[string]*schemas.Attribute{
			"name":     {Type: cty.String, Optional: true, Computed: true},
			"id":       {Type: cty.String, Computed: true},
			"image":    {Type: cty.String, Required: true},
			"command":  {Type: cty.List(cty.String), Optional: true},
			"env":      {Type: cty.Map(cty.String), Optional: true},
			"replicas": {Type: cty.Number, Optional: true, Default: cty.NumberIntVal(1)},
			"restart":  {Type: cty.String, Optional: true, Default: cty.StringVal("no"), OneOf: []string{"no", "always"}},
			"timeout":  {Type: cty.String, Optional: true, Format: "duration"},
			"memory":   {Type: cty.String, Optional: true, Format: "size"},
			"ipv4":     {Type: cty.String, Optional: true, Format: "ipv4"},
		},
		Blocks: map[string]*schemas.NestedBlock{
			"port": {Nesting: schemas.NestingList, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
				"host":      {Type: cty.Number, Optional: true},
				"container": {Type: cty.Number, Required: true},
				"protocol":  {Type: cty.String, Optional: true, Default: cty.StringVal("tcp"), OneOf: []string{"tcp", "udp"}},
			}}},
			"health": {Nesting: schemas.NestingSingle, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
				"command":  {Type: cty.List(cty.String), Required: true},
				"interval": {Type: cty.String, Optional: true, Default: cty.StringVal("30s"), Format: "duration"},
			}}},
			"label": {Nesting: schemas.NestingMap, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
				"value": {Type: cty.String, Required: true},
			}}},
		},
	}},
	"network": {Type: "network", Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
		"name":   {Type: cty.String, Optional: true, Computed: true},
		"id":     {Type: cty.String, Computed: true},
		"subnet": {Type: cty.String, Optional: true, Format: "cidr"},
	}}},
	"acme_dns_record": {Type: "acme_dns_record", Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
		"name":  {Type: cty.String, Optional: true, Computed: true},
		"value": {Type: cty.String, Required: true},
	}}},
}

func testLookup(typ string) (*schemas.Resource, bool) {
	r, ok := testTypes[typ]
	return r, ok
}

// writeDir writes files (name -> content) into a new temporary directory;
// names may contain slashes for module subdirectories.
func writeDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// load writes one main.berth.hcl and loads it with the test schemas.
func load(t testing.TB, src string) (*Config, hcl.Diagnostics) {
	t.Helper()
	dir := writeDir(t, map[string]string{"main.berth.hcl": src})
	return Load(dir, LoadOptions{Schemas: testLookup})
}

// mustLoad is load that fails the test on any error.
func mustLoad(t testing.TB, src string) *Config {
	t.Helper()
	cfg, diags := load(t, src)
	if diags.HasErrors() {
		t.Fatalf("Load: %s", diagString(diags))
	}
	return cfg
}

// where renders a diagnostic's subject as base-name:line:col.
func where(d *hcl.Diagnostic) string {
	if d.Subject == nil {
		return "<no range>"
	}
	return fmt.Sprintf("%s:%d:%d", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column)
}

func diagString(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n  %s: %s: %s", where(d), d.Summary, d.Detail)
	}
	return b.String()
}

// errorsOf returns the error diagnostics.
func errorsOf(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
