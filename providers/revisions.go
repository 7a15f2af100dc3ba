package providers

import (
	"context"

	"github.com/zclconf/go-cty/cty"
)

// RevisionKeeper is an optional ability of a provider whose resources
// record earlier revisions of their configuration (the native provider's
// deployments keep their last templates) and can be rolled back to one.
// The planner's rollback mode asks it for the configuration of a
// recorded revision and plans that configuration like any other, so the
// rollback is shown, saved and applied as an ordinary plan.
type RevisionKeeper interface {
	RevisionConfig(ctx context.Context, req RevisionConfigRequest) RevisionConfigResponse
}

// RevisionConfigRequest asks for the configuration of one recorded
// revision of a resource instance: Prior and Private are its refreshed
// value and private data, as ReadResource left them.
type RevisionConfigRequest struct {
	TypeName string
	Prior    cty.Value
	Private  []byte
	// Revision is the revision to go back to; 0 asks for the newest
	// revision before the current one that rolled out.
	Revision int
}

// RevisionConfigResponse carries the configuration to plan: Prior's
// configurable attributes, with those the revision recorded (a
// deployment's template) in their recorded form. Revision is the
// revision chosen, Current the one Prior runs. A diagnostic says when
// there is nothing to go back to: no earlier revision, a revision not
// recorded, or one whose configuration Prior already runs.
type RevisionConfigResponse struct {
	Config      cty.Value
	Revision    int
	Current     int
	Diagnostics Diagnostics
}
