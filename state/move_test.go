package state

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

func moveFixture(t *testing.T) *State {
	st := New()
	st.Lineage = "fixture"
	for _, a := range []string{
		"container.a[0]", "container.a[1]", "container.solo", "container.c[0]",
		"module.m.container.x", "module.m.module.n.volume.v", "module.other.container.y",
	} {
		st.Set(testResource(t, a))
	}
	st.Resource(mustInstance(t, "container.solo")).Dependencies = []string{"container.a", "container.a[1]", "module.m.container.x"}
	return st
}

func TestMove(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           []string // addresses after the move
		wantDeps       []string // dependencies of the record named depsOf after the move
		depsOf         string
	}{
		{
			name: "instance to instance", from: "container.a[1]", to: `container.b["one"]`,
			want:     []string{"container.a[0]", `container.b["one"]`, "container.c[0]", "container.solo", "module.m.container.x", "module.m.module.n.volume.v", "module.other.container.y"},
			depsOf:   "container.solo",
			wantDeps: []string{"container.a", `container.b["one"]`, "module.m.container.x"},
		},
		{
			name: "resource to resource keeps keys", from: "container.a", to: "module.z.container.b",
			want:     []string{"container.c[0]", "container.solo", "module.m.container.x", "module.m.module.n.volume.v", "module.other.container.y", "module.z.container.b[0]", "module.z.container.b[1]"},
			depsOf:   "container.solo",
			wantDeps: []string{"module.m.container.x", "module.z.container.b", "module.z.container.b[1]"},
		},
		{
			name: "no key to key", from: "container.solo", to: "container.solo[0]",
			want: []string{"container.a[0]", "container.a[1]", "container.c[0]", "container.solo[0]", "module.m.container.x", "module.m.module.n.volume.v", "module.other.container.y"},
		},
		{
			name: "key to no key", from: "container.c[0]", to: "container.c",
			want: []string{"container.a[0]", "container.a[1]", "container.c", "container.solo", "module.m.container.x", "module.m.module.n.volume.v", "module.other.container.y"},
		},
		{
			name: "module to module", from: "module.m", to: "module.k.module.m2",
			want:     []string{"container.a[0]", "container.a[1]", "container.c[0]", "container.solo", "module.k.module.m2.container.x", "module.k.module.m2.module.n.volume.v", "module.other.container.y"},
			depsOf:   "container.solo",
			wantDeps: []string{"container.a", "container.a[1]", "module.k.module.m2.container.x"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := moveFixture(t)
			before := st.DeepCopy()
			if err := st.Move(mustTarget(t, tc.from), mustTarget(t, tc.to)); err != nil {
				t.Fatal(err)
			}
			if got := addrsOf(st.Resources); !slices.Equal(got, tc.want) {
				t.Errorf("after move: %q\nwant %q", got, tc.want)
			}
			if tc.depsOf != "" {
				if got := st.Resource(mustInstance(t, tc.depsOf)).Dependencies; !slices.Equal(got, tc.wantDeps) {
					t.Errorf("dependencies = %q, want %q", got, tc.wantDeps)
				}
			}
			if got, want := attributeSet(st), attributeSet(before); !slices.Equal(got, want) {
				t.Error("attributes changed")
			}
			// the records the caller held before keep their addresses
			if got := addrsOf(before.Resources); !slices.Equal(got, addrsOf(moveFixture(t).Resources)) {
				t.Errorf("copy taken before the move changed: %q", got)
			}
		})
	}
}

func TestMoveRefuses(t *testing.T) {
	tests := []struct {
		name, from, to string
		sentinel       error // nil: any refusal
	}{
		{"source absent", "container.nope[0]", "container.b[0]", ErrNotFound},
		{"resource absent", "container.nope", "container.b", ErrNotFound},
		{"module absent", "module.nope", "module.b", ErrNotFound},
		{"destination instance exists", "container.a[0]", "container.a[1]", ErrExists},
		{"destination resource exists", "container.a", "container.c", ErrExists},
		{"destination module exists", "module.m", "module.other", ErrExists},
		{"same address", "container.a[0]", "container.a[0]", nil},
		{"types differ", "container.a[0]", "volume.a[0]", nil},
		{"module to resource", "module.m", "container.z", nil},
		{"replica", "container.a[0]#1", "container.b[0]", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := moveFixture(t)
			err := st.Move(mustTarget(t, tc.from), mustTarget(t, tc.to))
			var me *MoveError
			if !errors.As(err, &me) {
				t.Fatalf("Move = %v, want a *MoveError", err)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("Move = %v, want %v", err, tc.sentinel)
			}
			if !reflect.DeepEqual(st, moveFixture(t)) {
				t.Error("a refused move changed the state")
			}
			t.Log(err)
		})
	}
}

// attributeSet is every record's attributes, sorted: a move keeps them.
func attributeSet(st *State) []string {
	var out []string
	for _, r := range st.Resources {
		out = append(out, string(r.Attributes))
	}
	slices.Sort(out)
	return out
}
