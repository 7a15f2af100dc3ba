package planner

import (
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ignoreChanges replaces, in config, every path listed in ignore_changes
// with its prior value, so that those attributes never diff.
func ignoreChanges(config, prior cty.Value, lc spec.Lifecycle) cty.Value {
	if prior.IsNull() || !config.IsKnown() || config.IsNull() {
		return config
	}
	if lc.IgnoreAllChanges {
		// Keep the name berth derived, everything else as recorded.
		return prior
	}
	for _, t := range lc.IgnoreChanges {
		path := traversalPath(t)
		if len(path) == 0 {
			continue
		}
		old, err := path.Apply(prior)
		if err != nil {
			continue
		}
		config = replaceAt(config, path, old)
	}
	return config
}

// traversalPath converts a relative traversal (env, port[0].host,
// env["A"]) to a cty path.
func traversalPath(t hcl.Traversal) cty.Path {
	var p cty.Path
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			p = p.GetAttr(s.Name)
		case hcl.TraverseAttr:
			p = p.GetAttr(s.Name)
		case hcl.TraverseIndex:
			p = p.Index(s.Key)
		default:
			return nil
		}
	}
	return p
}

// replaceAt returns v with the value at path replaced by nv (when the
// types agree; otherwise v unchanged).
func replaceAt(v cty.Value, path cty.Path, nv cty.Value) cty.Value {
	out, err := cty.Transform(v, func(p cty.Path, cur cty.Value) (cty.Value, error) {
		if p.Equals(path) && cur.Type().Equals(nv.Type()) {
			return nv, nil
		}
		if p.Equals(path) && cur.Type().IsMapType() && nv.Type().IsMapType() {
			return nv, nil
		}
		return cur, nil
	})
	if err != nil {
		return v
	}
	return out
}

// targetSet answers which resources and instances a plan covers. With no
// targets it covers everything. With -target it covers the targets and,
// for a normal plan, everything they depend on; for destroy, the targets
// and everything that depends on them.
type targetSet struct {
	all       bool
	targets   []addrs.Target
	resources map[string]bool // resources planned in full (dependencies)
	destroy   map[string]bool // instances to delete in destroy mode
}

func newTargetSet(targets []addrs.Target, g *graph, prior *state.State) *targetSet {
	ts := &targetSet{all: len(targets) == 0, targets: targets, resources: map[string]bool{}, destroy: map[string]bool{}}
	if ts.all {
		return ts
	}
	// Dependencies of targeted resources are planned in full.
	var visit func(k nodeKey)
	seen := map[nodeKey]bool{}
	visit = func(k nodeKey) {
		for _, d := range g.resourceDeps[k] {
			if !seen[d] {
				seen[d] = true
				ts.resources[g.nodes[d].resource.Addr.String()] = true
				visit(d)
			}
		}
	}
	for _, k := range g.order {
		if n := g.nodes[k]; n.resource != nil && ts.touches(n.resource.Addr) {
			visit(k)
		}
	}
	ts.closeDestroy(prior)
	return ts
}

// closeDestroy selects targeted instances and, transitively, recorded
// instances depending on them.
func (ts *targetSet) closeDestroy(prior *state.State) {
	for _, rs := range prior.Resources {
		if ts.matches(rs.Addr) {
			ts.destroy[rs.Addr.String()] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, rs := range prior.Resources {
			if ts.destroy[rs.Addr.String()] {
				continue
			}
			for _, d := range rs.Dependencies {
				if ts.destroy[d] || ts.destroyResource(d) {
					ts.destroy[rs.Addr.String()] = true
					changed = true
					break
				}
			}
		}
	}
}

// destroyResource reports whether dependency d (an instance or resource
// address) names something selected for destruction.
func (ts *targetSet) destroyResource(d string) bool {
	for k := range ts.destroy {
		if inst, err := addrs.ParseInstance(k); err == nil && inst.Resource.String() == d {
			return true
		}
	}
	return false
}

func (ts *targetSet) matches(a addrs.Instance) bool {
	for _, t := range ts.targets {
		if t.Contains(a) {
			return true
		}
	}
	return false
}

// touches reports whether some target selects any instance of r.
func (ts *targetSet) touches(r addrs.Resource) bool {
	for _, t := range ts.targets {
		if !r.Module.HasPrefix(t.Module) {
			continue
		}
		if t.Type == "" || t.Module.Equal(r.Module) && t.Type == r.Type && t.Name == r.Name {
			return true
		}
	}
	return false
}

func (ts *targetSet) plansResource(r addrs.Resource) bool {
	return ts.all || ts.resources[r.String()] || ts.touches(r)
}

func (ts *targetSet) plansInstance(a addrs.Instance) bool {
	return ts.all || ts.resources[a.Resource.String()] || ts.matches(a)
}

func (ts *targetSet) destroys(a addrs.Instance) bool {
	return ts.all || ts.destroy[a.String()]
}
