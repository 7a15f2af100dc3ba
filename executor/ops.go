package executor

import (
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas/addrs"
)

// opKind is one half of a change: applying the new object (create or
// update) or destroying the old one.
type opKind byte

const (
	opApply opKind = iota + 1
	opDestroy
)

// op is one step of the apply graph.
type op struct {
	kind   opKind
	change *planner.ResourceChange
	deps   []*op // ops that must finish first
	// dependents are filled when the graph is built.
	dependents []*op
	waiting    int
}

// buildOps splits every change into its ops and orders them: creates and
// updates after their dependencies', destroys before their dependencies'
// destroys, the two halves of a replace in the order its lifecycle asks.
func buildOps(changes []*planner.ResourceChange) []*op {
	applyOf := map[string]*op{}
	destroyOf := map[string]*op{}
	var ops []*op
	for _, c := range changes {
		key := c.Addr.String()
		switch c.Action {
		case planner.Create, planner.Update:
			applyOf[key] = &op{kind: opApply, change: c}
		case planner.Delete:
			destroyOf[key] = &op{kind: opDestroy, change: c}
		case planner.DeleteThenCreate:
			d := &op{kind: opDestroy, change: c}
			a := &op{kind: opApply, change: c, deps: []*op{d}}
			destroyOf[key], applyOf[key] = d, a
		case planner.CreateThenDelete:
			a := &op{kind: opApply, change: c}
			d := &op{kind: opDestroy, change: c, deps: []*op{a}}
			destroyOf[key], applyOf[key] = d, a
		}
		if a := applyOf[key]; a != nil {
			ops = append(ops, a)
		}
		if d := destroyOf[key]; d != nil {
			ops = append(ops, d)
		}
	}
	for _, c := range changes {
		key := c.Addr.String()
		for _, dep := range c.Dependencies {
			dk := dep.String()
			if a, da := applyOf[key], applyOf[dk]; a != nil && da != nil {
				a.deps = append(a.deps, da)
			}
			if d, dd := destroyOf[key], destroyOf[dk]; d != nil && dd != nil {
				dd.deps = append(dd.deps, d)
			}
			if a, dd := applyOf[key], destroyOf[dk]; a != nil && dd != nil && dd.change.Action == planner.CreateThenDelete {
				dd.deps = append(dd.deps, a)
			}
		}
	}
	for _, c := range changes {
		a := applyOf[c.Addr.String()]
		for _, w := range c.WaitsFor {
			if release := releaseOf(w.String(), applyOf, destroyOf); a != nil && release != nil {
				a.deps = append(a.deps, release)
			}
		}
	}
	for _, o := range ops {
		for _, d := range o.deps {
			d.dependents = append(d.dependents, o)
		}
		o.waiting = len(o.deps)
	}
	return ops
}

// releaseOf is the op after which the old object of change key no
// longer holds what it gives up: its destroy, or else its update.
func releaseOf(key string, applyOf, destroyOf map[string]*op) *op {
	if d := destroyOf[key]; d != nil {
		return d
	}
	return applyOf[key]
}

// stuckOps returns the ops that could never start because they wait on
// each other in a circle (none when the graph is sound).
func stuckOps(ops []*op) []*op {
	waiting := make(map[*op]int, len(ops))
	var ready []*op
	for _, o := range ops {
		waiting[o] = len(o.deps)
		if len(o.deps) == 0 {
			ready = append(ready, o)
		}
	}
	for len(ready) > 0 {
		o := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		for _, d := range o.dependents {
			if waiting[d]--; waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	var stuck []*op
	for _, o := range ops {
		if waiting[o] > 0 {
			stuck = append(stuck, o)
		}
	}
	return stuck
}

// addrOf names the op's instance.
func (o *op) addr() addrs.Instance { return o.change.Addr }
