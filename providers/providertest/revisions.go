package providertest

import (
	"context"
	"slices"

	"github.com/berthhq/berth/providers"
	"github.com/zclconf/go-cty/cty"
)

// Keeper is Provider that also keeps revisions (providers.RevisionKeeper):
// revision n of every test_thing had value Revisions[n], and each runs
// revision Current.
type Keeper struct {
	*Provider
	Revisions map[int]string
	Current   int
}

var _ providers.RevisionKeeper = (*Keeper)(nil)

// NewKeeper returns an empty provider keeping the given revisions.
func NewKeeper(current int, revisions map[int]string) *Keeper {
	return &Keeper{Provider: New(), Revisions: revisions, Current: current}
}

// RevisionConfig returns prior's configuration with revision n's value;
// n = 0 is the revision before Current.
func (k *Keeper) RevisionConfig(_ context.Context, req providers.RevisionConfigRequest) providers.RevisionConfigResponse {
	resp := providers.RevisionConfigResponse{Current: k.Current, Revision: req.Revision}
	if resp.Revision == 0 {
		resp.Revision = k.Current - 1
	}
	value, ok := k.Revisions[resp.Revision]
	switch {
	case !ok:
		var recorded []int
		for n := range k.Revisions {
			recorded = append(recorded, n)
		}
		slices.Sort(recorded)
		resp.Diagnostics = resp.Diagnostics.Errorf("no such revision %d (recorded: %v)", resp.Revision, recorded)
		return resp
	case req.Prior.GetAttr("value").RawEquals(cty.StringVal(value)):
		resp.Diagnostics = resp.Diagnostics.Errorf("already runs the value of revision %d; nothing to roll back", resp.Revision)
		return resp
	}
	attrs := req.Prior.AsValueMap()
	for name, at := range Schema.Block.Attributes {
		if at.Computed && !at.Optional {
			attrs[name] = cty.NullVal(at.Type)
		}
	}
	attrs["value"] = cty.StringVal(value)
	resp.Config = cty.ObjectVal(attrs)
	return resp
}
