package planner

import (
	"context"
	"sync"
	"testing"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/zclconf/go-cty/cty"
)

func TestAgrees(t *testing.T) {
	obj := func(id, v cty.Value) cty.Value { return cty.ObjectVal(map[string]cty.Value{"id": id, "v": v}) }
	unknown := cty.UnknownVal(cty.String)
	tests := []struct {
		name         string
		saved, final cty.Value
		ok           bool
	}{
		{"unknown resolved", obj(unknown, cty.StringVal("a")), obj(cty.StringVal("x"), cty.StringVal("a")), true},
		{"known kept", obj(cty.StringVal("x"), cty.StringVal("a")), obj(cty.StringVal("x"), cty.StringVal("a")), true},
		{"known changed", obj(unknown, cty.StringVal("a")), obj(cty.StringVal("x"), cty.StringVal("b")), false},
		{"null became value", obj(unknown, cty.NullVal(cty.String)), obj(cty.StringVal("x"), cty.StringVal("b")), false},
		{"list with unknown", cty.ListVal([]cty.Value{unknown, cty.StringVal("a")}), cty.ListVal([]cty.Value{cty.StringVal("z"), cty.StringVal("a")}), true},
		{"list length", cty.ListVal([]cty.Value{unknown}), cty.ListVal([]cty.Value{cty.StringVal("z"), cty.StringVal("a")}), false},
		{"map key lost", cty.MapVal(map[string]cty.Value{"a": unknown}), cty.MapVal(map[string]cty.Value{"b": cty.StringVal("z")}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := agrees(tc.saved, tc.final, nil); ok != tc.ok {
				t.Errorf("agrees = %v, want %v", ok, tc.ok)
			}
		})
	}
}

func TestPropagateCreateBeforeDestroy(t *testing.T) {
	inst := func(n string) addrs.Instance {
		return addrs.Instance{Resource: addrs.Resource{Type: "t", Name: n}}
	}
	dep := &ResourceChange{Addr: inst("dep"), Action: DeleteThenCreate}
	user := &ResourceChange{Addr: inst("user"), Action: CreateThenDelete, Dependencies: []addrs.Instance{inst("dep")}}
	other := &ResourceChange{Addr: inst("other"), Action: DeleteThenCreate}
	propagateCreateBeforeDestroy([]*ResourceChange{dep, user, other})
	if dep.Action != CreateThenDelete {
		t.Errorf("dependency of a create_before_destroy replacement: %v", dep.Action)
	}
	if other.Action != DeleteThenCreate {
		t.Errorf("unrelated replacement changed: %v", other.Action)
	}
}

func TestWalkDAGOrderAndSkip(t *testing.T) {
	k := func(n string) nodeKey { return nodeKey{kind: kindResource, name: n} }
	keys := []nodeKey{k("a"), k("b"), k("c"), k("d")}
	deps := map[nodeKey][]nodeKey{k("b"): {k("a")}, k("c"): {k("b")}, k("d"): {k("a")}}
	var mu sync.Mutex
	var visited, skipped []string
	walkDAG(context.Background(), keys, deps, 2, func(n nodeKey) bool {
		mu.Lock()
		defer mu.Unlock()
		visited = append(visited, n.name)
		return n.name != "b"
	}, func(n nodeKey) {
		mu.Lock()
		defer mu.Unlock()
		skipped = append(skipped, n.name)
	})
	if len(visited) != 3 || visited[0] != "a" {
		t.Errorf("visited %v, want a first then b and d", visited)
	}
	if len(skipped) != 1 || skipped[0] != "c" {
		t.Errorf("skipped %v, want [c] (its dependency b failed)", skipped)
	}
}
