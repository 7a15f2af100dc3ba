package main

import (
	"fmt"
	"strings"

	"github.com/berthhq/berth/schemas/addrs"
)

// resolve finds the containers arg names: an address in the state
// (container.web, container.web[0], deployment.web for every replica,
// deployment.web#1 for one, module.m.container.db), or a container
// outside it (berth run's) by name, ID or unique ID prefix. The members
// carry their runtime status; a member the runtime lost has none.
func (o *ops) resolve(arg string) ([]*member, error) {
	t, perr := addrs.ParseTarget(arg)
	if perr == nil && t.Type != "" {
		return o.resolveAddress(t)
	}
	m, err := o.resolveRuntime(arg)
	if err != nil {
		return nil, err
	}
	if m == nil {
		if perr != nil && strings.ContainsAny(arg, ".[#") {
			return nil, fmt.Errorf("%w; berth ps -a lists the containers", perr)
		}
		return nil, fmt.Errorf("no container %q: not an address in the state, nor a container name or ID; berth ps -a lists them", arg)
	}
	return []*member{m}, nil
}

// resolveAddress finds the containers of a state address.
func (o *ops) resolveAddress(t addrs.Target) ([]*member, error) {
	recs := o.state.ResourcesIn(t)
	if len(recs) == 0 {
		return nil, fmt.Errorf("no %s %s in the state; berth ps lists them", t.Type, t)
	}
	var out []*member
	for _, r := range recs {
		if !isContainerType(r.Addr.Type) {
			return nil, fmt.Errorf("%s is a %s: only containers and deployments run anything", r.Addr, r.Addr.Type)
		}
		ms, err := membersOf(r)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	if t.HasOrdinal {
		if t.Type != "deployment" {
			return nil, fmt.Errorf("%s: only a deployment has replicas (#N)", t)
		}
		out = keepReplica(out, t.Ordinal)
		if len(out) == 0 {
			return nil, fmt.Errorf("%s has no replica #%d in the state; berth ps lists them", recs[0].Addr, t.Ordinal)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no replicas in the state", t)
	}
	return out, o.fillStatus(out)
}

func keepReplica(ms []*member, ordinal int) []*member {
	var out []*member
	for _, m := range ms {
		if m.Replica == ordinal {
			out = append(out, m)
		}
	}
	return out
}

// resolveRuntime finds a container by name, ID or unique ID prefix; nil
// when none matches. A container the state records keeps its address.
func (o *ops) resolveRuntime(arg string) (*member, error) {
	if arg == "" {
		return nil, nil
	}
	all, err := o.listAll()
	if err != nil {
		return nil, err
	}
	var found []string
	for id, st := range all {
		if id == arg || st.Name == arg {
			found = []string{id}
			break
		}
		if strings.HasPrefix(id, arg) {
			found = append(found, id)
		}
	}
	switch {
	case len(found) == 0:
		return nil, nil
	case len(found) > 1:
		return nil, fmt.Errorf("%q matches %d container IDs; give more of the ID", arg, len(found))
	}
	known, err := o.members()
	if err != nil {
		return nil, err
	}
	for _, m := range known {
		if m.ID == found[0] {
			return m, nil
		}
	}
	st := all[found[0]]
	return &member{Addr: "-", Replica: -1, ID: st.ID, Name: st.Name, Status: st}, nil
}

// resolveOne is resolve for the commands that work on one container
// (exec, cp, top, attach): several members are an error naming them.
func (o *ops) resolveOne(arg string) (*member, error) {
	ms, err := o.resolve(arg)
	if err != nil {
		return nil, err
	}
	if len(ms) > 1 {
		names := make([]string, 0, 3)
		for _, m := range ms[:min(3, len(ms))] {
			names = append(names, m.Addr)
		}
		more := ""
		if len(ms) > 3 {
			more = ", ..."
		}
		return nil, fmt.Errorf("%s names %d containers (%s%s); name one of them", arg, len(ms), strings.Join(names, ", "), more)
	}
	return ms[0], nil
}

// present fails for a member the runtime cannot reach: on another node,
// never created, or removed behind berth's back.
func (m *member) present() error {
	switch {
	case m.Node != "":
		return fmt.Errorf("%s runs on node %q; berth cannot reach other nodes' containers yet", m.display(), m.Node)
	case m.ID == "":
		return fmt.Errorf("%s has no container ID in the state (its creation failed); berth apply creates it", m.display())
	case m.Status == nil:
		return fmt.Errorf("%s (container %s) no longer exists in the runtime: it was removed outside berth; berth plan shows how berth apply would recreate it", m.display(), shortID(m.ID))
	}
	return nil
}

// running fails unless the member's container runs.
func (m *member) running() error {
	if err := m.present(); err != nil {
		return err
	}
	if m.Status.State != "running" {
		return fmt.Errorf("%s is not running (%s); berth start %s starts it", m.display(), m.Status.State, m.ref())
	}
	return nil
}

// ref is what names the member on the command line.
func (m *member) ref() string {
	if m.Addr == "-" {
		return m.Name
	}
	return m.Addr
}
