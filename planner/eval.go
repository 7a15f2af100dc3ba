package planner

import (
	"maps"
	"slices"
	"sort"
	"sync"

	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// instanceValues holds the current value of every resource instance the
// evaluator can see: planned values while planning, applied values while
// applying. It is safe for concurrent use.
type instanceValues struct {
	mu   sync.RWMutex
	byRs map[string]map[addrs.Key]cty.Value // by addrs.Resource.String()
}

func newInstanceValues() *instanceValues {
	return &instanceValues{byRs: map[string]map[addrs.Key]cty.Value{}}
}

func (iv *instanceValues) set(addr addrs.Instance, v cty.Value) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	rs := addr.Resource.String()
	m := iv.byRs[rs]
	if m == nil {
		m = map[addrs.Key]cty.Value{}
		iv.byRs[rs] = m
	}
	m[addr.Key] = v
}

func (iv *instanceValues) remove(addr addrs.Instance) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	delete(iv.byRs[addr.Resource.String()], addr.Key)
}

// resetResource forgets every instance of r, before it is expanded anew.
func (iv *instanceValues) resetResource(r addrs.Resource) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	delete(iv.byRs, r.String())
}

func (iv *instanceValues) get(r addrs.Resource) map[addrs.Key]cty.Value {
	iv.mu.RLock()
	defer iv.mu.RUnlock()
	src := iv.byRs[r.String()]
	out := make(map[addrs.Key]cty.Value, len(src))
	for k, v := range src {
		out[k] = v
	}
	return out
}

// lazyValue is a value computed once, on first use, by whichever goroutine
// asks first; the others wait for it.
type lazyValue struct {
	once  sync.Once
	val   cty.Value
	diags hcl.Diagnostics
}

// evaluator answers references (it implements spec.Data) over a
// configuration tree, root variable values and instance values. Variables
// of child modules, locals, outputs and nodes are evaluated lazily and
// memoised; the graph guarantees that every resource a value depends on
// has its final value by the time anything asks for it.
type evaluator struct {
	root     *spec.Config
	modules  map[string]*spec.Config // by module path
	parents  map[string]*spec.Config // parent of each child module
	rootVars map[string]cty.Value
	values   *instanceValues
	// lenient (at validate) takes a resource without instance values as
	// unknown: its count or for_each is not known yet.
	lenient bool

	mu   sync.Mutex
	memo map[nodeKey]*lazyValue
}

var _ spec.Data = (*evaluator)(nil)

func newEvaluator(root *spec.Config, vars map[string]cty.Value, values *instanceValues) *evaluator {
	ev := &evaluator{
		root: root, rootVars: vars, values: values,
		modules: map[string]*spec.Config{}, parents: map[string]*spec.Config{},
		memo: map[nodeKey]*lazyValue{},
	}
	ev.index(root)
	return ev
}

func (ev *evaluator) index(cfg *spec.Config) {
	ev.modules[cfg.Path.String()] = cfg
	for _, c := range cfg.Children {
		ev.parents[c.Path.String()] = cfg
		ev.index(c)
	}
}

// scope returns an evaluation scope for module cfg.
func (ev *evaluator) scope(cfg *spec.Config, rep spec.RepetitionData) *spec.Scope {
	return &spec.Scope{Module: cfg.Path, BaseDir: cfg.Dir, RootDir: ev.root.Dir, Data: ev, Repeat: rep}
}

func (ev *evaluator) lazy(k nodeKey, compute func() (cty.Value, hcl.Diagnostics)) (cty.Value, hcl.Diagnostics) {
	ev.mu.Lock()
	lv := ev.memo[k]
	if lv == nil {
		lv = &lazyValue{}
		ev.memo[k] = lv
	}
	ev.mu.Unlock()
	lv.once.Do(func() { lv.val, lv.diags = compute() })
	return lv.val, lv.diags
}

// Variable implements spec.Data.
func (ev *evaluator) Variable(mod addrs.Module, name string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	if mod.IsRoot() {
		if v, ok := ev.rootVars[name]; ok {
			return v, nil
		}
		return cty.DynamicVal, nil
	}
	key := nodeKey{kindVariable, mod.String(), name}
	return ev.lazy(key, func() (cty.Value, hcl.Diagnostics) { return ev.moduleVariable(mod, name) })
}

func (ev *evaluator) moduleVariable(mod addrs.Module, name string) (cty.Value, hcl.Diagnostics) {
	cfg := ev.modules[mod.String()]
	parent := ev.parents[mod.String()]
	if cfg == nil || parent == nil {
		return cty.DynamicVal, nil
	}
	v := cfg.Variables[name]
	if v == nil {
		return cty.DynamicVal, nil
	}
	call := parent.ModuleCalls[mod[len(mod)-1]]
	val, rng := cty.NilVal, v.DeclRange
	var diags hcl.Diagnostics
	if attr, ok := call.Inputs[name]; ok {
		val, diags = ev.scope(parent, spec.RepetitionData{}).EvalExpr(attr.Expr, cty.DynamicPseudoType)
		rng = attr.Expr.Range()
		if diags.HasErrors() {
			return cty.UnknownVal(v.Type), diags
		}
	}
	pv, pdiags := spec.PrepareVariable(v, val, rng)
	return pv, append(diags, pdiags...)
}

// Local implements spec.Data.
func (ev *evaluator) Local(mod addrs.Module, name string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	cfg := ev.modules[mod.String()]
	if cfg == nil || cfg.Locals[name] == nil {
		return cty.DynamicVal, nil
	}
	return ev.lazy(nodeKey{kindLocal, mod.String(), name}, func() (cty.Value, hcl.Diagnostics) {
		return ev.scope(cfg, spec.RepetitionData{}).EvalExpr(cfg.Locals[name].Expr, cty.DynamicPseudoType)
	})
}

// Resource implements spec.Data: one value for a single instance, a tuple
// for count, an object for for_each.
func (ev *evaluator) Resource(r addrs.Resource, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	cfg := ev.modules[r.Module.String()]
	var rc *spec.Resource
	if cfg != nil {
		rc = cfg.Resources[r.Type+"."+r.Name]
	}
	if rc == nil {
		return cty.DynamicVal, nil
	}
	insts := ev.values.get(r)
	if ev.lenient && len(insts) == 0 {
		return cty.DynamicVal, nil
	}
	switch {
	case rc.Count != nil:
		keys := sortedInstanceKeys(insts)
		vals := make([]cty.Value, 0, len(keys))
		for _, k := range keys {
			if k.Kind == addrs.IntKey {
				vals = append(vals, insts[k])
			}
		}
		return cty.TupleVal(vals), nil
	case rc.ForEach != nil:
		m := map[string]cty.Value{}
		for k, v := range insts {
			if k.Kind == addrs.StringKey {
				m[k.Str] = v
			}
		}
		return cty.ObjectVal(m), nil
	}
	if v, ok := insts[addrs.Key{}]; ok {
		return v, nil
	}
	return cty.UnknownVal(rc.Schema.Block.ImpliedType()), nil
}

// ModuleOutputs implements spec.Data.
func (ev *evaluator) ModuleOutputs(child addrs.Module, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	cfg := ev.modules[child.String()]
	if cfg == nil {
		return cty.DynamicVal, nil
	}
	attrs := make(map[string]cty.Value, len(cfg.Outputs))
	var diags hcl.Diagnostics
	for _, name := range slices.Sorted(maps.Keys(cfg.Outputs)) {
		v, d := ev.output(cfg, name)
		diags = append(diags, d...)
		attrs[name] = v
	}
	return cty.ObjectVal(attrs), diags
}

// output evaluates one output of module cfg, marked when sensitive.
func (ev *evaluator) output(cfg *spec.Config, name string) (cty.Value, hcl.Diagnostics) {
	o := cfg.Outputs[name]
	return ev.lazy(nodeKey{kindOutput, cfg.Path.String(), name}, func() (cty.Value, hcl.Diagnostics) {
		v, diags := ev.scope(cfg, spec.RepetitionData{}).EvalExpr(o.Expr, cty.DynamicPseudoType)
		if o.Sensitive {
			v = v.Mark(spec.SensitiveMark)
		}
		return v, diags
	})
}

// Node implements spec.Data.
func (ev *evaluator) Node(name string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	cfg := ev.root
	nb := cfg.Nodes[name]
	if nb == nil {
		return cty.DynamicVal, nil
	}
	return ev.lazy(nodeKey{kindNode, "", name}, func() (cty.Value, hcl.Diagnostics) {
		v, diags := ev.scope(cfg, spec.RepetitionData{}).EvalBody(nb.Body, schemas.Node)
		if diags.HasErrors() || v.IsNull() || !v.IsKnown() {
			return v, diags
		}
		return setDefaultName(v, name), diags
	})
}

// setDefaultName fills a null "name" attribute of object v.
func setDefaultName(v cty.Value, name string) cty.Value {
	if !v.Type().IsObjectType() || !v.Type().HasAttribute("name") {
		return v
	}
	if n := v.GetAttr("name"); !n.IsNull() {
		return v
	}
	attrs := v.AsValueMap()
	attrs["name"] = cty.StringVal(name)
	return cty.ObjectVal(attrs)
}

func sortedInstanceKeys(m map[addrs.Key]cty.Value) []addrs.Key {
	keys := make([]addrs.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
	return keys
}
