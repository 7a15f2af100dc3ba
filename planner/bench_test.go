package planner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/providertest"
	"github.com/berthhq/berth/spec"
)

// writeConfig writes n test_thing resources, each referring to the one
// before it in groups of ten, so the graph has real edges.
func writeConfig(b testing.TB, n int) string {
	dir := b.TempDir()
	var src strings.Builder
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&src, "resource \"test_thing\" \"r%d\" {\n  value = \"v%d\"\n  tags = { n = \"%d\" }\n}\n", i, i, i)
		} else {
			fmt.Fprintf(&src, "resource \"test_thing\" \"r%d\" {\n  value = test_thing.r%d.value\n  tags = { n = \"%d\" }\n}\n", i, i-1, i)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.berth.hcl"), []byte(src.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func registry(b testing.TB) *providers.Registry {
	reg := providers.NewRegistry()
	if err := reg.Register(context.Background(), providertest.New()); err != nil {
		b.Fatal(err)
	}
	return reg
}

// BenchmarkPlan measures load + plan (refresh disabled) from 10 to 10,000
// resources; compare ns/op across sizes for the growth.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			dir := writeConfig(b, n)
			reg := registry(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cfg, diags := spec.Load(dir, spec.LoadOptions{Schemas: reg.Schema})
				if diags.HasErrors() {
					b.Fatal(diags.Error())
				}
				p, diags := planner.MakePlan(context.Background(), planner.Options{Config: cfg, Providers: reg, SkipRefresh: true})
				if diags.HasErrors() {
					b.Fatal(diags.Error())
				}
				if len(p.Changes) != n {
					b.Fatalf("%d changes, want %d", len(p.Changes), n)
				}
			}
		})
	}
}

// BenchmarkValidate measures load + graph (what `berth validate` does).
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{1000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			dir := writeConfig(b, n)
			reg := registry(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cfg, diags := spec.Load(dir, spec.LoadOptions{Schemas: reg.Schema})
				if diags.HasErrors() {
					b.Fatal(diags.Error())
				}
				if _, diags := planner.BuildGraph(planner.Options{Config: cfg}); diags.HasErrors() {
					b.Fatal(diags.Error())
				}
			}
		})
	}
}
