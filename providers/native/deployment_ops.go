package native

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

var _ deploy.Ops = (*replicaOps)(nil)

// replicaOps carries out the rollout engine's operations on real
// containers. Replicas are made and removed through the container
// resource's own code (applyContainer), so that they get exactly what a
// container gets: image, mounts, networking, supervision.
type replicaOps struct {
	e     *Engine
	name  string // the deployment's name: replicas are NAME-ORDINAL
	id    string // the deployment's ID, on every replica as a label
	tmpls map[int]cty.Value
}

// Create makes a replica named NAME-ORDINAL, or NAME-ORDINAL-rREVISION
// while the replica it replaces still holds that name.
func (o *replicaOps) Create(ctx context.Context, revision, ordinal int) (deploy.Replica, error) {
	tmpl, ok := o.tmpls[revision]
	if !ok {
		return deploy.Replica{}, fmt.Errorf("the template of revision %d is not recorded", revision)
	}
	name := replicaName(o.name, ordinal)
	if taken, err := nameTaken(o.e, name); err != nil {
		return deploy.Replica{}, err
	} else if taken {
		name += "-r" + strconv.Itoa(revision)
	}
	v := replicaValue(tmpl, o.name, o.id, name, ordinal, revision)
	resp := applyContainer(ctx, o.e, providers.ApplyResourceChangeRequest{
		TypeName: schemas.TypeContainer, Prior: cty.NullVal(v.Type()), Planned: v, Config: v,
	})
	if err := resp.Diagnostics.Err(); err != nil {
		return deploy.Replica{}, err
	}
	id, _ := knownString(attr(resp.New, "id"))
	return o.Observe(deploy.Replica{Ordinal: ordinal, Revision: revision, ID: id, Name: name}), nil
}

// nameTaken reports whether a container is called name.
func nameTaken(e *Engine, name string) (bool, error) {
	all, err := e.Runtime.List()
	if err != nil {
		return false, err
	}
	for _, st := range all {
		if st.Name == name {
			return true, nil
		}
	}
	return false, nil
}

// Start starts a stopped replica in place.
func (o *replicaOps) Start(ctx context.Context, r deploy.Replica) (deploy.Replica, error) {
	if err := o.e.Runtime.Start(ctx, r.ID); err != nil {
		return r, err
	}
	return o.Observe(r), nil
}

// Remove stops a replica gracefully (its stop signal, then SIGKILL after
// its stop timeout) and removes it with its networking.
func (o *replicaOps) Remove(ctx context.Context, r deploy.Replica) error {
	if r.ID == "" {
		return nil
	}
	if err := o.e.Runtime.Stop(ctx, r.ID, 0); err != nil && !errors.Is(err, runtime.ErrNotFound) && !errors.Is(err, runtime.ErrInvalidID) {
		return fmt.Errorf("stop %s: %w", r.Name, err)
	}
	ty := schemas.Builtin()[schemas.TypeContainer].Block.ImpliedType()
	resp := applyContainer(ctx, o.e, providers.ApplyResourceChangeRequest{
		TypeName: schemas.TypeContainer, Prior: containerWithID(r.ID), Planned: cty.NullVal(ty),
	})
	return resp.Diagnostics.Err()
}

// containerWithID is a container value holding only an id.
func containerWithID(id string) cty.Value {
	ty := schemas.Builtin()[schemas.TypeContainer].Block.ImpliedType()
	vals := map[string]cty.Value{}
	for n, at := range ty.AttributeTypes() {
		vals[n] = cty.NullVal(at)
	}
	vals["id"] = cty.StringVal(id)
	return cty.ObjectVal(vals)
}

// Observe reads a replica's state from its supervisor's record.
func (o *replicaOps) Observe(r deploy.Replica) deploy.Replica {
	st, err := o.e.Runtime.Status(r.ID)
	if err != nil {
		r.State, r.Health, r.ReadySince = deploy.StateMissing, "", time.Time{}
		return r
	}
	r.Name, r.State, r.Health = st.Name, st.State, st.Health
	r.Restarts, r.ExitCode = st.Restarts, st.ExitCode
	r.ReadySince, r.Check = readySince(st), lastCheck(st)
	return r
}

// readySince is when the container became ready: its start without a
// health check, else its first passing check since the start (the
// oldest kept one when the log no longer reaches back that far).
func readySince(st *runtime.Status) time.Time {
	if st.State != runtime.StateRunning {
		return time.Time{}
	}
	switch st.Health {
	case runtime.HealthNone:
		return st.StartedAt
	case runtime.HealthHealthy:
		for _, h := range st.HealthLog {
			if h.ExitCode == 0 && !h.Start.Before(st.StartedAt) {
				return h.End
			}
		}
		if len(st.HealthLog) > 0 {
			return st.HealthLog[0].End
		}
	}
	return time.Time{}
}

// lastCheck describes the last health check.
func lastCheck(st *runtime.Status) string {
	if len(st.HealthLog) == 0 {
		return ""
	}
	h := st.HealthLog[len(st.HealthLog)-1]
	out := strings.TrimSpace(h.Output)
	if out == "" {
		out = "no output"
	}
	return fmt.Sprintf("exit code %d (%s)", h.ExitCode, out)
}

// LogTail returns the last lines of the replica's log.
func (o *replicaOps) LogTail(r deploy.Replica, lines int) []string {
	files, err := o.e.Runtime.Logs(r.ID)
	if err != nil {
		return nil
	}
	var out []string
	for i := len(files) - 1; i >= 0 && len(out) < lines; i-- {
		out = append(tailOf(files[i], lines-len(out)), out...)
	}
	return out
}

// tailOf returns the last n log lines of one log file.
func tailOf(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var ring []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e runtime.LogEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		ring = append(ring, strings.TrimRight(e.Log, "\n"))
		if len(ring) > n {
			ring = ring[1:]
		}
	}
	return ring
}
