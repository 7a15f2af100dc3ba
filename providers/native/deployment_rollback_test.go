package native

import (
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/zclconf/go-cty/cty"
)

// TestRevisionConfig: the configuration of a recorded revision is the
// deployment's current settings with that revision's template, and the
// provider says when there is nothing to go back to.
func TestRevisionConfig(t *testing.T) {
	v1 := depConfig(t, "v1", 2, nil)
	prior := deployed(t, depConfig(t, "v2", 2, nil), 3)
	hist := &History{}
	hist.record(1, attr(deployed(t, v1, 1), "template"), revisionComplete, time.Now())
	hist.record(2, tmplOf(t, "broken"), revisionFailed, time.Now())
	hist.record(3, attr(prior, "template"), revisionComplete, time.Now())
	tests := []struct {
		name     string
		typ      string
		revision int
		private  []byte
		want     int    // the revision chosen
		err      string // a diagnostic's summary, when refused
	}{
		{name: "previous that rolled out", revision: 0, want: 1},
		{name: "named revision", revision: 2, want: 2},
		{name: "not recorded", revision: 9, err: "no such revision in the deployment's history: 9 (recorded: [1 2 3])"},
		{name: "the one it runs", revision: 3, err: "already runs the template of revision 3; nothing to roll back"},
		{name: "no history", private: []byte{}, err: "nothing rolled out before revision 3"},
		{name: "not a deployment", typ: "container", err: "a container keeps no revisions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			typ, private := "deployment", hist.encode()
			if tc.typ != "" {
				typ = tc.typ
			}
			if tc.private != nil {
				private = tc.private
			}
			resp := New().RevisionConfig(ctx, providers.RevisionConfigRequest{TypeName: typ, Prior: prior, Private: private, Revision: tc.revision})
			if tc.err != "" {
				if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err := resp.Diagnostics.Err(); err != nil {
				t.Fatal(err)
			}
			if resp.Revision != tc.want || resp.Current != 3 {
				t.Errorf("revision %d from %d, want %d from 3", resp.Revision, resp.Current, tc.want)
			}
			rec, _ := hist.Find(tc.want)
			tmpl, _ := rec.TemplateValue()
			if got := resp.Config.GetAttr("template"); !got.RawEquals(tmpl) {
				t.Errorf("template %#v, want revision %d's", got, tc.want)
			}
			for _, name := range []string{"replicas_status", "revision", "rollout", "id"} {
				if !resp.Config.GetAttr(name).IsNull() {
					t.Errorf("computed %s set in the configuration", name)
				}
			}
			if !resp.Config.GetAttr("replicas").RawEquals(cty.NumberIntVal(2)) {
				t.Errorf("replicas %#v, want the current 2", resp.Config.GetAttr("replicas"))
			}
		})
	}
}
