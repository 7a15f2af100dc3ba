package state

import (
	"errors"
	"fmt"
	"slices"

	"github.com/berthhq/berth/schemas/addrs"
)

// Move re-addresses recorded instances, as `berth state mv` does:
//
//   - instance to instance: container.a[0] -> container.b["x"] (either side
//     may be a resource without count or for_each: container.a -> container.b[0]);
//   - resource to resource: container.a -> container.b moves every instance,
//     keeping keys;
//   - module to module: module.a -> module.b moves everything in module.a and
//     its children.
//
// It refuses with a *MoveError when the source is absent (ErrNotFound) or
// the destination is already recorded (ErrExists), and then changes nothing.
// Dependencies naming moved addresses are rewritten. Moved records are
// replaced by copies, so Resources handed out earlier keep their old address.
func (s *State) Move(from, to addrs.Target) error {
	fail := func(addr string, err error) error {
		return &MoveError{From: from.String(), To: to.String(), Addr: addr, Err: err}
	}
	m, err := planMove(from, to)
	if err != nil {
		return fail("", err)
	}
	var moved, kept []*Resource
	for _, r := range s.Resources {
		if m.selects(r.Addr) {
			moved = append(moved, r)
		} else {
			kept = append(kept, r)
		}
	}
	if len(moved) == 0 {
		return fail(from.String(), ErrNotFound)
	}
	for _, r := range kept {
		if m.occupies(r.Addr) {
			return fail(r.Addr.String(), ErrExists)
		}
	}
	renames := map[string]string{}
	for i, r := range moved {
		c := *r
		c.Addr = m.rename(r.Addr)
		renames[r.Addr.String()] = c.Addr.String()
		if m.wholeResources {
			renames[r.Addr.Resource.String()] = c.Addr.Resource.String()
		}
		moved[i] = &c
	}
	s.Resources = append(kept, moved...)
	s.sortResources()
	s.renameDependencies(renames)
	return nil
}

// moveSpec is one planned Move: which instances it takes, which recorded
// instances block it, and where each taken instance goes.
type moveSpec struct {
	selects        func(addrs.Instance) bool
	occupies       func(addrs.Instance) bool
	rename         func(addrs.Instance) addrs.Instance
	wholeResources bool // resource and module moves carry resource addresses too
}

func planMove(from, to addrs.Target) (moveSpec, error) {
	switch {
	case from.String() == to.String():
		return moveSpec{}, errors.New("source and destination are the same")
	case from.HasOrdinal || to.HasOrdinal:
		return moveSpec{}, errors.New("replicas are not recorded in the state; move the deployment instance instead")
	case from.Type == "" && to.Type == "":
		return planModuleMove(from.Module, to.Module)
	case from.Type == "" || to.Type == "":
		return moveSpec{}, errors.New("a module moves only to a module, and a resource only to a resource")
	case from.Type != to.Type:
		return moveSpec{}, fmt.Errorf("resource types differ (%s and %s)", from.Type, to.Type)
	case from.HasKey || to.HasKey:
		src, _ := from.Instance()
		dst, _ := to.Instance()
		return moveSpec{
			selects:  func(i addrs.Instance) bool { return sameInstance(i, src) },
			occupies: func(i addrs.Instance) bool { return sameInstance(i, dst) },
			rename:   func(addrs.Instance) addrs.Instance { return cloneInstance(dst) },
		}, nil
	}
	dst := addrs.Resource{Module: to.Module, Type: to.Type, Name: to.Name}
	return moveSpec{
		selects:  from.Contains,
		occupies: to.Contains,
		rename: func(i addrs.Instance) addrs.Instance {
			return addrs.Instance{Resource: addrs.Resource{Module: slices.Clone(dst.Module), Type: dst.Type, Name: dst.Name}, Key: i.Key}
		},
		wholeResources: true,
	}, nil
}

func planModuleMove(from, to addrs.Module) (moveSpec, error) {
	if from.IsRoot() || to.IsRoot() {
		return moveSpec{}, errors.New("the root module cannot be moved")
	}
	return moveSpec{
		selects:  func(i addrs.Instance) bool { return i.Module.HasPrefix(from) },
		occupies: func(i addrs.Instance) bool { return i.Module.HasPrefix(to) },
		rename: func(i addrs.Instance) addrs.Instance {
			c := cloneInstance(i)
			c.Module = append(slices.Clone(to), i.Module[len(from):]...)
			return c
		},
		wholeResources: true,
	}, nil
}

func cloneInstance(i addrs.Instance) addrs.Instance {
	i.Module = slices.Clone(i.Module)
	return i
}

// renameDependencies rewrites dependency addresses found in renames,
// replacing the records it changes by copies.
func (s *State) renameDependencies(renames map[string]string) {
	for i, r := range s.Resources {
		changed := false
		deps := slices.Clone(r.Dependencies)
		for j, d := range deps {
			if n, ok := renames[d]; ok {
				deps[j], changed = n, true
			}
		}
		if changed {
			slices.Sort(deps)
			c := *r
			c.Dependencies = slices.Compact(deps)
			s.Resources[i] = &c
		}
	}
}
