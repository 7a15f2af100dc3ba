package deploy

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Replica states: the runtime's container states, and StateMissing for a
// replica whose container is gone.
const (
	StateCreated    = "created"
	StateRunning    = "running"
	StateRestarting = "restarting"
	StateExited     = "exited"
	StateDead       = "dead"
	StateMissing    = "missing"
)

// Health states; "" means the revision has no health check.
const (
	HealthNone      = ""
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// Replica is one replica container as last observed.
type Replica struct {
	Ordinal  int
	Revision int
	ID       string
	Name     string
	Node     string // "" is this machine
	IP       string
	State    string
	Health   string
	// ReadySince is when the replica became ready (running and, with a
	// health check, healthy) and has stayed so; zero while not ready.
	ReadySince time.Time
	Restarts   int // restarts by the restart policy since created or started
	ExitCode   int // of the last exit, when it has exited
	// Check is the last health check's result, for failure reports.
	Check string
}

// Ready reports whether the replica runs and passes its health check.
func (r Replica) Ready() bool {
	return r.State == StateRunning && (r.Health == HealthNone || r.Health == HealthHealthy)
}

// Up reports whether the replica runs or its supervisor restarts it.
func (r Replica) Up() bool { return r.State == StateRunning || r.State == StateRestarting }

// Ops are the replica operations the engine drives. Calls for different
// replicas may run concurrently.
type Ops interface {
	// Create makes and starts the replica of revision at ordinal. The
	// ordinal's usual name may still be taken by the replica it replaces.
	Create(ctx context.Context, revision, ordinal int) (Replica, error)
	// Start starts a stopped replica again in place.
	Start(ctx context.Context, r Replica) (Replica, error)
	// Remove stops and removes a replica; removing a missing one succeeds.
	Remove(ctx context.Context, r Replica) error
	// Observe returns r with its current state (StateMissing when gone).
	Observe(r Replica) Replica
	// LogTail returns the last lines of the replica's log.
	LogTail(r Replica, lines int) []string
}

// Balancer routes new connections to replicas: a port published for
// the deployment as a whole. The engine calls Serve with the replicas
// that should take new connections (ready, and not being removed)
// whenever that set changes, and always before it removes a replica
// that took connections, so that no new connection reaches a replica
// that is about to stop.
type Balancer interface {
	Serve(ctx context.Context, replicas []Replica) error
}

// Clock is the engine's time source.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time                         { return time.Now() }
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Failure says why a rollout failed: which replica failed which check.
type Failure struct {
	Revision int
	Ordinal  int      // -1 when no single replica is to blame
	Label    string   // the replica as progress lines name it (web#2)
	Replica  *Replica // the replica as last observed, when there is one
	Check    string   // "health check", "start", "create", "remove", "published port", "progress deadline", "interrupted"
	Reason   string
	Logs     []string // last lines of the replica's log
}

// Failure checks.
const (
	CheckHealth      = "health check"
	CheckStart       = "start"
	CheckCreate      = "create"
	CheckRemove      = "remove"
	CheckBalance     = "published port"
	CheckDeadline    = "progress deadline"
	CheckInterrupted = "interrupted"
)

func (f *Failure) Error() string {
	var b strings.Builder
	label := f.Label
	if label == "" {
		label = fmt.Sprintf("replica %d", f.Ordinal)
	}
	if f.Replica != nil && f.Replica.Name != "" {
		fmt.Fprintf(&b, "%s (%s, revision %d) ", label, f.Replica.Name, f.Replica.Revision)
	} else if f.Ordinal >= 0 {
		fmt.Fprintf(&b, "%s (revision %d) ", label, f.Revision)
	}
	switch f.Check {
	case CheckHealth:
		b.WriteString("failed its health check: ")
	case CheckStart:
		b.WriteString("did not keep running: ")
	case CheckDeadline:
		b.WriteString("did not become available within the progress deadline: ")
	case CheckInterrupted:
		b.WriteString("rollout interrupted: ")
	case CheckBalance:
		b.WriteString("could not publish its port: ")
	default:
		fmt.Fprintf(&b, "%s failed: ", f.Check)
	}
	b.WriteString(f.Reason)
	return b.String()
}
