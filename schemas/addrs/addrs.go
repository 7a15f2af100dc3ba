// Package addrs is berth's vocabulary of resource addresses:
// container.web, container.web[0], container.web["a"],
// module.app.container.web, and the replica address deployment.web#2.
// Addresses print and parse in one syntax everywhere (CLI, state, plan).
package addrs

import (
	"fmt"
	"strconv"
	"strings"
)

// KeyKind says whether an instance key is absent, a count index or a
// for_each key.
type KeyKind byte

const (
	NoKey KeyKind = iota
	IntKey
	StringKey
)

// Key identifies one instance of a resource with count or for_each.
type Key struct {
	Kind KeyKind
	Int  int
	Str  string
}

// IntKeyOf and StringKeyOf build instance keys.
func IntKeyOf(i int) Key       { return Key{Kind: IntKey, Int: i} }
func StringKeyOf(s string) Key { return Key{Kind: StringKey, Str: s} }

// String renders the key with its brackets: "", "[0]" or `["a"]`.
func (k Key) String() string {
	switch k.Kind {
	case IntKey:
		return "[" + strconv.Itoa(k.Int) + "]"
	case StringKey:
		return "[" + strconv.Quote(k.Str) + "]"
	}
	return ""
}

// Value is the key as a Go value for JSON: nil, int or string.
func (k Key) Value() any {
	switch k.Kind {
	case IntKey:
		return k.Int
	case StringKey:
		return k.Str
	}
	return nil
}

// Less orders keys: no key, then ints ascending, then strings.
func (k Key) Less(o Key) bool {
	if k.Kind != o.Kind {
		return k.Kind < o.Kind
	}
	if k.Kind == IntKey {
		return k.Int < o.Int
	}
	return k.Str < o.Str
}

// Module is a path of module call names from the root; nil is the root.
type Module []string

func (m Module) String() string {
	var b strings.Builder
	for i, n := range m {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module.")
		b.WriteString(n)
	}
	return b.String()
}

// IsRoot reports whether m is the root module.
func (m Module) IsRoot() bool { return len(m) == 0 }

// Child returns the path of a module called name from m.
func (m Module) Child(name string) Module {
	c := make(Module, len(m), len(m)+1)
	copy(c, m)
	return append(c, name)
}

// Equal reports whether two module paths are the same.
func (m Module) Equal(o Module) bool {
	if len(m) != len(o) {
		return false
	}
	for i := range m {
		if m[i] != o[i] {
			return false
		}
	}
	return true
}

// HasPrefix reports whether p is m or an ancestor of m.
func (m Module) HasPrefix(p Module) bool {
	return len(p) <= len(m) && m[:len(p)].Equal(p)
}

// Resource is a resource block: type and name within a module.
type Resource struct {
	Module Module
	Type   string
	Name   string
}

func (r Resource) String() string {
	local := r.Type + "." + r.Name
	if r.Module.IsRoot() {
		return local
	}
	return r.Module.String() + "." + local
}

// Instance returns the instance of r with key k.
func (r Resource) Instance(k Key) Instance { return Instance{Resource: r, Key: k} }

// Instance is one instance of a resource: the unit that the planner diffs
// and that state records.
type Instance struct {
	Resource
	Key Key
}

func (i Instance) String() string { return i.Resource.String() + i.Key.String() }

// Less orders instances by module, type, name and key.
func (i Instance) Less(o Instance) bool {
	a, b := i.Module.String(), o.Module.String()
	if a != b {
		return a < b
	}
	if i.Type != o.Type {
		return i.Type < o.Type
	}
	if i.Name != o.Name {
		return i.Name < o.Name
	}
	return i.Key.Less(o.Key)
}

// Replica addresses one replica of a deployment instance: deployment.web#2.
type Replica struct {
	Instance
	Ordinal int
}

func (r Replica) String() string { return r.Instance.String() + "#" + strconv.Itoa(r.Ordinal) }

// Target is what -target, state commands and operating commands accept: a
// whole module, all instances of a resource, one instance, or one replica.
type Target struct {
	Module     Module
	Type       string // empty: the whole module
	Name       string
	HasKey     bool // false: every instance of the resource
	Key        Key
	Ordinal    int // replica ordinal, when HasOrdinal
	HasOrdinal bool
}

func (t Target) String() string {
	if t.Type == "" {
		return t.Module.String()
	}
	s := Resource{Module: t.Module, Type: t.Type, Name: t.Name}.String()
	if t.HasKey {
		s += t.Key.String()
	}
	if t.HasOrdinal {
		s += "#" + strconv.Itoa(t.Ordinal)
	}
	return s
}

// Contains reports whether instance i is selected by the target.
func (t Target) Contains(i Instance) bool {
	if !i.Module.HasPrefix(t.Module) {
		return false
	}
	if t.Type == "" {
		return true
	}
	if !i.Module.Equal(t.Module) || i.Type != t.Type || i.Name != t.Name {
		return false
	}
	return !t.HasKey || i.Key == t.Key
}

// Instance returns the target as an instance address, and false when the
// target names a module or several instances.
func (t Target) Instance() (Instance, bool) {
	if t.Type == "" {
		return Instance{}, false
	}
	inst := Instance{Resource: Resource{Module: t.Module, Type: t.Type, Name: t.Name}}
	if t.HasKey {
		inst.Key = t.Key
	}
	return inst, true
}

// ParseInstance parses an instance address such as container.web[0].
// An address without a key names the instance of a resource without
// count or for_each.
func ParseInstance(s string) (Instance, error) {
	t, err := ParseTarget(s)
	if err != nil {
		return Instance{}, err
	}
	if t.Type == "" || t.HasOrdinal {
		return Instance{}, fmt.Errorf("%q is not a resource instance address (want TYPE.NAME, TYPE.NAME[INDEX] or module.M.TYPE.NAME)", s)
	}
	inst, _ := t.Instance()
	return inst, nil
}

// ParseTarget parses any address berth accepts on the command line.
func ParseTarget(s string) (Target, error) {
	p := &parser{src: s}
	t, err := p.target()
	if err != nil {
		return Target{}, fmt.Errorf("invalid address %q: %w", s, err)
	}
	return t, nil
}
