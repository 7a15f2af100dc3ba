package spec

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

const varsConfig = `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "n" {
  type = number
  default = 1
  validation {
    condition     = var.n > 0 && var.n < 10
    error_message = "n must be between 1 and 9, not ${var.n}"
  }
}
variable "l" {
  type    = list(string)
  default = []
}
variable "o" {
  type    = object({ x = string, y = optional(number, 5) })
  default = { x = "d" }
}
variable "s" {
  sensitive = true
  default   = "pw"
}
`

func TestVariablePrecedence(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"main.berth.hcl":      varsConfig,
		"berth.auto.vars.hcl": "b = \"auto\"\nc = \"auto\"\nd = \"auto\"\ne = \"auto\"",
		"z.auto.vars.hcl":     "c = \"z-auto\"\nd = \"z-auto\"\ne = \"z-auto\"",
		"one.vars.hcl":        "d = \"file1\"\ne = \"file1\"",
		"two.vars.json":       `{"e": "file2", "l": ["j"]}`,
	})
	cfg, diags := Load(dir, LoadOptions{Schemas: testLookup})
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	vals, diags := CollectVariables(cfg, VarOptions{
		Env: []string{"BERTH_VAR_a=env", "BERTH_VAR_b=env", "BERTH_VAR_undeclared=x", "OTHER=1"},
		Args: []VarArg{
			{Value: "d=cli-before-file"},
			{File: true, Value: filepath.Join(dir, "one.vars.hcl")},
			{Value: "e=cli"},
			{File: true, Value: filepath.Join(dir, "two.vars.json")},
			{Value: "n=3"},
			{Value: `o={x = "cli"}`},
		},
	})
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	want := map[string]string{"a": "env", "b": "auto", "c": "z-auto", "d": "file1", "e": "file2"}
	for name, w := range want {
		if got := vals[name].AsString(); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	if !vals["n"].RawEquals(cty.NumberIntVal(3)) {
		t.Errorf("n = %#v", vals["n"])
	}
	if !vals["l"].RawEquals(cty.ListVal([]cty.Value{cty.StringVal("j")})) {
		t.Errorf("l = %#v", vals["l"])
	}
	if o := vals["o"]; o.GetAttr("x").AsString() != "cli" || !o.GetAttr("y").RawEquals(cty.NumberIntVal(5)) {
		t.Errorf("o = %#v", o)
	}
	if !vals["s"].HasMark(SensitiveMark) {
		t.Error("sensitive variable value is not marked")
	}
	if vals["a"].IsMarked() {
		t.Error("plain variable is marked")
	}
}

func TestCollectVariablesErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []VarArg
		files    map[string]string
		severity hcl.DiagnosticSeverity
		where    string
		want     string
	}{
		{"malformed -var", []VarArg{{Value: "novalue"}}, nil, hcl.DiagError, "<no range>", `invalid -var "novalue": want NAME=VALUE`},
		{"-var without name", []VarArg{{Value: "=x"}}, nil, hcl.DiagError, "<no range>", `invalid -var "=x": want NAME=VALUE`},
		{"-var undeclared", []VarArg{{Value: "nn=1"}}, nil, hcl.DiagError, "<no range>", `Did you mean "n"?`},
		{"var file undeclared", []VarArg{{File: true, Value: "f.vars.hcl"}}, map[string]string{"f.vars.hcl": "\nzz = 1"}, hcl.DiagWarning, "f.vars.hcl:2:1", "declares no variable"},
		{"validation fails from -var", []VarArg{{Value: "n=12"}}, nil, hcl.DiagError, "main.berth.hcl:7:1", "n must be between 1 and 9, not 12"},
		{"validation fails from file", []VarArg{{File: true, Value: "f.vars.hcl"}}, map[string]string{"f.vars.hcl": "n = 0"}, hcl.DiagError, "f.vars.hcl:1:5", "not 0"},
		{"wrong type", []VarArg{{Value: "n=abc"}}, nil, hcl.DiagError, "main.berth.hcl:7:1", "not a number"},
		{"complex value does not parse", []VarArg{{Value: "l=[1,"}}, nil, hcl.DiagError, "main.berth.hcl:15:1", "HCL expression"},
		{"missing var file", []VarArg{{File: true, Value: "nope.vars.hcl"}}, nil, hcl.DiagError, "<no range>", "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"main.berth.hcl": varsConfig}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := writeDir(t, files)
			cfg, diags := Load(dir, LoadOptions{Schemas: testLookup})
			if diags.HasErrors() {
				t.Fatal(diagString(diags))
			}
			args := tc.args
			for i := range args {
				if args[i].File {
					args[i].Value = filepath.Join(dir, args[i].Value)
				}
			}
			_, diags = CollectVariables(cfg, VarOptions{Args: args})
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic:%s", diagString(diags))
			}
			d := diags[0]
			if d.Severity != tc.severity || where(d) != tc.where || !strings.Contains(d.Detail, tc.want) {
				t.Errorf("got%s\nwant %s %q", diagString(diags), tc.where, tc.want)
			}
		})
	}
}

func TestRequiredVariable(t *testing.T) {
	cfg := mustLoad(t, "\nvariable \"token\" {\n  type = string\n}")
	_, diags := CollectVariables(cfg, VarOptions{})
	if len(diags) != 1 || where(diags[0]) != "main.berth.hcl:2:1" ||
		!strings.Contains(diags[0].Detail, "-var token=VALUE") || !strings.Contains(diags[0].Detail, "BERTH_VAR_token") {
		t.Fatalf("got%s", diagString(diags))
	}
	vals, diags := CollectVariables(cfg, VarOptions{Env: []string{"BERTH_VAR_token=t0k"}})
	if diags.HasErrors() || vals["token"].AsString() != "t0k" {
		t.Fatalf("env: %#v%s", vals, diagString(diags))
	}
}

func TestPrepareVariable(t *testing.T) {
	cfg := mustLoad(t, `
variable "strict" {
  type     = string
  nullable = false
  default  = "d"
}
variable "loose" { type = number }
variable "any" {}`)
	strict, loose, anyv := cfg.Variables["strict"], cfg.Variables["loose"], cfg.Variables["any"]
	if v, diags := PrepareVariable(strict, cty.NullVal(cty.String), hcl.Range{}); diags.HasErrors() || v.AsString() != "d" {
		t.Errorf("non-nullable null takes the default: %#v%s", v, diagString(diags))
	}
	if v, diags := PrepareVariable(loose, cty.NullVal(cty.DynamicPseudoType), hcl.Range{}); diags.HasErrors() || !v.IsNull() || v.Type() != cty.Number {
		t.Errorf("nullable null: %#v%s", v, diagString(diags))
	}
	if v, diags := PrepareVariable(loose, cty.UnknownVal(cty.String), hcl.Range{}); diags.HasErrors() || v.IsKnown() {
		t.Errorf("unknown module input: %#v%s", v, diagString(diags))
	}
	if _, diags := PrepareVariable(loose, cty.NilVal, hcl.Range{}); !diags.HasErrors() {
		t.Error("required variable without value: want error")
	}
	if v, diags := PrepareVariable(anyv, cty.NumberIntVal(1), hcl.Range{}); diags.HasErrors() || !v.RawEquals(cty.NumberIntVal(1)) {
		t.Errorf("untyped variable keeps its type: %#v", v)
	}
}

func TestNullDefault(t *testing.T) {
	cfg := mustLoad(t, `variable "x" {
  type    = string
  default = null
}`)
	v := cfg.Variables["x"]
	if v.Default == cty.NilVal || !v.Default.IsNull() {
		t.Fatalf("default = %#v", v.Default)
	}
	vals, diags := CollectVariables(cfg, VarOptions{})
	if diags.HasErrors() || !vals["x"].IsNull() {
		t.Fatalf("%#v%s", vals, diagString(diags))
	}
}
