package spec

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// EnvVarPrefix prefixes environment variables that set root variables.
const EnvVarPrefix = "BERTH_VAR_"

// AutoVarsFile is read first of the variable files found in the
// configuration directory; every other *.auto.vars.hcl follows by name.
const AutoVarsFile = "berth.auto.vars.hcl"

// varValue is one source's value for a variable.
type varValue struct {
	val cty.Value
	rng hcl.Range // zero when the value has no source file
}

// CollectVariables gathers the root module's variable values, from lowest
// to highest precedence: defaults, BERTH_VAR_<name> environment variables,
// berth.auto.vars.hcl and the other *.auto.vars.hcl (and .json) files of
// the configuration directory by name, then -var and -var-file in
// command-line order. Every value goes through PrepareVariable, so the
// map holds converted, validated values, marked when sensitive. Variable
// files are added to cfg.Sources for diagnostic snippets.
func CollectVariables(cfg *Config, opts VarOptions) (map[string]cty.Value, hcl.Diagnostics) {
	c := &collector{cfg: cfg, values: map[string]varValue{}, parser: hclparse.NewParser()}
	c.fromEnv(opts.Env)
	for _, f := range autoVarFiles(cfg.Dir) {
		c.fromFile(f)
	}
	for _, a := range opts.Args {
		if a.File {
			c.fromFile(a.Value)
		} else {
			c.fromArg(a.Value)
		}
	}
	if cfg.Sources != nil {
		for name, src := range c.parser.Sources() {
			cfg.Sources[name] = src
		}
	}
	out := make(map[string]cty.Value, len(cfg.Variables))
	for _, name := range slices.Sorted(maps.Keys(cfg.Variables)) {
		v := cfg.Variables[name]
		given, ok := c.values[name]
		if !ok && v.Default == cty.NilVal {
			c.diags = append(c.diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail: fmt.Sprintf("The variable %q has no default, so it needs a value: use -var %s=VALUE, a -var-file, %s, or the %s%s environment variable.",
					name, name, AutoVarsFile, EnvVarPrefix, name),
				Subject: v.DeclRange.Ptr(),
			})
			continue
		}
		val, rng := v.Default, v.DeclRange
		if ok {
			val, rng = given.val, given.rng
		}
		prepared, d := PrepareVariable(v, val, rng)
		c.diags = append(c.diags, d...)
		out[name] = prepared
	}
	return out, c.diags
}

type collector struct {
	cfg    *Config
	values map[string]varValue
	parser *hclparse.Parser
	diags  hcl.Diagnostics
}

func (c *collector) fromEnv(env []string) {
	for _, kv := range env {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvVarPrefix) {
			continue
		}
		name := strings.TrimPrefix(k, EnvVarPrefix)
		if v := c.cfg.Variables[name]; v != nil {
			c.fromString(v, val, "environment variable "+k)
		}
	}
}

func (c *collector) fromArg(arg string) {
	name, val, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		c.diags = append(c.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid -var option",
			Detail:   fmt.Sprintf("invalid -var %q: want NAME=VALUE, for example -var replicas=3.", arg),
		})
		return
	}
	v := c.cfg.Variables[name]
	if v == nil {
		c.diags = append(c.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value for undeclared variable",
			Detail: fmt.Sprintf("-var %s: the root module declares no variable %q.%s To use it, declare it with variable %q {}.",
				name, name, didYouMean(name, slices.Sorted(maps.Keys(c.cfg.Variables))), name),
		})
		return
	}
	c.fromString(v, val, "-var "+name)
}

// fromString sets a variable from a command-line or environment string:
// literally for primitive (and untyped) variables, else parsed as an HCL
// expression.
func (c *collector) fromString(v *Variable, s, source string) {
	if v.Type.IsPrimitiveType() || v.Type == cty.DynamicPseudoType {
		c.values[v.Name] = varValue{val: cty.StringVal(s)}
		return
	}
	name := fmt.Sprintf("<value for var.%s from %s>", v.Name, source)
	expr, diags := hclsyntax.ParseExpression([]byte(s), name, hcl.InitialPos)
	if !diags.HasErrors() {
		var val cty.Value
		val, diags = literal(expr, cty.DynamicPseudoType, "The value of var."+v.Name)
		if !diags.HasErrors() {
			c.values[v.Name] = varValue{val: val}
			return
		}
	}
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid value for variable",
		Detail:   fmt.Sprintf("%s: var.%s is a %s, so its value must be an HCL expression such as [\"a\", \"b\"] or {k = \"v\"}: %s", source, v.Name, v.Type.FriendlyName(), diags.Error()),
		Subject:  v.DeclRange.Ptr(),
	})
}

// autoVarFiles lists the variable files read automatically from dir.
func autoVarFiles(dir string) []string {
	var files []string
	if _, err := os.Stat(filepath.Join(dir, AutoVarsFile)); err == nil {
		files = append(files, filepath.Join(dir, AutoVarsFile))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		if n != AutoVarsFile && !e.IsDir() && (strings.HasSuffix(n, ".auto.vars.hcl") || strings.HasSuffix(n, ".auto.vars.json")) {
			files = append(files, filepath.Join(dir, n))
		}
	}
	return files
}

// fromFile reads a variable file (-var-file or an automatic one).
// Values for undeclared variables are warnings.
func (c *collector) fromFile(path string) {
	src, err := os.ReadFile(path)
	if err != nil {
		c.diags = append(c.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read variable file",
			Detail:   fmt.Sprintf("-var-file %s: %v.", path, err),
		})
		return
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(path, ".json") {
		f, diags = c.parser.ParseJSON(src, path)
	} else {
		f, diags = c.parser.ParseHCL(src, path)
	}
	c.diags = append(c.diags, diags...)
	if f == nil || diags.HasErrors() {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	c.diags = append(c.diags, diags...)
	for _, a := range sortedByPos(attrs) {
		c.fileAttr(a)
	}
}

func (c *collector) fileAttr(a *hcl.Attribute) {
	v := c.cfg.Variables[a.Name]
	if v == nil {
		c.diags = append(c.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Value for undeclared variable",
			Detail: fmt.Sprintf("The root module declares no variable %q; this value is ignored.%s",
				a.Name, didYouMean(a.Name, slices.Sorted(maps.Keys(c.cfg.Variables)))),
			Subject: a.NameRange.Ptr(),
		})
		return
	}
	val, diags := literal(a.Expr, cty.DynamicPseudoType, "A variable value in a variable file")
	c.diags = append(c.diags, diags...)
	if !diags.HasErrors() {
		c.values[a.Name] = varValue{val: val, rng: a.Expr.Range()}
	}
}
