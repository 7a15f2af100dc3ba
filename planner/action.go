package planner

// Action is what a change does to one resource instance.
type Action rune

const (
	NoOp             Action = 0
	Create           Action = '+'
	Read             Action = '<'
	Update           Action = '~'
	DeleteThenCreate Action = '∓' // replace: delete first (the default)
	CreateThenDelete Action = '±' // replace under create_before_destroy
	Delete           Action = '-'
)

// String is the action's name as plan JSON spells its parts.
func (a Action) String() string {
	switch a {
	case NoOp:
		return "no-op"
	case Create:
		return "create"
	case Read:
		return "read"
	case Update:
		return "update"
	case DeleteThenCreate:
		return "delete-then-create"
	case CreateThenDelete:
		return "create-then-delete"
	case Delete:
		return "delete"
	}
	return "invalid"
}

// IsReplace reports whether the action deletes and creates the instance.
func (a Action) IsReplace() bool { return a == DeleteThenCreate || a == CreateThenDelete }

// JSONActions spells the action as the plan JSON's change.actions list.
func (a Action) JSONActions() []string {
	switch a {
	case DeleteThenCreate:
		return []string{"delete", "create"}
	case CreateThenDelete:
		return []string{"create", "delete"}
	}
	return []string{a.String()}
}

// Symbol is the marker a human plan shows: "+", "~", "-", "-/+", "+/-".
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	case DeleteThenCreate:
		return "-/+"
	case CreateThenDelete:
		return "+/-"
	case Read:
		return "<="
	}
	return " "
}

// Reason says why an action was chosen beyond the plain diff.
type Reason byte

const (
	ReasonNone Reason = iota
	// ReasonReplaceByRequest: -replace named the instance.
	ReasonReplaceByRequest
	// ReasonReplaceTainted: a failed create left the instance tainted.
	ReasonReplaceTainted
	// ReasonReplaceForceNew: an attribute that cannot change in place changed.
	ReasonReplaceForceNew
	// ReasonDeleteNoConfig: the resource is no longer in configuration.
	ReasonDeleteNoConfig
	// ReasonDeleteCountIndex: count shrank below this index.
	ReasonDeleteCountIndex
	// ReasonDeleteEachKey: for_each no longer has this key.
	ReasonDeleteEachKey
	// ReasonDrift: the real world differs from state and this restores it.
	ReasonDrift
	// ReasonGone: the instance vanished behind berth's back and is recreated.
	ReasonGone
	// ReasonRollback: a rollback plan moves the instance back to the
	// configuration of a recorded revision (Plan.Rollback).
	ReasonRollback
)

func (r Reason) String() string {
	switch r {
	case ReasonReplaceByRequest:
		return "replace_by_request"
	case ReasonReplaceTainted:
		return "replace_because_tainted"
	case ReasonReplaceForceNew:
		return "replace_because_cannot_update"
	case ReasonDeleteNoConfig:
		return "delete_because_no_resource_config"
	case ReasonDeleteCountIndex:
		return "delete_because_count_index"
	case ReasonDeleteEachKey:
		return "delete_because_each_key"
	case ReasonDrift:
		return "restore_drift"
	case ReasonGone:
		return "create_because_gone"
	case ReasonRollback:
		return "update_because_rollback"
	}
	return ""
}
