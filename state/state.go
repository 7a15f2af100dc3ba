package state

import (
	"slices"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/google/uuid"
)

// BerthVersion is the berth release recorded in every state file written
// and in lock info. The CLI overwrites it with its own version at start-up.
var BerthVersion = "0.1.0"

// New returns an empty state with a fresh lineage (a random UUID), serial 0
// and the current format version.
func New() *State {
	return &State{
		Version:      CurrentVersion,
		Lineage:      uuid.NewString(),
		BerthVersion: BerthVersion,
		Outputs:      map[string]*Output{},
	}
}

// find returns the position of addr in the sorted Resources and whether an
// instance with exactly that address sits there.
func (s *State) find(addr addrs.Instance) (int, bool) {
	return slices.BinarySearchFunc(s.Resources, addr, func(r *Resource, a addrs.Instance) int {
		return compareInstances(r.Addr, a)
	})
}

// Resource returns the instance at addr, or nil (also for a nil state).
func (s *State) Resource(addr addrs.Instance) *Resource {
	if s == nil {
		return nil
	}
	if i, ok := s.find(addr); ok {
		return s.Resources[i]
	}
	return nil
}

// Set adds or replaces the record of r.Addr, keeping Resources sorted. The
// state keeps r itself, not a copy.
func (s *State) Set(r *Resource) {
	i, ok := s.find(r.Addr)
	if ok {
		s.Resources[i] = r
		return
	}
	s.Resources = slices.Insert(s.Resources, i, r)
}

// Remove deletes the record at addr; it reports whether one existed.
func (s *State) Remove(addr addrs.Instance) bool {
	i, ok := s.find(addr)
	if ok {
		s.Resources = slices.Delete(s.Resources, i, i+1)
	}
	return ok
}

// ResourcesIn returns the recorded instances that t selects (a module and
// its descendants, every instance of a resource, or one instance), in
// address order. A nil state has none.
func (s *State) ResourcesIn(t addrs.Target) []*Resource {
	var out []*Resource
	if s == nil {
		return nil
	}
	for _, r := range s.Resources {
		if t.Contains(r.Addr) {
			out = append(out, r)
		}
	}
	return out
}

// Empty reports whether no resources and no outputs are recorded.
func (s *State) Empty() bool {
	return s == nil || len(s.Resources) == 0 && len(s.Outputs) == 0
}

// DeepCopy returns an independent copy; nil yields nil.
func (s *State) DeepCopy() *State {
	if s == nil {
		return nil
	}
	c := *s
	if s.Resources != nil {
		c.Resources = make([]*Resource, len(s.Resources))
		for i, r := range s.Resources {
			c.Resources[i] = r.DeepCopy()
		}
	}
	if s.Outputs != nil {
		c.Outputs = make(map[string]*Output, len(s.Outputs))
		for name, o := range s.Outputs {
			c.Outputs[name] = o.DeepCopy()
		}
	}
	return &c
}

// sortResources restores the address order of Resources, for states built
// by appending to the slice directly.
func (s *State) sortResources() {
	slices.SortStableFunc(s.Resources, func(a, b *Resource) int {
		return compareInstances(a.Addr, b.Addr)
	})
}

// compareInstances orders instances as addrs.Instance.Less does.
func compareInstances(a, b addrs.Instance) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
}

// sameInstance reports whether a and b are the same address.
func sameInstance(a, b addrs.Instance) bool { return compareInstances(a, b) == 0 }
