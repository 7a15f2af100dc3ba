package spec

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// fakeData answers references from maps and records what was asked.
type fakeData struct {
	vars, locals, nodes map[string]cty.Value
	resources           map[string]cty.Value // "type.name"
	modules             map[string]cty.Value // module path string
	asked               []string
}

var _ Data = (*fakeData)(nil)

func (f *fakeData) get(m map[string]cty.Value, kind, key string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	f.asked = append(f.asked, kind+"."+key)
	if v, ok := m[key]; ok {
		return v, nil
	}
	return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "no " + kind + " " + key, Subject: rng.Ptr()}}
}

func (f *fakeData) Variable(_ addrs.Module, n string, r hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.get(f.vars, "var", n, r)
}
func (f *fakeData) Local(_ addrs.Module, n string, r hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.get(f.locals, "local", n, r)
}
func (f *fakeData) Resource(a addrs.Resource, r hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.get(f.resources, "resource", a.Type+"."+a.Name, r)
}
func (f *fakeData) ModuleOutputs(m addrs.Module, r hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.get(f.modules, "module", m.String(), r)
}
func (f *fakeData) Node(n string, r hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.get(f.nodes, "node", n, r)
}

func testScope() (*Scope, *fakeData) {
	d := &fakeData{
		vars: map[string]cty.Value{
			"n":      cty.NumberIntVal(3),
			"names":  cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
			"secret": cty.StringVal("hunter2").Mark(SensitiveMark),
			"ports":  cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberIntVal(443)}),
		},
		locals: map[string]cty.Value{"tag": cty.StringVal("1.0")},
		nodes:  map[string]cty.Value{"edge": cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("edge")})},
		resources: map[string]cty.Value{
			"container.db": cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("c0ffee")}),
			"network.n":    cty.ObjectVal(map[string]cty.Value{"id": cty.UnknownVal(cty.String)}),
			"container.web": cty.TupleVal([]cty.Value{
				cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("w0")}),
				cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("w1")}),
			}),
		},
		modules: map[string]cty.Value{"module.app": cty.ObjectVal(map[string]cty.Value{"url": cty.StringVal("http://x")})},
	}
	return &Scope{BaseDir: "/mod", RootDir: "/root", Data: d}, d
}

func parseExpr(t *testing.T, src string) hcl.Expression {
	t.Helper()
	e, diags := hclsyntax.ParseExpression([]byte(src), "expr.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return e
}

func TestEvalExpr(t *testing.T) {
	tests := []struct {
		src  string
		want cty.Value
		ty   cty.Type
	}{
		{`var.n * 2`, cty.NumberIntVal(6), cty.DynamicPseudoType},
		{`"v${local.tag}"`, cty.StringVal("v1.0"), cty.DynamicPseudoType},
		{`container.db.id`, cty.StringVal("c0ffee"), cty.DynamicPseudoType},
		{`container.web[*].id`, cty.TupleVal([]cty.Value{cty.StringVal("w0"), cty.StringVal("w1")}), cty.DynamicPseudoType},
		{`[for s in var.names: upper(s)]`, cty.ListVal([]cty.Value{cty.StringVal("A"), cty.StringVal("B")}), cty.List(cty.String)},
		{`module.app.url`, cty.StringVal("http://x"), cty.String},
		{`node.edge.name`, cty.StringVal("edge"), cty.String},
		{`path.module`, cty.StringVal("/mod"), cty.String},
		{`var.n > 2 ? "big" : "small"`, cty.StringVal("big"), cty.String},
		{`var.n`, cty.StringVal("3"), cty.String},
		{`network.n.id`, cty.UnknownVal(cty.String), cty.String},
		{`length(var.secret)`, cty.NumberIntVal(7).Mark(SensitiveMark), cty.Number},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, _ := testScope()
			got, diags := s.EvalExpr(parseExpr(t, tc.src), tc.ty)
			if diags.HasErrors() {
				t.Fatal(diagString(diags))
			}
			if !got.RawEquals(tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestEvalExprOnlyAsksForReferences(t *testing.T) {
	s, d := testScope()
	if _, diags := s.EvalExpr(parseExpr(t, `"${container.db.id}-${var.n}-${var.n}"`), cty.String); diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if got := strings.Join(d.asked, ","); got != "resource.container.db,var.n" {
		t.Errorf("asked for %s", got)
	}
}

func TestEvalExprErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`var.n + "x"`, "Unsuitable value"},
		{`var.nope`, "no var nope"},
		{`count.index`, "only available in a resource that sets count"},
		{`each.key`, "for_each"},
		{`self.id`, "reserved"},
		{`var.names`, "string required"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, _ := testScope()
			_, diags := s.EvalExpr(parseExpr(t, tc.src), cty.String)
			if !diags.HasErrors() || !strings.Contains(diagString(diags), tc.want) {
				t.Fatalf("want error containing %q, got%s", tc.want, diagString(diags))
			}
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic without range: %s", d.Summary)
				}
			}
		})
	}
}

func TestEvalRepetition(t *testing.T) {
	s, _ := testScope()
	s.Repeat = RepetitionData{CountIndex: cty.NumberIntVal(1)}
	got, diags := s.EvalExpr(parseExpr(t, `"web-${count.index}"`), cty.String)
	if diags.HasErrors() || got.AsString() != "web-1" {
		t.Fatalf("count.index: %#v%s", got, diagString(diags))
	}
	s.Repeat = RepetitionData{EachKey: cty.StringVal("a"), EachValue: cty.NumberIntVal(5)}
	got, diags = s.EvalExpr(parseExpr(t, `"${each.key}=${each.value}"`), cty.String)
	if diags.HasErrors() || got.AsString() != "a=5" {
		t.Fatalf("each: %#v%s", got, diagString(diags))
	}
}

func TestEvalCount(t *testing.T) {
	tests := []struct {
		src  string
		want int
		err  string
	}{
		{`3`, 3, ""},
		{`var.n - 3`, 0, ""},
		{`"2"`, 2, ""},
		{`-1`, 0, "must not be negative"},
		{`1.5`, 0, "whole number"},
		{`null`, 0, "not null"},
		{`network.n.id == "" ? 1 : 2`, 0, "count must be known at plan time; it depends on network.n"},
		{`length(var.secret)`, 0, "sensitive"},
		{`1000000000`, 0, "at most"},
		{`"x"`, 0, "number required"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, _ := testScope()
			n, diags := s.EvalCount(parseExpr(t, tc.src))
			if tc.err == "" {
				if diags.HasErrors() || n != tc.want {
					t.Fatalf("got %d%s", n, diagString(diags))
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diagString(diags), tc.err) {
				t.Fatalf("want error %q, got %d%s", tc.err, n, diagString(diags))
			}
		})
	}
}

func TestEvalForEach(t *testing.T) {
	tests := []struct {
		src  string
		want string // sorted key=value pairs
		err  string
	}{
		{`{a = 1, b = 2}`, "a=1 b=2", ""},
		{`tomap({a = "x"})`, "a=x", ""},
		{`toset(var.names)`, "a=a b=b", ""},
		{`toset([])`, "", ""},
		{`{}`, "", ""},
		{`var.names`, "", "toset"},
		{`toset(var.ports)`, "", "must contain strings"},
		{`null`, "", "not null"},
		{`{(network.n.id) = 1}`, "", "known at plan time"},
		{`toset([network.n.id])`, "", "known at plan time"},
		{`toset([var.secret])`, "", "sensitive"},
		{`"abc"`, "", "map or a set of strings"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, _ := testScope()
			m, diags := s.EvalForEach(parseExpr(t, tc.src))
			if tc.err != "" {
				if !diags.HasErrors() || !strings.Contains(diagString(diags), tc.err) {
					t.Fatalf("want error %q, got %v%s", tc.err, m, diagString(diags))
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diagString(diags))
			}
			var pairs []string
			for _, k := range slices.Sorted(maps.Keys(m)) {
				v := m[k]
				if v.Type() == cty.Number {
					pairs = append(pairs, k+"="+v.AsBigFloat().String())
				} else {
					pairs = append(pairs, k+"="+v.AsString())
				}
			}
			if got := strings.Join(pairs, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReferences(t *testing.T) {
	refs, diags := ReferencesInExpr(parseExpr(t, `[var.a, local.b, module.m.out, node.e.name, count.index, each.value, path.root, container.web[0].id, acme_x.y, [for i in var.l: i]]`))
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	var got []string
	for _, r := range refs {
		got = append(got, fmt.Sprintf("%s:%s", r.Kind, r))
	}
	want := "var:var.a local:local.b module:module.m node:node.e count:count.index each:each.value path:path.root resource:container.web resource:acme_x.y var:var.l"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if r := refs[7]; len(r.Remaining) != 2 || r.Resource(addrs.Module{"m"}).String() != "module.m.container.web" {
		t.Errorf("remaining %#v / %s", r.Remaining, r.Resource(addrs.Module{"m"}))
	}
}
