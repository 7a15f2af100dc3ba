package planner

import (
	"sort"
	"strings"

	"github.com/berthhq/berth/schemas"
)

// findCycles returns every strongly connected component with more than
// one node, or with a self edge, each ordered along its edges (Tarjan).
func (g *graph) findCycles() [][]nodeKey {
	t := &tarjan{g: g, index: map[nodeKey]int{}, low: map[nodeKey]int{}, on: map[nodeKey]bool{}}
	for _, k := range g.order {
		if _, seen := t.index[k]; !seen {
			t.visit(k)
		}
	}
	return t.cycles
}

type tarjan struct {
	g      *graph
	next   int
	index  map[nodeKey]int
	low    map[nodeKey]int
	on     map[nodeKey]bool
	stack  []nodeKey
	cycles [][]nodeKey
}

func (t *tarjan) visit(k nodeKey) {
	t.index[k], t.low[k] = t.next, t.next
	t.next++
	t.stack = append(t.stack, k)
	t.on[k] = true
	selfLoop := false
	for _, d := range t.g.nodes[k].deps {
		if d == k {
			selfLoop = true
		}
		if _, seen := t.index[d]; !seen {
			t.visit(d)
			t.low[k] = min(t.low[k], t.low[d])
		} else if t.on[d] {
			t.low[k] = min(t.low[k], t.index[d])
		}
	}
	if t.low[k] != t.index[k] {
		return
	}
	var comp []nodeKey
	for {
		top := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[top] = false
		comp = append(comp, top)
		if top == k {
			break
		}
	}
	if len(comp) > 1 || selfLoop {
		t.cycles = append(t.cycles, t.order(comp))
	}
}

// order arranges a component along its edges from its smallest key, so
// that the message reads a -> b -> c -> a.
func (t *tarjan) order(comp []nodeKey) []nodeKey {
	in := map[nodeKey]bool{}
	for _, k := range comp {
		in[k] = true
	}
	sort.Slice(comp, func(i, j int) bool { return comp[i].String() < comp[j].String() })
	path := []nodeKey{comp[0]}
	seen := map[nodeKey]bool{comp[0]: true}
	for cur := comp[0]; ; {
		var next *nodeKey
		for _, d := range t.g.nodes[cur].deps {
			if in[d] && !seen[d] {
				d := d
				next = &d
				break
			}
		}
		if next == nil {
			break
		}
		path = append(path, *next)
		seen[*next] = true
		cur = *next
	}
	return path
}

// computeResourceDeps finds, for every resource, the resources it depends
// on directly or through non-resource nodes.
func (g *graph) computeResourceDeps() map[nodeKey][]nodeKey {
	memo := map[nodeKey][]nodeKey{}
	var through func(k nodeKey) []nodeKey
	through = func(k nodeKey) []nodeKey {
		if r, ok := memo[k]; ok {
			return r
		}
		memo[k] = nil // no cycles remain; guards against revisits
		set := map[nodeKey]bool{}
		for _, d := range g.nodes[k].deps {
			if d.kind == kindResource {
				set[d] = true
				continue
			}
			for _, r := range through(d) {
				set[r] = true
			}
		}
		out := make([]nodeKey, 0, len(set))
		for r := range set {
			out = append(out, r)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
		memo[k] = out
		return out
	}
	res := map[nodeKey][]nodeKey{}
	for _, k := range g.order {
		if k.kind == kindResource {
			res[k] = through(k)
		}
	}
	return res
}

// resourceOrder returns the resource nodes in an order where every
// resource comes after the resources it depends on.
func (g *graph) resourceOrder() []nodeKey {
	var out []nodeKey
	done := map[nodeKey]bool{}
	var visit func(k nodeKey)
	visit = func(k nodeKey) {
		if done[k] {
			return
		}
		done[k] = true
		for _, d := range g.resourceDeps[k] {
			visit(d)
		}
		out = append(out, k)
	}
	for _, k := range g.order {
		if k.kind == kindResource {
			visit(k)
		}
	}
	return out
}

// DOT renders the resource graph (resources and their dependencies).
func (g *graph) dot() string {
	var b strings.Builder
	b.WriteString("digraph berth {\n  compound = \"true\"\n  newrank = \"true\"\n  rankdir = \"RL\"\n")
	for _, k := range g.order {
		if k.kind != kindResource {
			continue
		}
		b.WriteString("  \"" + k.String() + "\" [shape = \"box\"]\n")
	}
	for _, k := range g.order {
		if k.kind != kindResource {
			continue
		}
		for _, d := range g.resourceDeps[k] {
			b.WriteString("  \"" + k.String() + "\" -> \"" + d.String() + "\"\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func nodeSchema() *schemas.Block { return schemas.Node }
