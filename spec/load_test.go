package spec

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

const fullConfig = `
berth {
  required_version = ">= 0.1"
  state { path = "my.state" }
  runtime { root = var.root }
  registry "10.0.0.5:5000" {
    insecure = true
    password = var.pw
  }
  required_providers {
    acme = { source = "acme/acme", version = ">= 1.0" }
  }
}

variable "root" { default = "/var/lib/berth" }
variable "pw" {
  type      = string
  sensitive = true
}
variable "replicas" {
  type        = number
  default     = 2
  description = "web replicas"
  nullable    = false
  validation {
    condition     = var.replicas > 0
    error_message = "replicas must be positive"
  }
}
variable "obj" {
  type    = object({ a = string, b = optional(number, 7) })
  default = { a = "x" }
}

locals { tag = "1.4.2" }
locals { image = "web:${local.tag}" }

node "edge1" {
  ssh { host = "203.0.113.10" }
}

container "web" {
  count = var.replicas
  image = local.image
  env   = { PW = var.pw, IDX = "${count.index}" }
  dynamic "port" {
    for_each = [80, 443]
    iterator = p
    content {
      host      = p.value
      container = p.value
    }
  }
  depends_on = [network.back]
  lifecycle {
    create_before_destroy = true
    prevent_destroy       = false
    ignore_changes        = [env, port[0].host]
  }
}

network "back" {}

resource "acme_dns_record" "www" {
  for_each = toset(["a", "b"])
  value    = "${each.key}.example.com ${node.edge1.name}"
  lifecycle { ignore_changes = all }
}

resource "container" "other" {
  image = container.web[0].id
  provider = acme.west
}

output "ids" {
  value       = container.web[*].id
  description = "ids"
  sensitive   = true
  depends_on  = [resource_placeholder.x]
}
`

func TestLoadFull(t *testing.T) {
	src := strings.Replace(fullConfig, "depends_on  = [resource_placeholder.x]", "depends_on  = [acme_dns_record.www]", 1)
	cfg := mustLoad(t, src)

	b := cfg.Berth
	if b == nil || b.RequiredVersion != ">= 0.1" || b.StatePath != "my.state" || b.RuntimeRoot == nil {
		t.Fatalf("berth block: %+v", b)
	}
	if len(b.Registries) != 1 || b.Registries[0].Host != "10.0.0.5:5000" {
		t.Errorf("registries: %+v", b.Registries)
	}
	if p := b.RequiredProviders["acme"]; p == nil || p.Source != "acme/acme" || p.Version != ">= 1.0" {
		t.Errorf("required_providers: %+v", p)
	}

	if v := cfg.Variables["pw"]; !v.Sensitive || v.Type != cty.String || v.Default != cty.NilVal {
		t.Errorf("pw: %+v", v)
	}
	r := cfg.Variables["replicas"]
	if r.Nullable || r.Description != "web replicas" || len(r.Validations) != 1 || !r.Default.RawEquals(cty.NumberIntVal(2)) {
		t.Errorf("replicas: %+v", r)
	}
	if got := cfg.Variables["obj"].Default.GetAttr("b"); !got.RawEquals(cty.NumberIntVal(7)) {
		t.Errorf("obj default with optional attribute default: b = %#v", got)
	}
	if !cfg.Variables["root"].Nullable {
		t.Error("nullable should default to true")
	}
	if len(cfg.Locals) != 2 || len(cfg.Nodes) != 1 || len(cfg.Outputs) != 1 {
		t.Errorf("locals %d nodes %d outputs %d", len(cfg.Locals), len(cfg.Nodes), len(cfg.Outputs))
	}

	web := cfg.Resources["container.web"]
	if web == nil || web.Count == nil || web.ForEach != nil || len(web.DependsOn) != 1 {
		t.Fatalf("container.web: %+v", web)
	}
	lc := web.Lifecycle
	if !lc.CreateBeforeDestroy || lc.PreventDestroy || len(lc.IgnoreChanges) != 2 || lc.IgnoreAllChanges {
		t.Errorf("lifecycle: %+v", lc)
	}
	if _, ok := lc.IgnoreChanges[0][0].(hcl.TraverseAttr); !ok {
		t.Errorf("ignore_changes should be relative traversals, got %#v", lc.IgnoreChanges[0])
	}
	dns := cfg.Resources["acme_dns_record.www"]
	if dns == nil || dns.ForEach == nil || !dns.Lifecycle.IgnoreAllChanges || dns.Addr.String() != "acme_dns_record.www" {
		t.Errorf("acme_dns_record.www: %+v", dns)
	}
	if o := cfg.Resources["container.other"]; o == nil || o.Provider != "acme.west" {
		t.Errorf("resource \"container\" form: %+v", o)
	}
	if o := cfg.Outputs["ids"]; !o.Sensitive || o.Description != "ids" || len(o.DependsOn) != 1 {
		t.Errorf("output: %+v", o)
	}
	if len(cfg.Sources) != 1 || len(cfg.Hash) != 64 {
		t.Errorf("sources %d hash %q", len(cfg.Sources), cfg.Hash)
	}
}

func TestLoadMergesFilesAndJSON(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"a.berth.hcl":  `container "web" { image = var.img }`,
		"b.berth.json": `{"variable": {"img": {"default": "nginx"}}, "network": {"n": {"subnet": "10.0.0.0/24"}}}`,
		"notes.hcl":    `this is not read`,
	})
	cfg, diags := Load(dir, LoadOptions{Schemas: testLookup})
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if cfg.Resources["container.web"] == nil || cfg.Resources["network.n"] == nil || cfg.Variables["img"] == nil {
		t.Errorf("merged config misses blocks: %v %v", slices.Sorted(maps.Keys(cfg.Resources)), slices.Sorted(maps.Keys(cfg.Variables)))
	}
	if len(cfg.Sources) != 2 {
		t.Errorf("sources: %v", slices.Sorted(maps.Keys(cfg.Sources)))
	}
}

func TestLoadJSONErrors(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"a.berth.json": `{"container": {"web": {"image": "x", "replicas": "abc"}}}`,
	})
	_, diags := Load(dir, LoadOptions{Schemas: testLookup})
	if errs := errorsOf(diags); len(errs) != 1 || !strings.Contains(errs[0].Detail, "number required") {
		t.Fatalf("want one type error:%s", diagString(diags))
	}
}

func TestLoadEmptyDir(t *testing.T) {
	dir := t.TempDir()
	cfg, diags := Load(dir, LoadOptions{Schemas: testLookup})
	if cfg != nil || len(diags) != 1 || !strings.Contains(diags[0].Detail, "has no *.berth.hcl") {
		t.Fatalf("empty dir: cfg %v%s", cfg, diagString(diags))
	}
	_, diags = Load(filepath.Join(dir, "missing"), LoadOptions{})
	if !diags.HasErrors() {
		t.Fatal("missing dir: want an error")
	}
}

func TestLoadNameNotRequired(t *testing.T) {
	// name defaults to the block label, so even a schema that marks the
	// top-level name required does not demand it.
	strict := &schemas.Resource{Type: "volume", Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
		"name": {Type: cty.String, Required: true},
	}}}
	lookup := func(typ string) (*schemas.Resource, bool) { return strict, typ == "volume" }
	dir := writeDir(t, map[string]string{"main.berth.hcl": `volume "v" {}`})
	cfg, diags := Load(dir, LoadOptions{Schemas: lookup})
	if diags.HasErrors() || cfg.Resources["volume.v"] == nil {
		t.Fatalf("load:%s", diagString(diags))
	}
	r := cfg.Resources["volume.v"]
	if _, diags := (&Scope{}).EvalBody(r.Body, &r.Schema.Block); diags.HasErrors() {
		t.Fatalf("eval:%s", diagString(diags))
	}
}

func TestLoadModules(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"main.berth.hcl": `
module "app" {
  source     = "./modules/app"
  tag        = "1.0"
  depends_on = [network.n]
}
network "n" {}
output "img" { value = module.app.image }`,
		"modules/app/app.berth.hcl": `
variable "tag" {}
variable "opt" { default = 1 }
module "inner" {
  source = "../inner"
}
container "c" { image = "web:${var.tag}" }
output "image" { value = container.c.image }`,
		"modules/inner/x.berth.hcl": `output "x" { value = path.module }`,
	})
	cfg, diags := Load(dir, LoadOptions{Schemas: testLookup})
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	app := cfg.Children["app"]
	if app == nil || app.Path.String() != "module.app" || app.Resources["container.c"] == nil {
		t.Fatalf("child app: %+v", app)
	}
	inner := app.Children["inner"]
	if inner == nil || inner.Path.String() != "module.app.module.inner" {
		t.Fatalf("grandchild: %+v", inner)
	}
	if got := app.Resources["container.c"].Addr.String(); got != "module.app.container.c" {
		t.Errorf("address %s", got)
	}
	if inner.Hash != cfg.Hash || len(cfg.Sources) != 3 || len(inner.Sources) != 3 {
		t.Errorf("hash/sources not shared: %d sources", len(cfg.Sources))
	}
	mc := cfg.ModuleCalls["app"]
	if mc.Source != "./modules/app" || mc.Inputs["tag"] == nil || len(mc.Inputs) != 1 || len(mc.DependsOn) != 1 {
		t.Errorf("module call: %+v", mc)
	}
}

func TestHashChangesWithContent(t *testing.T) {
	files := map[string]string{"main.berth.hcl": `network "n" {}`, "sub/x.berth.hcl": `locals {}`}
	dir := writeDir(t, files)
	a, _ := Load(dir, LoadOptions{Schemas: testLookup})
	b, _ := Load(dir, LoadOptions{Schemas: testLookup})
	if a.Hash != b.Hash {
		t.Fatal("hash not stable")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.berth.hcl"), []byte(`network "m" {}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ := Load(dir, LoadOptions{Schemas: testLookup})
	if c.Hash == a.Hash {
		t.Fatal("hash did not change with content")
	}
}

func TestLoadBuiltinSchemas(t *testing.T) {
	// The default lookup is package schemas' built-in types.
	dir := writeDir(t, map[string]string{"main.berth.hcl": `
image "web" { ref = "nginx:1" }
volume "data" {}
network "back" { subnet = "10.89.0.0/24" }
container "web" {
  image = image.web.id
  network { name = network.back.name }
  mount {
    type   = "volume"
    source = volume.data.name
    target = "/data"
  }
}
deployment "api" {
  replicas = 2
  template { image = image.web.id }
}`})
	cfg, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if len(cfg.Resources) != 5 {
		t.Errorf("resources: %v", slices.Sorted(maps.Keys(cfg.Resources)))
	}
}
