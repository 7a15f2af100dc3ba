package views

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "x\ny\n", "x\ny\n", ""},
		{"one line", "a\nb\nc\n", "a\nB\nc\n", "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"insert at end", "a\n", "a\nb\n", "--- old\n+++ new\n@@ -1 +1,2 @@\n a\n+b\n"},
		{"from empty", "", "a\n", "--- old\n+++ new\n@@ -0,0 +1 @@\n+a\n"},
		{
			"two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n",
			"--- old\n+++ new\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := UnifiedDiff(&b, "old", "new", []byte(tc.a), []byte(tc.b)); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tc.want)
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{
		"name":  cty.StringVal("a ${b}"),
		"ports": cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberFloatVal(0.5)}),
		"env":   cty.MapVal(map[string]cty.Value{"KEY": cty.StringVal("v")}),
		"empty": cty.ListValEmpty(cty.String),
		"none":  cty.NullVal(cty.String),
	})
	want := `{
    empty = []
    env   = {
        "KEY" = "v"
    }
    name  = "a $${b}"
    none  = null
    ports = [
        80,
        0.5,
    ]
}`
	if got := FormatValue(v, 0); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteStateResource(t *testing.T) {
	r := &state.Resource{Addr: inst("box", "web", addrs.IntKeyOf(0)), Provider: "berth",
		SensitivePaths: []string{`env["A"]`}}
	val := boxVal(map[string]cty.Value{"password": cty.StringVal("hunter2")})
	attrs, err := json.Marshal(jsonValue(val))
	if err != nil {
		t.Fatal(err)
	}
	r.Attributes = attrs
	var b bytes.Buffer
	if err := WriteStateResource(&b, r, func(string) (*schemas.Resource, bool) { return box, true }); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/state_resource.golden", b.Bytes())
	if strings.Contains(b.String(), "hunter2") {
		t.Error("sensitive password printed")
	}
}

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, Colors{})
	p.Interval = time.Hour // no "Still ..." lines in this test
	web := inst("container", "web", addrs.Key{})
	p.PreApply(web, planner.Create)
	p.Progress(web, "pulling nginx: 3/5 layers")
	p.PostApply(web, planner.Create, 2400*time.Millisecond, cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("abc")}), nil)
	db := inst("container", "db", addrs.StringKeyOf("a"))
	p.PreApply(db, planner.Delete)
	p.PostApply(db, planner.Delete, 0, cty.NilVal, errors.New("boom"))
	want := `container.web: Creating...
container.web: pulling nginx: 3/5 layers
container.web: Creation complete after 2s [id=abc]
container.db["a"]: Destroying...
container.db["a"]: Destruction failed after 0s
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// syncBuffer is a bytes.Buffer safe for the progress ticker's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressStillRunning(t *testing.T) {
	var b syncBuffer
	p := NewProgress(&b, Colors{})
	p.Interval = time.Millisecond
	web := inst("container", "web", addrs.Key{})
	p.PreApply(web, planner.Update)
	for !strings.Contains(b.String(), "container.web: Still modifying... [") {
		time.Sleep(time.Millisecond)
	}
	p.PostApply(web, planner.Update, time.Second, cty.NilVal, nil)
	if !strings.HasSuffix(b.String(), "container.web: Modifications complete after 1s\n") {
		t.Errorf("last line wrong:\n%s", b.String())
	}
}
