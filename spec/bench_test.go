package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genConfig writes a configuration of n containers, each referring to
// the one before it, to a variable, a local and a network, in 10 files.
func genConfig(tb testing.TB, n int) string {
	dir := tb.TempDir()
	head := `
variable "tag" { default = "1.0" }
locals { image = "registry.example.com/web:${var.tag}" }
network "back" { subnet = "10.89.0.0/16" }
`
	files := make([]strings.Builder, 10)
	files[0].WriteString(head)
	for i := 0; i < n; i++ {
		prev := "network.back.id"
		if i > 0 {
			prev = fmt.Sprintf("container.c%d.id", i-1)
		}
		fmt.Fprintf(&files[i%10], `
container "c%d" {
  image   = local.image
  command = ["serve", "--port", "%d"]
  env     = { PREV = %s, INDEX = "%d" }
  restart = "always"
  network { name = network.back.name }
  port {
    host      = %d
    container = 80
  }
  resources { memory = "256MiB" }
  health {
    command  = ["true"]
    interval = "5s"
  }
}
`, i, 8000+i, prev, i, 10000+i)
	}
	for i := range files {
		name := filepath.Join(dir, fmt.Sprintf("f%02d.berth.hcl", i))
		if err := os.WriteFile(name, []byte(files[i].String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLoad1000 loads (parses, validates and checks the references
// of) 1,000 containers.
func BenchmarkLoad1000(b *testing.B) {
	dir := genConfig(b, 1000)
	for b.Loop() {
		cfg, diags := Load(dir, LoadOptions{})
		if diags.HasErrors() {
			b.Fatal(diagString(diags))
		}
		if len(cfg.Resources) != 1001 {
			b.Fatalf("%d resources", len(cfg.Resources))
		}
	}
}

func TestGeneratedConfigLoads(t *testing.T) {
	cfg, diags := Load(genConfig(t, 50), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diagString(diags))
	}
	if len(cfg.Resources) != 51 {
		t.Fatalf("%d resources", len(cfg.Resources))
	}
}
