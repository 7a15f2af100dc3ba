package native

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// A deployment's revision history lives in its state record's Private
// bytes, not in an attribute: the provider's own bookkeeping, never
// diffed or shown in plans (a template can hold sensitive values, which
// Private never displays), and in a versioned format of its own that can
// be upgraded as the container schema grows.
//
//	{"version": 1, "revisions": [{"revision": 4, "template": {...},
//	  "created": "2025-...", "status": "complete", "same_as": 2}, ...]}

// historyVersion is the format version of the Private bytes.
const historyVersion = 1

// historyLimit is how many revisions the history keeps.
const historyLimit = 10

// Revision statuses in the history.
const (
	revisionComplete = "complete" // rolled out to every replica
	revisionFailed   = "failed"   // its rollout failed
	revisionPartial  = "partial"  // its rollout stopped halfway
)

// ErrNoRevision is returned when the history holds no such revision.
var ErrNoRevision = errors.New("no such revision in the deployment's history")

// History is a deployment's recorded revisions, oldest first.
type History struct {
	Version   int              `json:"version"`
	Revisions []RevisionRecord `json:"revisions"`
}

// RevisionRecord is one revision: its template and what became of it.
type RevisionRecord struct {
	Revision int             `json:"revision"`
	Template json.RawMessage `json:"template"`
	Created  time.Time       `json:"created"`
	Status   string          `json:"status"`
	// SameAs names the older revision with the same template, for a
	// rollback.
	SameAs int `json:"same_as,omitempty"`
}

// DecodeHistory reads a deployment's Private bytes; none is an empty
// history.
func DecodeHistory(private []byte) (*History, error) {
	h := &History{Version: historyVersion}
	if len(private) == 0 {
		return h, nil
	}
	if err := json.Unmarshal(private, h); err != nil {
		return nil, fmt.Errorf("read the deployment's revision history: %w", err)
	}
	if h.Version > historyVersion {
		return nil, fmt.Errorf("the deployment's revision history has format version %d; this berth reads up to %d", h.Version, historyVersion)
	}
	return h, nil
}

// encode returns the Private bytes.
func (h *History) encode() []byte {
	h.Version = historyVersion
	b, _ := json.Marshal(h)
	return b
}

// Find returns revision n.
func (h *History) Find(n int) (*RevisionRecord, error) {
	for i := range h.Revisions {
		if h.Revisions[i].Revision == n {
			return &h.Revisions[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %d (recorded: %v)", ErrNoRevision, n, h.numbers())
}

func (h *History) numbers() []int {
	out := make([]int, len(h.Revisions))
	for i, r := range h.Revisions {
		out[i] = r.Revision
	}
	return out
}

// Previous is the newest revision before current that rolled out, the
// one `berth rollback` goes back to by default.
func (h *History) Previous(current int) (*RevisionRecord, error) {
	var best *RevisionRecord
	for i := range h.Revisions {
		r := &h.Revisions[i]
		if r.Revision < current && r.Status != revisionFailed && (best == nil || r.Revision > best.Revision) {
			best = r
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: nothing rolled out before revision %d (recorded: %v)", ErrNoRevision, current, h.numbers())
	}
	return best, nil
}

// Next is the number of the next revision: above every recorded one.
func (h *History) Next(current int) int {
	n := current
	for _, r := range h.Revisions {
		n = max(n, r.Revision)
	}
	return n + 1
}

// TemplateValue decodes a revision's template as the current schema's
// template type; attributes the schema has gained since are null.
func (r *RevisionRecord) TemplateValue() (cty.Value, error) {
	ty := templateType()
	v, err := ctyjson.Unmarshal(r.Template, ty)
	if err == nil {
		return v, nil
	}
	sty, serr := ctyjson.ImpliedType(r.Template)
	if serr != nil {
		return cty.NilVal, fmt.Errorf("revision %d's template: %w", r.Revision, err)
	}
	raw, rerr := ctyjson.Unmarshal(r.Template, sty)
	if rerr != nil {
		return cty.NilVal, fmt.Errorf("revision %d's template: %w", r.Revision, err)
	}
	return conformTo(raw, ty)
}

// record adds or replaces revision n, keeping the newest historyLimit.
func (h *History) record(n int, tmpl cty.Value, status string, now time.Time) {
	js, _ := ctyjson.Marshal(tmpl, templateType())
	rec := RevisionRecord{Revision: n, Template: js, Created: now.UTC(), Status: status}
	for _, old := range h.Revisions {
		if old.Revision != n && string(old.Template) == string(js) && old.Revision > rec.SameAs {
			rec.SameAs = old.Revision
		}
	}
	kept := h.Revisions[:0]
	for _, old := range h.Revisions {
		if old.Revision == n {
			rec.Created = old.Created
			continue
		}
		kept = append(kept, old)
	}
	h.Revisions = append(kept, rec)
	sort.Slice(h.Revisions, func(i, j int) bool { return h.Revisions[i].Revision < h.Revisions[j].Revision })
	if extra := len(h.Revisions) - historyLimit; extra > 0 {
		h.Revisions = h.Revisions[extra:]
	}
}

// sameAs says which recorded revision has template tmpl, for the
// rollout note: " (the template of revision N)", or "".
func (h *History) sameAs(tmpl cty.Value) string {
	js, err := ctyjson.Marshal(tmpl, templateType())
	if err != nil {
		return ""
	}
	for i := len(h.Revisions) - 1; i >= 0; i-- {
		if string(h.Revisions[i].Template) == string(js) {
			return fmt.Sprintf(" (the template of revision %d)", h.Revisions[i].Revision)
		}
	}
	return ""
}

// templateType is the implied type of the deployment template block.
func templateType() cty.Type {
	return schemas.Builtin()[schemas.TypeDeployment].Block.ImpliedType().AttributeType("template")
}

// conformTo converts v, decoded from JSON by its own shape, to ty:
// object attributes ty lacks are dropped, those v lacks are null.
func conformTo(v cty.Value, ty cty.Type) (cty.Value, error) {
	if v.IsNull() {
		return cty.NullVal(ty), nil
	}
	vt := v.Type()
	switch {
	case ty.IsObjectType() && vt.IsObjectType():
		vals := map[string]cty.Value{}
		for n, at := range ty.AttributeTypes() {
			sub := cty.NullVal(at)
			if vt.HasAttribute(n) {
				sub = v.GetAttr(n)
			}
			c, err := conformTo(sub, at)
			if err != nil {
				return cty.NilVal, fmt.Errorf("%s: %w", n, err)
			}
			vals[n] = c
		}
		return cty.ObjectVal(vals), nil
	case (ty.IsListType() || ty.IsMapType()) && v.CanIterateElements():
		return conformCollection(v, ty)
	}
	return convert.Convert(v, ty)
}

func conformCollection(v cty.Value, ty cty.Type) (cty.Value, error) {
	et := ty.ElementType()
	list, m := []cty.Value{}, map[string]cty.Value{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		c, err := conformTo(e, et)
		if err != nil {
			return cty.NilVal, err
		}
		if ty.IsListType() {
			list = append(list, c)
		} else if k.Type() == cty.String {
			m[k.AsString()] = c
		}
	}
	switch {
	case ty.IsListType() && len(list) == 0:
		return cty.ListValEmpty(et), nil
	case ty.IsListType():
		return cty.ListVal(list), nil
	case len(m) == 0:
		return cty.MapValEmpty(et), nil
	}
	return cty.MapVal(m), nil
}
