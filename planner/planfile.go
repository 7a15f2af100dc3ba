package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"github.com/zclconf/go-cty/cty/msgpack"
)

// planFileVersion is the plan file format this berth writes and reads.
// A plan file is only ever applied by the berth that made it, so there is
// no upgrade chain: any other version is refused. Version 2 added
// waits_for, an order an older berth would not keep; version 3 added
// rollback plans (mode and rollback), which an older berth would apply
// as a normal plan against the configuration's values.
const planFileVersion = 3

// planFileMagic marks a berth plan file.
const planFileMagic = "berth-plan"

// ErrPlanFile is wrapped by every plan file decoding error.
var ErrPlanFile = errors.New("invalid plan file")

// planFile is the on-disk form of a Plan (JSON; values as msgpack so that
// unknowns survive).
type planFile struct {
	Magic        string              `json:"magic"`
	Version      int                 `json:"version"`
	Mode         Mode                `json:"mode"`
	Rollback     *rollbackFile       `json:"rollback,omitempty"`
	ConfigHash   string              `json:"config_hash"`
	StateLineage string              `json:"state_lineage"`
	StateSerial  uint64              `json:"state_serial"`
	Variables    map[string]dynValue `json:"variables"`
	Targets      []string            `json:"targets,omitempty"`
	Replace      []string            `json:"replace,omitempty"`
	Changes      []changeFile        `json:"changes"`
	Drift        []changeFile        `json:"drift,omitempty"`
	Outputs      []outputFile        `json:"outputs,omitempty"`
	PriorState   json.RawMessage     `json:"prior_state"`
	Timestamp    time.Time           `json:"timestamp"`
}

// rollbackFile is Plan.Rollback.
type rollbackFile struct {
	Address  string `json:"address"`
	Revision int    `json:"revision"`
	From     int    `json:"from"`
}

// dynValue is a value of any type: its type as JSON, its value as msgpack.
type dynValue struct {
	Type  json.RawMessage `json:"type"`
	Value []byte          `json:"value"`
}

type changeFile struct {
	Address             string   `json:"address"`
	Provider            string   `json:"provider"`
	Node                string   `json:"node,omitempty"`
	Action              string   `json:"action"`
	Reason              Reason   `json:"reason,omitempty"`
	Before              []byte   `json:"before"`
	After               []byte   `json:"after"`
	Config              []byte   `json:"config"`
	ReplacePaths        [][]any  `json:"replace_paths,omitempty"`
	SensitivePaths      [][]any  `json:"sensitive_paths,omitempty"`
	Private             []byte   `json:"private,omitempty"`
	Dependencies        []string `json:"dependencies,omitempty"`
	WaitsFor            []string `json:"waits_for,omitempty"`
	CreateBeforeDestroy bool     `json:"create_before_destroy,omitempty"`
	PreventDestroy      bool     `json:"prevent_destroy,omitempty"`
}

type outputFile struct {
	Name      string   `json:"name"`
	Action    string   `json:"action"`
	Before    dynValue `json:"before"`
	After     dynValue `json:"after"`
	Sensitive bool     `json:"sensitive,omitempty"`
}

// WritePlanFile encodes p as a plan file.
func WritePlanFile(w io.Writer, p *Plan) error {
	pf := planFile{
		Magic: planFileMagic, Version: planFileVersion, Mode: p.Mode, ConfigHash: p.ConfigHash,
		StateLineage: p.StateLineage, StateSerial: p.StateSerial, Timestamp: p.Timestamp,
		Variables: map[string]dynValue{},
	}
	if rb := p.Rollback; rb != nil {
		pf.Rollback = &rollbackFile{Address: rb.Addr.String(), Revision: rb.Revision, From: rb.From}
	}
	for name, v := range p.Variables {
		dv, err := encodeDyn(v)
		if err != nil {
			return fmt.Errorf("encode variable %s: %w", name, err)
		}
		pf.Variables[name] = dv
	}
	for _, t := range p.Targets {
		pf.Targets = append(pf.Targets, t.String())
	}
	for _, a := range p.Replace {
		pf.Replace = append(pf.Replace, a.String())
	}
	var err error
	if pf.Changes, err = encodeChanges(p.Changes); err != nil {
		return err
	}
	if pf.Drift, err = encodeChanges(p.Drift); err != nil {
		return err
	}
	for _, o := range p.Outputs {
		of := outputFile{Name: o.Name, Action: o.Action.String(), Sensitive: o.Sensitive}
		if of.Before, err = encodeDyn(o.Before); err != nil {
			return err
		}
		if of.After, err = encodeDyn(o.After); err != nil {
			return err
		}
		pf.Outputs = append(pf.Outputs, of)
	}
	prior := p.PriorState
	if prior == nil {
		prior = state.New()
	}
	if pf.PriorState, err = state.Encode(prior); err != nil {
		return fmt.Errorf("encode prior state: %w", err)
	}
	enc := json.NewEncoder(w)
	return enc.Encode(&pf)
}

func encodeChanges(cs []*ResourceChange) ([]changeFile, error) {
	out := make([]changeFile, 0, len(cs))
	for _, c := range cs {
		ty := c.Schema.Block.ImpliedType()
		cf := changeFile{
			Address: c.Addr.String(), Provider: c.Provider, Node: c.Node, Action: c.Action.String(),
			Reason: c.Reason, Private: c.Private, CreateBeforeDestroy: c.CreateBeforeDestroy, PreventDestroy: c.PreventDestroy,
			ReplacePaths: encodePaths(c.ReplacePaths), SensitivePaths: encodePaths(c.SensitivePaths),
		}
		var err error
		for _, f := range []struct {
			dst *[]byte
			v   cty.Value
		}{{&cf.Before, c.Before}, {&cf.After, c.After}, {&cf.Config, c.Config}} {
			v := f.v
			if v == cty.NilVal {
				v = cty.NullVal(ty)
			}
			if *f.dst, err = msgpack.Marshal(v, ty); err != nil {
				return nil, fmt.Errorf("encode change of %s: %w", c.Addr, err)
			}
		}
		for _, d := range c.Dependencies {
			cf.Dependencies = append(cf.Dependencies, d.String())
		}
		for _, w := range c.WaitsFor {
			cf.WaitsFor = append(cf.WaitsFor, w.String())
		}
		out = append(out, cf)
	}
	return out, nil
}

func encodeDyn(v cty.Value) (dynValue, error) {
	if v == cty.NilVal {
		v = cty.NullVal(cty.DynamicPseudoType)
	}
	v, _ = v.UnmarkDeep()
	ty, err := ctyjson.MarshalType(v.Type())
	if err != nil {
		return dynValue{}, err
	}
	b, err := msgpack.Marshal(v, v.Type())
	return dynValue{Type: ty, Value: b}, err
}

func decodeDyn(d dynValue) (cty.Value, error) {
	ty, err := ctyjson.UnmarshalType(d.Type)
	if err != nil {
		return cty.NilVal, err
	}
	return msgpack.Unmarshal(d.Value, ty)
}

// encodePaths renders paths as JSON arrays: an attribute step is its
// name, a map key {"key": K}, a list index a number.
func encodePaths(ps []cty.Path) [][]any {
	var out [][]any
	for _, p := range ps {
		var steps []any
		for _, s := range p {
			switch s := s.(type) {
			case cty.GetAttrStep:
				steps = append(steps, s.Name)
			case cty.IndexStep:
				if s.Key.Type() == cty.String {
					steps = append(steps, map[string]any{"key": s.Key.AsString()})
				} else if s.Key.Type() == cty.Number {
					i, _ := s.Key.AsBigFloat().Int64()
					steps = append(steps, i)
				}
			}
		}
		out = append(out, steps)
	}
	return out
}

// ReadPlanFile decodes a plan file; schemas come from the registry.
func ReadPlanFile(r io.Reader, reg *providers.Registry) (*Plan, error) {
	var pf planFile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&pf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPlanFile, err)
	}
	if pf.Magic != planFileMagic {
		return nil, fmt.Errorf("%w: not a berth plan file", ErrPlanFile)
	}
	switch {
	case pf.Version > planFileVersion:
		return nil, fmt.Errorf("%w: format version %d, made by a newer berth (this berth reads %d); apply it with the berth that made it, or make the plan again with this berth", ErrPlanFile, pf.Version, planFileVersion)
	case pf.Version != planFileVersion:
		return nil, fmt.Errorf("%w: format version %d, this berth reads %d; make the plan again with this berth", ErrPlanFile, pf.Version, planFileVersion)
	}
	p := &Plan{Mode: pf.Mode, ConfigHash: pf.ConfigHash, StateLineage: pf.StateLineage, StateSerial: pf.StateSerial,
		Timestamp: pf.Timestamp, Variables: map[string]cty.Value{}}
	if err := decodePlanParts(&pf, p, reg); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPlanFile, err)
	}
	return p, nil
}

func decodePlanParts(pf *planFile, p *Plan, reg *providers.Registry) error {
	if err := decodeMode(pf, p); err != nil {
		return err
	}
	for name, dv := range pf.Variables {
		v, err := decodeDyn(dv)
		if err != nil {
			return fmt.Errorf("variable %s: %v", name, err)
		}
		p.Variables[name] = v
	}
	for _, s := range pf.Targets {
		t, err := addrs.ParseTarget(s)
		if err != nil {
			return err
		}
		p.Targets = append(p.Targets, t)
	}
	for _, s := range pf.Replace {
		a, err := addrs.ParseInstance(s)
		if err != nil {
			return err
		}
		p.Replace = append(p.Replace, a)
	}
	var err error
	if p.Changes, err = decodeChanges(pf.Changes, reg); err != nil {
		return err
	}
	if p.Drift, err = decodeChanges(pf.Drift, reg); err != nil {
		return err
	}
	for _, of := range pf.Outputs {
		oc := &OutputChange{Name: of.Name, Action: parseAction(of.Action), Sensitive: of.Sensitive}
		if oc.Before, err = decodeDyn(of.Before); err != nil {
			return fmt.Errorf("output %s: %v", of.Name, err)
		}
		if oc.After, err = decodeDyn(of.After); err != nil {
			return fmt.Errorf("output %s: %v", of.Name, err)
		}
		p.Outputs = append(p.Outputs, oc)
	}
	if p.PriorState, err = state.Decode(pf.PriorState); err != nil {
		return fmt.Errorf("prior state: %v", err)
	}
	return nil
}

func decodeChanges(cfs []changeFile, reg *providers.Registry) ([]*ResourceChange, error) {
	out := make([]*ResourceChange, 0, len(cfs))
	for _, cf := range cfs {
		addr, err := addrs.ParseInstance(cf.Address)
		if err != nil {
			return nil, err
		}
		schema, ok := reg.Schema(addr.Type)
		if !ok {
			return nil, fmt.Errorf("%s: no provider serves resource type %q", addr, addr.Type)
		}
		ty := schema.Block.ImpliedType()
		c := &ResourceChange{Addr: addr, Provider: cf.Provider, Node: cf.Node, Action: parseAction(cf.Action), Reason: cf.Reason,
			Schema: schema, Private: cf.Private, CreateBeforeDestroy: cf.CreateBeforeDestroy, PreventDestroy: cf.PreventDestroy}
		if c.Action == invalidAction {
			return nil, fmt.Errorf("%s: unknown action %q", addr, cf.Action)
		}
		for _, f := range []struct {
			dst *cty.Value
			b   []byte
		}{{&c.Before, cf.Before}, {&c.After, cf.After}, {&c.Config, cf.Config}} {
			if *f.dst, err = msgpack.Unmarshal(f.b, ty); err != nil {
				return nil, fmt.Errorf("%s: %v", addr, err)
			}
		}
		if c.ReplacePaths, err = decodePaths(cf.ReplacePaths); err != nil {
			return nil, fmt.Errorf("%s: %v", addr, err)
		}
		if c.SensitivePaths, err = decodePaths(cf.SensitivePaths); err != nil {
			return nil, fmt.Errorf("%s: %v", addr, err)
		}
		if c.Dependencies, err = parseInstances(cf.Dependencies); err != nil {
			return nil, err
		}
		if c.WaitsFor, err = parseInstances(cf.WaitsFor); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// parseInstances parses a list of instance addresses.
func parseInstances(in []string) ([]addrs.Instance, error) {
	var out []addrs.Instance
	for _, s := range in {
		a, err := addrs.ParseInstance(s)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func decodePaths(in [][]any) ([]cty.Path, error) {
	var out []cty.Path
	for _, steps := range in {
		var p cty.Path
		for _, s := range steps {
			switch s := s.(type) {
			case string:
				p = p.GetAttr(s)
			case map[string]any:
				k, ok := s["key"].(string)
				if !ok {
					return nil, fmt.Errorf("bad path step %v", s)
				}
				p = p.Index(cty.StringVal(k))
			case float64:
				p = p.Index(cty.NumberIntVal(int64(s)))
			default:
				return nil, fmt.Errorf("bad path step %v", s)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

const invalidAction Action = -1

func parseAction(s string) Action {
	for _, a := range []Action{NoOp, Create, Read, Update, DeleteThenCreate, CreateThenDelete, Delete} {
		if a.String() == s {
			return a
		}
	}
	return invalidAction
}

// decodeMode checks the plan's mode and reads its rollback target, which
// a rollback plan has and no other plan does.
func decodeMode(pf *planFile, p *Plan) error {
	switch {
	case pf.Mode > RollbackMode:
		return fmt.Errorf("unknown plan mode %d", pf.Mode)
	case (pf.Mode == RollbackMode) != (pf.Rollback != nil):
		return errors.New("a rollback plan names its target, and only a rollback plan does")
	case pf.Rollback == nil:
		return nil
	}
	addr, err := addrs.ParseInstance(pf.Rollback.Address)
	if err != nil {
		return fmt.Errorf("rollback: %v", err)
	}
	p.Rollback = &Rollback{Addr: addr, Revision: pf.Rollback.Revision, From: pf.Rollback.From}
	return nil
}
