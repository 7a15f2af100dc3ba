package spec

import (
	"strings"
	"testing"
)

// TestLoadErrors checks that each bad input yields exactly one error, at
// the right place, saying the right thing.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // main.berth.hcl when only "" is set
		where string            // file:line:col of the error
		want  string            // substring of summary + detail
	}{
		{"unknown block", one(`contaner "web" {}`), "main.berth.hcl:1:1", `Did you mean "container"?`},
		{"unknown block lists valid ones", one(`frobnicate {}`), "main.berth.hcl:1:1", "Valid top-level blocks: berth, variable"},
		{"plugin type without resource keyword", one(`acme_dns_record "www" { value = "x" }`), "main.berth.hcl:1:1", `resource "acme_dns_record"`},
		{"unknown plugin type", one(`resource "foo_bar" "x" {}`), "main.berth.hcl:1:10", `No provider serves resource type "foo_bar"`},
		{"top-level attribute", one(`x = 1`), "main.berth.hcl:1:1", "top level"},
		{"unknown attribute", one("container \"web\" {\n  image = \"x\"\n  comand = []\n}"), "main.berth.hcl:3:3", `Did you mean "command"?`},
		{"unknown nested block", one("container \"web\" {\n  image = \"x\"\n  prot {}\n}"), "main.berth.hcl:3:3", `Did you mean "port"?`},
		{"wrong type number", one("container \"web\" {\n  image = \"x\"\n  replicas = \"abc\"\n}"), "main.berth.hcl:3:14", "number required"},
		{"string for list", one("container \"web\" {\n  image = \"x\"\n  command = \"echo hi\"\n}"), "main.berth.hcl:3:13", "list of string required"},
		{"constant function result of wrong type", one("container \"web\" {\n  image = \"x\"\n  replicas = upper(\"a\")\n}"), "main.berth.hcl:3:14", "number required"},
		{"missing required attribute", one(`container "web" {}`), "main.berth.hcl:1:1", `"image" is required`},
		{"missing required in nested block", one("container \"web\" {\n  image = \"x\"\n  port { host = 80 }\n}"), "main.berth.hcl:3:3", `"container" is required`},
		{"computed attribute set", one("container \"web\" {\n  image = \"x\"\n  id = \"abc\"\n}"), "main.berth.hcl:3:3", "computed by the provider"},
		{"two single blocks", one("container \"web\" {\n  image = \"x\"\n  health { command = [] }\n  health { command = [] }\n}"), "main.berth.hcl:4:3", "no more than 1"},
		{"map block without label", one("container \"web\" {\n  image = \"x\"\n  label { value = \"x\" }\n}"), "main.berth.hcl:3:9", "label"},
		{"duplicate resource across files", map[string]string{
			"a.berth.hcl": `container "web" { image = "x" }`,
			"b.berth.hcl": "\n\ncontainer \"web\" { image = \"y\" }",
		}, "b.berth.hcl:3:1", "already declared at " + "%DIR%/a.berth.hcl:1:1"},
		{"duplicate variable", one("variable \"a\" {}\nvariable \"a\" {}"), "main.berth.hcl:2:1", "variable a was already declared"},
		{"duplicate local", one("locals { a = 1 }\nlocals {\n  a = 2\n}"), "main.berth.hcl:3:3", "local value a was already declared"},
		{"duplicate output", one("output \"a\" { value = 1 }\noutput \"a\" { value = 2 }"), "main.berth.hcl:2:1", "output a"},
		{"undeclared resource", one("container \"web\" {\n  image = container.db.id\n}"), "main.berth.hcl:2:11", "container.db is not declared"},
		{"undeclared resource suggestion", one("container \"db\" { image = \"x\" }\ncontainer \"web\" {\n  image = container.bd.id\n}"), "main.berth.hcl:3:11", `Did you mean "container.db"?`},
		{"undeclared variable", one("container \"web\" {\n  image = var.tag\n}"), "main.berth.hcl:2:11", "var.tag is not declared"},
		{"undeclared local", one("output \"x\" {\n  value = local.nope\n}"), "main.berth.hcl:2:11", "local.nope is not declared"},
		{"undeclared module", one("output \"x\" {\n  value = module.app.x\n}"), "main.berth.hcl:2:11", "module.app is not declared"},
		{"undeclared node", one("output \"x\" {\n  value = node.edge.name\n}"), "main.berth.hcl:2:11", "node.edge is not declared"},
		{"unknown reference root", one("output \"x\" {\n  value = contaner.web.id\n}"), "main.berth.hcl:2:11", `Did you mean "container"?`},
		{"bare unknown name", one("output \"x\" {\n  value = foo\n}"), "main.berth.hcl:2:11", "Unknown reference"},
		{"resource keyword in reference", one("output \"x\" {\n  value = resource.acme_dns_record.www\n}"), "main.berth.hcl:2:11", "without the resource keyword"},
		{"count.index outside count", one("container \"web\" {\n  image = \"x-${count.index}\"\n}"), "main.berth.hcl:2:16", "count.index outside"},
		{"each outside for_each", one("container \"web\" {\n  count = 2\n  image = each.key\n}"), "main.berth.hcl:3:11", "outside a for_each"},
		{"count.foo", one("container \"web\" {\n  count = 2\n  image = count.foo\n}"), "main.berth.hcl:3:11", "use count.index"},
		{"depends_on undeclared", one("container \"web\" {\n  image = \"x\"\n  depends_on = [container.db]\n}"), "main.berth.hcl:3:17", "container.db is not declared"},
		{"depends_on a variable", one("variable \"v\" {}\ncontainer \"web\" {\n  image = \"x\"\n  depends_on = [var.v]\n}"), "main.berth.hcl:4:17", "not a resource or module"},
		{"count and for_each", one("container \"web\" {\n  image = \"x\"\n  count = 2\n  for_each = {}\n}"), "main.berth.hcl:4:3", "both count and for_each"},
		{"negative count", one("container \"web\" {\n  image = \"x\"\n  count = -1\n}"), "main.berth.hcl:3:11", "must not be negative"},
		{"fractional count", one("container \"web\" {\n  image = \"x\"\n  count = 1.5\n}"), "main.berth.hcl:3:11", "whole number"},
		{"for_each list", one("container \"web\" {\n  image = \"x\"\n  for_each = [\"a\"]\n}"), "main.berth.hcl:3:14", "toset"},
		{"invalid duration", one("container \"web\" {\n  image = \"x\"\n  timeout = \"5 seconds\"\n}"), "main.berth.hcl:3:13", "not a duration"},
		{"invalid nested duration", one("container \"web\" {\n  image = \"x\"\n  health {\n    command = []\n    interval = \"soon\"\n  }\n}"), "main.berth.hcl:5:16", "not a duration"},
		{"invalid size", one("container \"web\" {\n  image = \"x\"\n  memory = \"12 parsecs\"\n}"), "main.berth.hcl:3:12", "not a size"},
		{"invalid cidr", one("network \"n\" {\n  subnet = \"10.0.0.0/33\"\n}"), "main.berth.hcl:2:12", "CIDR"},
		{"invalid ipv4", one("container \"web\" {\n  image = \"x\"\n  ipv4 = \"10.0.0\"\n}"), "main.berth.hcl:3:10", "IPv4"},
		{"value not in OneOf", one("container \"web\" {\n  image = \"x\"\n  restart = \"sometimes\"\n}"), "main.berth.hcl:3:13", `"no" or "always"`},
		{"dynamic of unknown block", one("container \"web\" {\n  image = \"x\"\n  dynamic \"prot\" {\n    for_each = []\n    content {}\n  }\n}"), "main.berth.hcl:3:11", `Did you mean "port"?`},
		{"dynamic content checked", one("container \"web\" {\n  image = \"x\"\n  dynamic \"port\" {\n    for_each = [1]\n    content {\n      container = \"abc\"\n    }\n  }\n}"), "main.berth.hcl:6:19", "number required"},
		{"dynamic without content", one("container \"web\" {\n  image = \"x\"\n  dynamic \"port\" {\n    for_each = [1]\n  }\n}"), "main.berth.hcl:3:3", "content block"},
		{"ignore_changes unknown attribute", one("container \"web\" {\n  image = \"x\"\n  lifecycle {\n    ignore_changes = [envv]\n  }\n}"), "main.berth.hcl:4:23", `Did you mean "env"?`},
		{"lifecycle not literal", one("variable \"v\" {}\ncontainer \"web\" {\n  image = \"x\"\n  lifecycle {\n    prevent_destroy = var.v\n  }\n}"), "main.berth.hcl:5:23", "literal"},
		{"variable default of wrong type", one("variable \"n\" {\n  type = number\n  default = \"abc\"\n}"), "main.berth.hcl:3:13", "not a number"},
		{"variable validation without the variable", one("variable \"n\" {\n  validation {\n    condition = true\n    error_message = \"x\"\n  }\n}"), "main.berth.hcl:3:17", "must refer to var.n"},
		{"output without value", one("output \"x\" {}"), "main.berth.hcl:1:12", "value"},
		{"required_version mismatch", one("berth {\n  required_version = \">= 9.0\"\n}"), "main.berth.hcl:2:22", "this is berth 0.1.0"},
		{"two berth blocks", one("berth {}\nberth {}"), "main.berth.hcl:2:1", "berth block"},
		{"registry refers to resource", one("network \"n\" {}\nberth {\n  registry \"r\" {\n    username = network.n.name\n  }\n}"), "main.berth.hcl:4:16", "only refer to var, local and path"},
		{"node without ssh", one(`node "edge" {}`), "main.berth.hcl:1:1", `"ssh"`},
		{"module source not local", one("module \"app\" {\n  source = \"github.com/x/y\"\n}"), "main.berth.hcl:2:12", "not a local path"},
		{"module count", map[string]string{
			"main.berth.hcl":    "module \"app\" {\n  source = \"./app\"\n  count = 2\n}",
			"app/app.berth.hcl": "locals {}",
		}, "main.berth.hcl:3:3", "not supported yet"},
		{"module input not declared", map[string]string{
			"main.berth.hcl":    "module \"app\" {\n  source = \"./app\"\n  tga = 1\n}",
			"app/app.berth.hcl": "variable \"tag\" {\n  default = 1\n}",
		}, "main.berth.hcl:3:3", `Did you mean "tag"?`},
		{"module required input missing", map[string]string{
			"main.berth.hcl":    "module \"app\" {\n  source = \"./app\"\n}",
			"app/app.berth.hcl": "variable \"tag\" {}",
		}, "main.berth.hcl:1:1", `requires a value for variable "tag"`},
		{"module cycle", map[string]string{
			"main.berth.hcl":    "module \"app\" {\n  source = \"./app\"\n}",
			"app/app.berth.hcl": "module \"up\" {\n  source = \"../\"\n}",
		}, "app.berth.hcl:2:12", "Module cycle"},
		{"module dir empty", map[string]string{
			"main.berth.hcl": "module \"app\" {\n  source = \"./app\"\n}",
			"app/README.md":  "x",
		}, "main.berth.hcl:1:1", "no *.berth.hcl"},
		{"error inside module", map[string]string{
			"main.berth.hcl":    "module \"app\" {\n  source = \"./app\"\n}",
			"app/app.berth.hcl": "container \"c\" {\n  image = var.nope\n}",
		}, "app.berth.hcl:2:11", "var.nope is not declared in module.app"},
		{"berth block in module", map[string]string{
			"main.berth.hcl":    "module \"app\" {\n  source = \"./app\"\n}",
			"app/app.berth.hcl": "berth {}",
		}, "app.berth.hcl:1:1", "root module only"},
		{"empty file", map[string]string{"main.berth.hcl": "container \"x\" { image = \"y\" }", "z.berth.hcl": "\n  \n"}, "z.berth.hcl:1:1", "file is empty; add a block or remove it"},
		{"binary file", map[string]string{"main.berth.hcl": "container \"x\" { image = \"y\" }", "z.berth.hcl": "ab\ncd\x00ef"}, "z.berth.hcl:2:3", "not a text file"},
		{"invalid utf-8", map[string]string{"main.berth.hcl": "# caf\xe9\n"}, "main.berth.hcl:1:6", "not a text file"},
		{"invalid name", one(`container "9lives" { image = "x" }`), "main.berth.hcl:1:11", "not a valid resource name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeDir(t, tc.files)
			_, diags := Load(dir, LoadOptions{Schemas: testLookup})
			errs := errorsOf(diags)
			if len(errs) != 1 {
				t.Fatalf("want exactly one error, got %d:%s", len(errs), diagString(diags))
			}
			d := errs[0]
			if got := where(d); got != tc.where {
				t.Errorf("error at %s, want %s:%s", got, tc.where, diagString(errs))
			}
			want := strings.ReplaceAll(tc.want, "%DIR%", dir)
			if text := d.Summary + ": " + d.Detail; !strings.Contains(text, want) {
				t.Errorf("error %q does not contain %q", text, want)
			}
		})
	}
}

func one(src string) map[string]string { return map[string]string{"main.berth.hcl": src} }
