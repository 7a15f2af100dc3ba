package state

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// bigState has n container records of realistic size.
func bigState(b testing.TB, n int) *State {
	st := New()
	env := map[string]cty.Value{}
	for i := range 10 {
		env[fmt.Sprintf("VAR_%d", i)] = cty.StringVal(strings.Repeat("v", 30))
	}
	for i := range n {
		r := &Resource{Addr: mustInstance(b, fmt.Sprintf("container.web[%d]", i)), Provider: "berth",
			Dependencies: []string{"image.nginx", "network.front", "volume.data"}}
		err := r.SetValue(cty.ObjectVal(map[string]cty.Value{
			"id":      cty.StringVal(fmt.Sprintf("%064x", i)),
			"image":   cty.StringVal("docker.io/library/nginx@sha256:" + strings.Repeat("ab", 32)),
			"command": cty.ListVal([]cty.Value{cty.StringVal("nginx"), cty.StringVal("-g"), cty.StringVal("daemon off;")}),
			"env":     cty.MapVal(env),
			"ports":   cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberIntVal(443)}),
			"restart": cty.StringVal("always"),
			"status":  cty.StringVal("running"),
			"ip":      cty.StringVal("10.88.0.12"),
		}), cty.NilType)
		if err != nil {
			b.Fatal(err)
		}
		st.Set(r)
	}
	return st
}

// BenchmarkWrite100Resources measures one Store.Write of a 100-resource
// state, as the executor does after every finished change.
func BenchmarkWrite100Resources(b *testing.B) {
	store := Open(filepath.Join(b.TempDir(), "berth.state"))
	st := bigState(b, 100)
	if err := store.Write(st); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(store.Path)
	b.SetBytes(info.Size())
	b.ReportAllocs()
	for b.Loop() {
		if err := store.Write(st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode100Resources(b *testing.B) {
	st := bigState(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead100Resources(b *testing.B) {
	store := Open(filepath.Join(b.TempDir(), "berth.state"))
	if err := store.Write(bigState(b, 100)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := store.Read(); err != nil {
			b.Fatal(err)
		}
	}
}
