package planner

import (
	"time"

	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

// Mode is what kind of plan was asked for.
type Mode byte

const (
	NormalMode      Mode = iota // converge the world to the configuration
	DestroyMode                 // delete everything recorded
	RefreshOnlyMode             // only record drift in state
	// RollbackMode moves one instance back to a revision its provider
	// recorded (providers.RevisionKeeper), keeping everything else as
	// it is: see Plan.Rollback.
	RollbackMode
)

// Rollback names the target of a RollbackMode plan. In Options, Revision
// 0 asks for the revision before the current one that rolled out; in a
// Plan, Revision is the revision chosen and From the one the instance
// ran when the plan was made.
type Rollback struct {
	Addr     addrs.Instance
	Revision int
	From     int
}

// Plan is the result of planning: data, never modified once made.
type Plan struct {
	Mode Mode
	// Rollback is the target of a RollbackMode plan, nil otherwise.
	Rollback *Rollback
	Changes  []*ResourceChange // sorted by address; includes no-ops
	// Drift lists the differences refresh found between recorded state and
	// the real world, before configuration was considered.
	Drift   []*ResourceChange
	Outputs []*OutputChange // root outputs, sorted by name

	// PriorState is the state after refresh: what the plan starts from.
	PriorState *state.State
	// StateLineage and StateSerial identify the state file the plan was
	// made against; apply of a saved plan refuses any other.
	StateLineage string
	StateSerial  uint64
	// ConfigHash is spec.Config.Hash of the configuration planned.
	ConfigHash string
	// Variables are the root variable values the plan was made with.
	Variables map[string]cty.Value
	Targets   []addrs.Target
	Replace   []addrs.Instance
	Timestamp time.Time
	// Errored is true when planning stopped on errors; such a plan is
	// shown but never applied.
	Errored bool
}

// ResourceChange is the planned change of one resource instance.
//
// Before is the refreshed prior value (null for Create). After is the
// planned new value (null for Delete), with unknown values where only apply
// can know them. For NoOp, Before and After are equal.
type ResourceChange struct {
	Addr     addrs.Instance
	Provider string
	Node     string
	Action   Action
	Reason   Reason
	Schema   *schemas.Resource

	Before cty.Value
	After  cty.Value
	// Config is the evaluated configuration (with unknowns).
	Config cty.Value
	// ReplacePaths are the attribute paths whose change forces the replace.
	ReplacePaths []cty.Path
	// SensitivePaths are attribute paths that must not print, beyond what
	// the schema marks (values derived from sensitive variables).
	SensitivePaths []cty.Path
	Private        []byte
	// Dependencies are the instances this one depends on (for ordering:
	// creates and updates after them, deletes before them).
	Dependencies []addrs.Instance
	// WaitsFor are changes that give up what this one takes (a host port,
	// as the provider's plan check says): this change's new object is
	// made only after their old objects let it go. Ordering only; unlike
	// Dependencies it is not recorded in state.
	WaitsFor []addrs.Instance
	// CreateBeforeDestroy and PreventDestroy are the lifecycle settings.
	CreateBeforeDestroy bool
	PreventDestroy      bool
}

// OutputChange is a root output's planned value.
type OutputChange struct {
	Name      string
	Action    Action // Create, Update, Delete or NoOp
	Before    cty.Value
	After     cty.Value // may be unknown until apply
	Sensitive bool
}

// HasChanges reports whether applying the plan would change anything:
// a resource action other than NoOp, or an output change.
func (p *Plan) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Action != NoOp {
			return true
		}
	}
	for _, o := range p.Outputs {
		if o.Action != NoOp {
			return true
		}
	}
	return false
}

// Counts returns how many instances the plan adds, changes and destroys,
// counting a replace as one add and one destroy, as Terraform does.
func (p *Plan) Counts() (add, change, destroy int) {
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			add++
		case Update:
			change++
		case Delete:
			destroy++
		case DeleteThenCreate, CreateThenDelete:
			add++
			destroy++
		}
	}
	return
}
