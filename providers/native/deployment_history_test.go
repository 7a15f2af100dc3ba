package native

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// tmplOf is a template value of image.
func tmplOf(t *testing.T, image string) cty.Value {
	t.Helper()
	v, err := convert.Convert(cty.ObjectVal(map[string]cty.Value{"image": str(image)}), optionalDeep(templateType()))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestHistory(t *testing.T) {
	h, err := DecodeHistory(nil)
	if err != nil || len(h.Revisions) != 0 {
		t.Fatalf("empty history: %v %v", h, err)
	}
	now := time.Now()
	for n := 1; n <= 12; n++ {
		h.record(n, tmplOf(t, "img"+string(rune('a'+n%3))), revisionComplete, now)
	}
	h.record(13, tmplOf(t, "bad"), revisionFailed, now)
	h, err = DecodeHistory(h.encode())
	if err != nil {
		t.Fatal(err)
	}
	if got := h.numbers(); !slices.Equal(got, []int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}) {
		t.Errorf("kept revisions %v, want the last 10", got)
	}
	if r, _ := h.Find(12); r.SameAs != 9 {
		t.Errorf("revision 12 same as %d, want 9 (same template)", r.SameAs)
	}
	if p, err := h.Previous(14); err != nil || p.Revision != 12 {
		t.Errorf("previous of 14 = %+v, %v; want 12 (13 failed)", p, err)
	}
	if p, err := h.Previous(12); err != nil || p.Revision != 11 {
		t.Errorf("previous of 12 = %+v, %v", p, err)
	}
	if _, err := h.Previous(4); !errors.Is(err, ErrNoRevision) {
		t.Errorf("previous of the oldest: %v", err)
	}
	if _, err := h.Find(2); !errors.Is(err, ErrNoRevision) || !strings.Contains(err.Error(), "recorded: [4 5") {
		t.Errorf("find a dropped revision: %v", err)
	}
	if got := h.Next(3); got != 14 {
		t.Errorf("next = %d, want 14", got)
	}
	r, _ := h.Find(13)
	if v, err := r.TemplateValue(); err != nil || !attr(v, "image").RawEquals(str("bad")) {
		t.Errorf("template of 13: %#v, %v", v, err)
	}
	if _, err := DecodeHistory([]byte(`{"version": 99}`)); err == nil || !strings.Contains(err.Error(), "format version 99") {
		t.Errorf("newer format: %v", err)
	}
}

// TestHistoryOlderTemplate: a template recorded by a berth whose
// container schema had fewer (or other) attributes still decodes.
func TestHistoryOlderTemplate(t *testing.T) {
	r := RevisionRecord{Revision: 1, Template: []byte(`{"image":"old","env":{"A":"1"},"gone_attr":true,"mount":[{"type":"tmpfs","target":"/t"}]}`)}
	v, err := r.TemplateValue()
	if err != nil {
		t.Fatal(err)
	}
	if !attr(v, "image").RawEquals(str("old")) || !attr(attr(v, "env"), "A").RawEquals(str("1")) || len(elements(attr(v, "mount"))) != 1 {
		t.Errorf("decoded %#v", v)
	}
	if !attr(v, "restart").IsNull() {
		t.Errorf("an attribute the old template lacked is %#v, want null", attr(v, "restart"))
	}
}

func TestReplicaValue(t *testing.T) {
	tmpl := tmplOf(t, "img")
	tmpl = withAttrs(tmpl, map[string]cty.Value{"network_mode": str("bridge"), "labels": stringMapVal(map[string]string{"team": "a"})})
	v := replicaValue(tmpl, "web", "dep1", "web-2-r5", 2, 5)
	if !v.Type().Equals(implied("container")) {
		t.Fatalf("type %s", v.Type().FriendlyName())
	}
	if !attr(v, "name").RawEquals(str("web-2-r5")) || !attr(v, "hostname").RawEquals(str("web-2")) {
		t.Errorf("name %#v hostname %#v", attr(v, "name"), attr(v, "hostname"))
	}
	labels := stringMap(attr(v, "labels"))
	for k, want := range map[string]string{"team": "a", labelDeployment: "dep1", labelDeploymentName: "web", labelOrdinal: "2", labelRevision: "5"} {
		if labels[k] != want {
			t.Errorf("label %s = %q, want %q", k, labels[k], want)
		}
	}
	nets := elements(attr(v, "network"))
	if len(nets) != 1 || !attr(nets[0], "name").RawEquals(str("berth")) || !slices.Equal(stringList(attr(nets[0], "aliases")), []string{"web", "web-2"}) {
		t.Errorf("networks %#v, want the default network with the aliases web and web-2", nets)
	}
	none := replicaValue(withAttrs(tmpl, map[string]cty.Value{"network_mode": str("none")}), "web", "dep1", "web-0", 0, 1)
	if len(elements(attr(none, "network"))) != 0 {
		t.Errorf("network_mode none got network blocks")
	}
}

func TestStatusRoundTrip(t *testing.T) {
	reps := []deploy.Replica{
		{Ordinal: 1, Revision: 2, ID: "b", Name: "web-1", State: "running", Health: "healthy", IP: "10.0.0.3"},
		{Ordinal: 0, Revision: 2, ID: "a", Name: "web-0", State: "exited", IP: "10.0.0.2"},
	}
	got := recordedReplicas(statusList(reps))
	if len(got) != 2 || got[0].ID != "a" || got[1].Health != "healthy" || got[0].Health != "" {
		t.Errorf("round trip %+v", got)
	}
	if addrs := stringList(addressesOf(got, cty.NilVal)); !slices.Equal(addrs, []string{"10.0.0.3"}) {
		t.Errorf("addresses %v, want only the running replica's", addrs)
	}
}

func TestReadySince(t *testing.T) {
	start := time.Unix(100, 0)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	check := func(s float64, code int) runtime.HealthResult {
		return runtime.HealthResult{Start: at(s), End: at(s + 0.1), ExitCode: code}
	}
	tests := []struct {
		name string
		st   runtime.Status
		want time.Time
	}{
		{"no health check", runtime.Status{State: "running", StartedAt: start}, start},
		{"first pass", runtime.Status{State: "running", Health: "healthy", StartedAt: start, HealthLog: []runtime.HealthResult{check(-5, 0), check(1, 1), check(2, 0), check(3, 0)}}, at(2.1)},
		{"window rolled", runtime.Status{State: "running", Health: "healthy", StartedAt: start.Add(-time.Hour), HealthLog: []runtime.HealthResult{check(7, 0), check(8, 0)}}, at(7.1)},
		{"starting", runtime.Status{State: "running", Health: "starting", StartedAt: start}, time.Time{}},
		{"exited", runtime.Status{State: "exited", StartedAt: start}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := readySince(&tc.st); !got.Equal(tc.want) {
				t.Errorf("readySince = %s, want %s", got, tc.want)
			}
		})
	}
}
