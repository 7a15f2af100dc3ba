package spec

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad loads arbitrary bytes as a configuration file: Load must
// report problems as diagnostics and never panic.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		fullConfig,
		`container "web" { image = "x" }`,
		`container "web" {
  count = 2
  image = "web-${count.index}"
  dynamic "port" {
    for_each = [80]
    content { container = port.value }
  }
}`,
		`variable "v" {
  type = object({ a = optional(string, "x") })
  default = {}
  validation {
    condition = length(var.v.a) > 0
    error_message = "no"
  }
}`,
		`module "m" { source = "./m" }`,
		`berth { required_version = "~> 0.1" }`,
		`locals { a = [for x in range(3): x * 2] }`,
		"resource \"container\" \"x\" {\n lifecycle { ignore_changes = all }\n}",
		"\x00",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.berth.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, diags := Load(dir, LoadOptions{})
		if cfg == nil && !diags.HasErrors() {
			t.Fatal("nil config without errors")
		}
		for _, d := range diags {
			if d == nil {
				t.Fatal("nil diagnostic")
			}
		}
	})
}
