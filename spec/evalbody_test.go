package spec

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func parseBody(t *testing.T, src string) hcl.Body {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "body.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return f.Body
}

var containerSchema = &testTypes["container"].Block

func TestEvalBodyDefaultsAndShape(t *testing.T) {
	s, _ := testScope()
	val, diags := s.EvalBody(parseBody(t, `image = "web:${local.tag}"`), containerSchema)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if !val.Type().Equals(containerSchema.ImpliedType()) {
		t.Fatalf("type %#v, want %#v", val.Type(), containerSchema.ImpliedType())
	}
	checks := map[string]cty.Value{
		"image":    cty.StringVal("web:1.0"),
		"replicas": cty.NumberIntVal(1),     // default
		"restart":  cty.StringVal("no"),     // default
		"name":     cty.NullVal(cty.String), // optional+computed: no default
		"id":       cty.NullVal(cty.String), // computed only
		"port":     cty.ListValEmpty(containerSchema.Blocks["port"].Block.ImpliedType()),
		"health":   cty.NullVal(containerSchema.Blocks["health"].Block.ImpliedType()),
		"label":    cty.MapValEmpty(containerSchema.Blocks["label"].Block.ImpliedType()),
	}
	for name, want := range checks {
		if got := val.GetAttr(name); !got.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
}

func TestEvalBodyDynamicBlocks(t *testing.T) {
	s, _ := testScope()
	body := parseBody(t, `
image = "x"
dynamic "port" {
  for_each = var.ports
  iterator = p
  content {
    host      = p.value + 8000
    container = p.value
  }
}
dynamic "label" {
  for_each = {a = "1", b = "2"}
  labels   = [label.key]
  content { value = label.value }
}
health {
  command = ["true"]
}`)
	refs, diags := ReferencesInBody(body, containerSchema)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	for _, r := range refs {
		if r.Kind != RefVariable || r.Name != "ports" {
			t.Errorf("unexpected reference %s (iterators are not references)", r)
		}
	}
	val, diags := s.EvalBody(body, containerSchema)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	ports := val.GetAttr("port").AsValueSlice()
	if len(ports) != 2 || !ports[1].GetAttr("host").RawEquals(cty.NumberIntVal(8443)) || ports[0].GetAttr("protocol").AsString() != "tcp" {
		t.Errorf("ports: %#v", ports)
	}
	if l := val.GetAttr("label"); l.LengthInt() != 2 || l.Index(cty.StringVal("b")).GetAttr("value").AsString() != "2" {
		t.Errorf("labels: %#v", l)
	}
	if iv := val.GetAttr("health").GetAttr("interval"); iv.AsString() != "30s" {
		t.Errorf("nested default: %#v", iv)
	}
}

func TestEvalBodyUnknownDynamic(t *testing.T) {
	s, _ := testScope()
	body := parseBody(t, `
image = network.n.id
dynamic "port" {
  for_each = network.n.id == "" ? [] : [1]
  content { container = port.value }
}`)
	val, diags := s.EvalBody(body, containerSchema)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if val.GetAttr("image").IsKnown() || val.GetAttr("port").IsKnown() {
		t.Errorf("want unknown image and ports: %#v", val)
	}
	if !val.GetAttr("restart").IsKnown() {
		t.Error("other attributes should stay known")
	}
}

func TestEvalBodySensitivePaths(t *testing.T) {
	s, _ := testScope()
	val, paths, diags := s.EvalBodyWithMarks(parseBody(t, `
image = "x"
env   = { PW = var.secret, OTHER = "plain" }`), containerSchema)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if val.ContainsMarked() {
		t.Error("value must be unmarked")
	}
	if len(paths) != 1 {
		t.Fatalf("paths: %#v", paths)
	}
	want := cty.GetAttrPath("env").Index(cty.StringVal("PW"))
	if !paths[0].Equals(want) {
		t.Errorf("path %#v, want %#v", paths[0], want)
	}
	if got := val.GetAttr("env").Index(cty.StringVal("PW")).AsString(); got != "hunter2" {
		t.Errorf("env.PW = %q", got)
	}
}

func TestEvalBodyErrors(t *testing.T) {
	tests := []struct {
		name, src, where, want string
	}{
		{"format of a computed value", `image = "x"
timeout = "${var.n} seconds"`, "body.hcl:2:11", "not a duration"},
		{"format in a dynamic block", `image = "x"
dynamic "port" {
  for_each = ["tcp", var.names[0]]
  content {
    container = 1
    protocol  = port.value
  }
}`, "body.hcl:6:17", `"tcp" or "udp"`},
		{"size from a variable", `image = "x"
memory = "${var.n}parsecs"`, "body.hcl:2:10", "not a size"},
		{"required null", `image = var.n > 1 ? null : "x"`, "body.hcl:1:9", "cannot be null"},
		{"wrong type", `image = var.names`, "body.hcl:1:9", "string required"},
		{"missing required", `replicas = 1`, "body.hcl:1:1", "image"},
		{"label map block format", `image = "x"
label "a" { value = var.names }`, "body.hcl:2:21", "string required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := testScope()
			_, diags := s.EvalBody(parseBody(t, tc.src), containerSchema)
			errs := errorsOf(diags)
			if len(errs) != 1 {
				t.Fatalf("want one error:%s", diagString(diags))
			}
			if where(errs[0]) != tc.where || !strings.Contains(errs[0].Summary+errs[0].Detail, tc.want) {
				t.Errorf("got%s\nwant %s %q", diagString(errs), tc.where, tc.want)
			}
		})
	}
}

func TestEvalBodyOfLoadedResource(t *testing.T) {
	cfg := mustLoad(t, `
variable "n" { default = 2 }
container "web" {
  count      = var.n
  image      = "web-${count.index}"
  depends_on = [network.n]
  lifecycle { prevent_destroy = true }
}
network "n" {}`)
	r := cfg.Resources["container.web"]
	s, _ := testScope()
	s.Repeat = RepetitionData{CountIndex: cty.NumberIntVal(1)}
	n, diags := s.EvalCount(r.Count)
	if diags.HasErrors() || n != 3 {
		t.Fatalf("count %d%s", n, diagString(diags))
	}
	val, diags := s.EvalBody(r.Body, &r.Schema.Block)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if got := val.GetAttr("image").AsString(); got != "web-1" {
		t.Errorf("image = %q", got)
	}
}

// The references Load collects while validating must be those
// ReferencesInBody finds.
func TestCollectedReferencesMatch(t *testing.T) {
	cfg := mustLoad(t, `
variable "ports" { default = [] }
variable "labels" { default = {} }
locals { proto = "tcp" }
container "web" {
  image = "x-${local.proto}"
  dynamic "port" {
    for_each = var.ports
    iterator = p
    content {
      host      = p.value
      container = p.key + length(var.ports)
      protocol  = local.proto
    }
  }
  dynamic "label" {
    for_each = var.labels
    labels   = [label.key, local.proto]
    content { value = "${label.value}${path.module}" }
  }
  health {
    command = [for c in var.ports: tostring(c)]
  }
}`)
	r := cfg.Resources["container.web"]
	fromWalk, diags := ReferencesInBody(r.Body, &r.Schema.Block)
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	fromLoad, _ := referencesIn(r.bodyRefs)
	str := func(refs []*Reference) string {
		var out []string
		for _, r := range refs {
			out = append(out, r.String())
		}
		sortStrings(out)
		return strings.Join(out, " ")
	}
	if a, b := str(fromLoad), str(fromWalk); a != b || a == "" {
		t.Errorf("load collected %q\nReferencesInBody  %q", a, b)
	}
}
