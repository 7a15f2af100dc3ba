package runtime

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/berthhq/berth/internal/fsatomic"
)

// Container states.
const (
	StateCreated    = "created"    // made, never started
	StateRunning    = "running"    // the main process runs
	StateRestarting = "restarting" // exited; the supervisor restarts it after a back-off
	StateExited     = "exited"     // exited or stopped; the supervisor has gone
	StateDead       = "dead"       // the supervisor vanished while it ran (killed, crashed, host reboot)
)

// Health states.
const (
	HealthNone      = ""
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// Status is what is known about a container: written by its supervisor,
// checked against the supervisor's liveness by Runtime.Status.
type Status struct {
	ID     string            `json:"id"`
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
	State  string            `json:"state"`
	// Pid is the host PID of the main process while running, else 0.
	Pid int `json:"pid"`
	// ExitCode is the last exit code (128+signal when killed by one);
	// meaningful when FinishedAt is set.
	ExitCode   int       `json:"exit_code"`
	CreatedAt  time.Time `json:"created_at"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Restarts counts restarts by the restart policy since the last
	// Create or Start.
	Restarts int `json:"restarts"`
	// Stopped is set by Stop (and Kill with SIGKILL or the stop signal):
	// the policy does not restart it, and unless-stopped stays down.
	Stopped   bool           `json:"stopped,omitempty"`
	Health    string         `json:"health,omitempty"`
	HealthLog []HealthResult `json:"health_log,omitempty"`
	// FailingStreak counts consecutive failed health checks.
	FailingStreak int `json:"failing_streak,omitempty"`
	// Error is the last start error, or why the state is dead.
	Error         string `json:"error,omitempty"`
	SupervisorPid int    `json:"supervisor_pid,omitempty"`
	Spec          Spec   `json:"spec"`
}

// Running reports whether the main process is (as far as is known) alive.
func (s *Status) Running() bool { return s.State == StateRunning }

// HealthResult is one health check run.
type HealthResult struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	ExitCode int       `json:"exit_code"` // -1 when it could not run or timed out
	Output   string    `json:"output"`    // first 4 KiB of stdout and stderr
}

func readStatus(dir string) (*Status, error) {
	data, err := os.ReadFile(filepath.Join(dir, statusFile))
	if err != nil {
		return nil, err
	}
	var st Status
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, statusFile), err)
	}
	return &st, nil
}

func writeStatus(dir string, st *Status) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, statusFile), append(data, '\n'), 0o600)
}

func readSpec(dir string) (Spec, error) {
	var s Spec
	data, err := os.ReadFile(filepath.Join(dir, configFile))
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("read %s: %w", filepath.Join(dir, configFile), err)
	}
	return s, nil
}

func writeSpec(dir string, s Spec) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, configFile), append(data, '\n'), 0o600)
}

// writeFileAtomic writes through a temporary file in the same directory
// and renames it over path, so that a reader (or a process killed at any
// point) sees the old record or the new one, never a mix; the temporary
// file is removed on error.
//
// Records are not fsynced: they describe processes that a power loss or
// kernel crash ends anyway, and an fsync costs about a millisecond on the
// start path of every container (three records per start). A record the
// crash left empty reads as a dead container (see Status), which refresh
// reports as drift and apply restores. berth's state file, the record
// that must survive, is fsynced by package state.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	return writeFileAtomicSync(path, data, mode, false)
}

// writeFileAtomicSync is writeFileAtomic, fsyncing the file before the
// rename when sync is set.
func writeFileAtomicSync(path string, data []byte, mode os.FileMode, sync bool) error {
	d := fsatomic.NoSync
	if sync {
		d = fsatomic.SyncFile
	}
	return fsatomic.WriteFile(path, data, mode, "."+filepath.Base(path)+".tmp*", d)
}
