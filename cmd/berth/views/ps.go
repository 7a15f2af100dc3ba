package views

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Container states as berth ps shows them: the runtime's (created,
// running, restarting, exited, dead), and missing for a container the
// state records but the runtime no longer has.
const PsMissing = "missing"

// PsRow is one container in berth ps.
type PsRow struct {
	Address    string    `json:"address"` // "-" outside the state
	Name       string    `json:"name"`
	ID         string    `json:"id"`
	Image      string    `json:"image,omitempty"`
	State      string    `json:"state"`
	Health     string    `json:"health,omitempty"`
	Node       string    `json:"node,omitempty"` // "" is this machine
	Ports      []string  `json:"ports"`
	ExitCode   *int      `json:"exit_code,omitempty"` // once it has exited
	Restarts   int       `json:"restarts"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Error      string    `json:"error,omitempty"`
}

// PsTable prints the rows as a table: ADDRESS NAME STATUS HEALTH NODE
// PORTS ID, the status in Docker's words ("Up 5 minutes", "Exited (1) 2
// minutes ago").
func PsTable(w io.Writer, rows []PsRow, now time.Time, c Colors) error {
	out := [][]cell{{plain("ADDRESS"), plain("NAME"), plain("STATUS"), plain("HEALTH"), plain("NODE"), plain("PORTS"), plain("ID")}}
	for _, r := range rows {
		node := r.Node
		if node == "" {
			node = "local"
		}
		out = append(out, []cell{
			plain(r.Address), plain(orDash(r.Name)),
			{PsStatus(r, now), c.stateColor(r.State)}, {orDash(r.Health), c.healthColor(r.Health)},
			plain(node), plain(orDash(strings.Join(r.Ports, ", "))), plain(orDash(ShortDigest(r.ID))),
		})
	}
	return table(w, out)
}

// PsQuiet prints the container IDs only (ps -q).
func PsQuiet(w io.Writer, rows []PsRow) {
	for _, r := range rows {
		if r.ID != "" {
			fmt.Fprintln(w, ShortDigest(r.ID))
		}
	}
}

// PsJSON prints the rows as a JSON array.
func PsJSON(w io.Writer, rows []PsRow) error {
	if rows == nil {
		rows = []PsRow{}
	}
	return writeJSON(w, rows)
}

// PsStatus says what a container is doing, as docker ps does.
func PsStatus(r PsRow, now time.Time) string {
	switch r.State {
	case "running":
		return "Up " + humanDuration(now.Sub(r.StartedAt))
	case "restarting":
		return fmt.Sprintf("Restarting (%d) %s", exitOf(r), HumanSince(r.FinishedAt, now))
	case "exited":
		if r.FinishedAt.IsZero() {
			return "Created"
		}
		return fmt.Sprintf("Exited (%d) %s", exitOf(r), HumanSince(r.FinishedAt, now))
	case "created":
		return "Created"
	case "dead":
		return "Dead"
	case PsMissing:
		return "Missing (removed outside berth)"
	}
	return r.State
}

func exitOf(r PsRow) int {
	if r.ExitCode == nil {
		return 0
	}
	return *r.ExitCode
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// stateColor colours a container status by its state.
func (c Colors) stateColor(state string) func(string) string {
	switch state {
	case "running":
		return c.Green
	case "restarting":
		return c.Yellow
	case "dead", PsMissing:
		return c.Red
	}
	return nil
}

// healthColor colours a health status.
func (c Colors) healthColor(h string) func(string) string {
	switch h {
	case "healthy":
		return c.Green
	case "unhealthy":
		return c.Red
	case "starting":
		return c.Yellow
	}
	return nil
}
