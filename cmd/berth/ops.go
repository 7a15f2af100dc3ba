package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

// ops is what the operating commands (ps, logs, exec, top, stats, cp,
// inspect, stop, start, restart, kill, attach) work on: the state of the
// configuration in the working directory, read without the lock, and the
// native runtime holding its containers.
type ops struct {
	ctx    context.Context
	engine *native.Engine
	state  *state.State
	// statuses caches the runtime's status of every container, by ID,
	// once listed.
	statuses map[string]*runtime.Status
}

// openOps reads the state (an empty one without a configuration or state
// file) and opens the runtime.
func (a *app) openOps(cmd *cobra.Command) (*ops, error) {
	st := state.New()
	if hasConfiguration(".") {
		cfg, _ := a.loadWorkspace() // openEngine reports its errors
		s, err := readState(state.Open(statePathOf(cfg, ".")))
		if err != nil {
			return nil, err
		}
		st = s
	}
	e, err := a.openEngine(cmd)
	if err != nil {
		return nil, err
	}
	return &ops{ctx: cmd.Context(), engine: e, state: st}, nil
}

// listAll reads the status of every container the runtime knows.
func (o *ops) listAll() (map[string]*runtime.Status, error) {
	if o.statuses != nil {
		return o.statuses, nil
	}
	list, err := o.engine.Runtime.List()
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	o.statuses = make(map[string]*runtime.Status, len(list))
	for _, st := range list {
		o.statuses[st.ID] = st
	}
	return o.statuses, nil
}

// status is the runtime's status of one container: nil when the runtime
// does not know it (removed behind berth's back).
func (o *ops) status(id string) (*runtime.Status, error) {
	if o.statuses != nil {
		return o.statuses[id], nil
	}
	st, err := o.engine.Runtime.Status(id)
	if errors.Is(err, runtime.ErrNotFound) {
		return nil, nil
	}
	return st, err
}

// members are the containers of every container and deployment in the
// state, in address order, with their runtime status.
func (o *ops) members() ([]*member, error) {
	var out []*member
	for _, r := range o.state.Resources {
		ms, err := membersOf(r)
		if err != nil {
			slog.Warn("unreadable state record", "address", r.Addr.String(), "err", err)
			continue
		}
		out = append(out, ms...)
	}
	return out, o.fillStatus(out)
}

// fillStatus looks up the runtime status of each member on this machine.
func (o *ops) fillStatus(ms []*member) error {
	for _, m := range ms {
		if m.ID == "" || m.Status != nil || m.Node != "" {
			continue
		}
		st, err := o.status(m.ID)
		if err != nil {
			return fmt.Errorf("status of %s: %w", m.Addr, err)
		}
		m.Status = st
		if st != nil && st.Name != "" {
			m.Name = st.Name
		}
	}
	return nil
}

// strays are the containers the runtime knows that no member is, by
// name then ID.
func (o *ops) strays(known []*member) ([]*member, error) {
	all, err := o.listAll()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range known {
		seen[m.ID] = true
	}
	var out []*member
	for id, st := range all {
		if !seen[id] {
			m := &member{Addr: "-", Replica: -1, ID: id, Name: st.Name, Status: st}
			if ports := st.Labels[labelPorts]; ports != "" {
				m.PortText = strings.Split(ports, ",")
			}
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *member) int {
		if a.Name != b.Name {
			return cmp.Compare(a.Name, b.Name)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}
