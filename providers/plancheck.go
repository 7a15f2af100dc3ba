package providers

import (
	"context"

	"github.com/zclconf/go-cty/cty"
)

// PlanChecker is an optional ability of a provider: checking the planned
// changes of a whole plan together, for what only one object at a time
// may hold (the native provider: published host ports). One change
// cannot see whether another gives up what it takes, or takes it too,
// so such checks belong here rather than in PlanResourceChange. The
// planner calls CheckPlan once per provider, after every change is
// planned, with that provider's changes; the executor orders the
// changes by the Waits it returns.
type PlanChecker interface {
	CheckPlan(ctx context.Context, req CheckPlanRequest) CheckPlanResponse
}

// CheckPlanRequest lists a provider's planned changes, no-ops included.
type CheckPlanRequest struct {
	Changes []PlannedChange
}

// PlannedChange is one planned change of a resource instance.
//
// Prior is the object that exists now (null: none) and Planned the
// object the change leaves (null: deleted; unknown values where only
// apply can know). Replace says Planned is a new object taking Prior's
// place: created once Prior is deleted, or, with CreateBeforeDestroy,
// while Prior still exists.
type PlannedChange struct {
	Addr                string // the instance address, e.g. container.web[0]
	TypeName            string
	Prior               cty.Value
	Planned             cty.Value
	Replace             bool
	CreateBeforeDestroy bool
}

// CheckPlanResponse carries what is wrong with the plan, each diagnostic
// naming its change, and the orders the changes must keep.
type CheckPlanResponse struct {
	Diagnostics []ChangeDiagnostic
	Waits       []Wait
}

// ChangeDiagnostic is a diagnostic about the change of Addr.
type ChangeDiagnostic struct {
	Addr string
	Diagnostic
}

// Wait says that the change of Addr takes something (a host port) that
// the change of For gives up: Addr's new object is made only once For's
// old object has let it go (For is updated, or its old object deleted).
type Wait struct {
	Addr, For string
}
