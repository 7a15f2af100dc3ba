package state

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenCompare compares got with the golden file, rewriting it under -update.
func goldenCompare(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was written:\n%s\n(run go test -update to accept)", path, got)
	}
}

func TestEncodeGolden(t *testing.T) {
	data, err := Encode(sampleState(t))
	if err != nil {
		t.Fatal(err)
	}
	goldenCompare(t, "testdata/sample.json", data)
}

// TestRoundTrip reads every testdata/roundtrip/*.in.json, writes it, and
// compares with the matching .out.json; the output must be a fixed point.
func TestRoundTrip(t *testing.T) {
	ins, _ := filepath.Glob("testdata/roundtrip/*.in.json")
	if len(ins) == 0 {
		t.Fatal("no round-trip inputs")
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			st, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Encode(st)
			if err != nil {
				t.Fatal(err)
			}
			goldenCompare(t, strings.TrimSuffix(in, ".in.json")+".out.json", out)
			again, err := Decode(out)
			if err != nil {
				t.Fatal(err)
			}
			if out2, _ := Encode(again); !bytes.Equal(out, out2) {
				t.Errorf("second round trip differs:\n%s", out2)
			}
		})
	}
}

const okHead = `"version":1,"serial":1,"lineage":"l","berth_version":"0.1.0"`

// withResource is a valid document with one resource whose JSON fields
// are fields (inside the braces).
func withResource(fields string) string {
	return `{` + okHead + `,"resources":[{` + fields + `}],"outputs":{}}`
}

const okRes = `"address":"container.a","type":"container","name":"a","provider":"berth","attributes":{}`

func TestDecodeErrors(t *testing.T) {
	sample, err := Encode(sampleState(&testing.T{}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data string
		sentinel   error
		want       string
	}{
		{"empty", "", ErrInvalid, "empty (0 bytes)"},
		{"whitespace", " \n", ErrInvalid, "empty"},
		{"truncated", string(sample[:len(sample)/2]), ErrInvalid, "truncated"},
		{"not JSON", "hello", ErrInvalid, "not JSON"},
		{"trailing garbage", `{` + okHead + `} x`, ErrInvalid, "not JSON"},
		{"two objects", `{` + okHead + `}{}`, ErrInvalid, "not JSON"},
		{"array", `[1]`, ErrInvalid, "want an object"},
		{"string", `"x"`, ErrInvalid, "want an object"},
		{"no version", `{"serial":1,"lineage":"l"}`, ErrInvalid, `no "version"`},
		{"version string", `{"version":"1"}`, ErrInvalid, `"version"`},
		{"version fraction", `{"version":1.5}`, ErrInvalid, "whole number"},
		{"newer version", `{"version":2,"whatever":true}`, ErrNewerVersion, "written by a newer berth (format version 2, this berth reads up to 1): upgrade berth"},
		{"version zero", `{"version":0}`, ErrInvalid, "format version 0"},
		{"no lineage", `{"version":1,"serial":1}`, ErrInvalid, "no lineage"},
		{"empty lineage", `{"version":1,"serial":1,"lineage":""}`, ErrInvalid, "no lineage"},
		{"no serial", `{"version":1,"lineage":"l"}`, ErrInvalid, `no "serial"`},
		{"negative serial", `{"version":1,"serial":-1,"lineage":"l"}`, ErrInvalid, `"serial"`},
		{"unknown field", `{` + okHead + `,"extra":1}`, ErrInvalid, `unknown field "extra"`},
		{"resources not array", `{` + okHead + `,"resources":{}}`, ErrInvalid, `"resources"`},
		{"null resource", `{` + okHead + `,"resources":[null]}`, ErrInvalid, "resources[0]"},
		{"bad address", withResource(`"address":"container","type":"container","name":"a","attributes":{}`), ErrInvalid, "invalid address"},
		{"replica address", withResource(`"address":"container.a#1","type":"container","name":"a","attributes":{}`), ErrInvalid, "not a resource instance address"},
		{"address not canonical", withResource(`"address":"container.a[\"\\u0062\"]","type":"container","name":"a","index":"b","attributes":{}`), ErrInvalid, "canonical"},
		{"type disagrees", withResource(`"address":"container.a","type":"volume","name":"a","attributes":{}`), ErrInvalid, "disagree"},
		{"module disagrees", withResource(`"address":"module.m.container.a","type":"container","name":"a","attributes":{}`), ErrInvalid, "disagree"},
		{"index disagrees", withResource(`"address":"container.a[1]","type":"container","name":"a","index":2,"attributes":{}`), ErrInvalid, "disagree"},
		{"index missing", withResource(`"address":"container.a[1]","type":"container","name":"a","attributes":{}`), ErrInvalid, "disagree"},
		{"index fraction", withResource(`"address":"container.a[1]","type":"container","name":"a","index":1.0,"attributes":{}`), ErrInvalid, "whole number"},
		{"attributes missing", withResource(`"address":"container.a","type":"container","name":"a"`), ErrInvalid, "attributes"},
		{"attributes array", withResource(okRes[:len(okRes)-2] + `[]`), ErrInvalid, "attributes"},
		{"private not base64", withResource(okRes + `,"private":"!!"`), ErrInvalid, "base64"},
		{"negative schema version", withResource(okRes + `,"schema_version":-1`), ErrInvalid, "schema version"},
		{"bad dependency", withResource(okRes + `,"dependencies":["module.m"]`), ErrInvalid, "dependency"},
		{"duplicate address", `{` + okHead + `,"resources":[{` + okRes + `},{` + okRes + `}]}`, ErrInvalid, "container.a is recorded twice"},
		{"null output", `{` + okHead + `,"outputs":{"o":null}}`, ErrInvalid, `output "o"`},
		{"output without type", `{` + okHead + `,"outputs":{"o":{"value":1}}}`, ErrInvalid, `output "o"`},
		{"output bad type", `{` + okHead + `,"outputs":{"o":{"value":1,"type":"integer"}}}`, ErrInvalid, `output "o"`},
		{"output value mismatch", `{` + okHead + `,"outputs":{"o":{"value":[1],"type":"bool"}}}`, ErrInvalid, `output "o"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Decode([]byte(tc.data))
			if err == nil {
				t.Fatalf("Decode succeeded: %+v", st)
			}
			if !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decode error = %q (is %v: %v), want it to contain %q", err, tc.sentinel, errors.Is(err, tc.sentinel), tc.want)
			}
		})
	}
}

func TestEncodeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(st *State)
	}{
		{"no lineage", func(st *State) { st.Lineage = "" }},
		{"duplicate", func(st *State) { st.Resources = append(st.Resources, st.Resources[0].DeepCopy()) }},
		{"negative index", func(st *State) { st.Resources[0].Addr.Key.Int = -1 }},
		{"bad type name", func(st *State) { st.Resources[0].Addr.Type = "a.b" }},
		{"attributes not object", func(st *State) { st.Resources[0].Attributes = []byte(`[1]`) }},
		{"attributes not JSON", func(st *State) { st.Resources[0].Attributes = []byte(`{`) }},
		{"bad dependency", func(st *State) { st.Resources[0].Dependencies = []string{"x"} }},
		{"nil output", func(st *State) { st.Outputs["x"] = nil }},
		{"output without type", func(st *State) { st.Outputs["x"] = &Output{Value: []byte(`1`)} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := sampleState(t)
			tc.mutate(st)
			if _, err := Encode(st); !errors.Is(err, ErrInvalid) {
				t.Errorf("Encode = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestEncodeNilAttributesAsEmptyObject(t *testing.T) {
	st := New()
	st.Set(&Resource{Addr: mustInstance(t, "container.a"), Provider: "berth"})
	data, err := Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(back.Resources[0].Attributes); got != "{}" {
		t.Errorf("attributes = %s, want {}", got)
	}
}
