package main

import (
	"fmt"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/spf13/cobra"
)

func newPsCmd(a *app) *cobra.Command {
	var all, quiet bool
	var format string
	cmd := &cobra.Command{
		Use:   "ps [options]",
		Short: "List the containers of the configuration and their status",
		Long: `List every container and deployment replica that the state of the
configuration in the working directory records, with what the runtime
says of it now: status and uptime, health, node, published ports and ID.

A container that the state records but the runtime no longer has shows as
"Missing (removed outside berth)"; berth plan shows how apply would
recreate it.

-a adds every other container the runtime knows (berth run's, other
configurations', strays), with address "-".

--format json prints a JSON array of the rows, with times and exit codes.`,
		Example: `  berth ps
  berth ps -a
  berth ps --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			o, err := a.openOps(cmd)
			if err != nil {
				return err
			}
			rows, err := o.psRows(all)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			switch {
			case format == "json":
				return views.PsJSON(w, rows)
			case quiet:
				views.PsQuiet(w, rows)
				return nil
			}
			return views.PsTable(w, rows, time.Now(), a.colors(w))
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "also list the containers outside the state (berth run's, strays)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only the container IDs")
	cmd.Flags().StringVar(&format, "format", "", "output format: table (default) or json")
	return cmd
}

// psRows are the state's containers, then with all the others.
func (o *ops) psRows(all bool) ([]views.PsRow, error) {
	if all {
		if _, err := o.listAll(); err != nil { // one directory scan for all
			return nil, err
		}
	}
	ms, err := o.members()
	if err != nil {
		return nil, err
	}
	if all {
		strays, err := o.strays(ms)
		if err != nil {
			return nil, err
		}
		ms = append(ms, strays...)
	}
	rows := make([]views.PsRow, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, m.psRow())
	}
	return rows, nil
}

// psRow is what berth ps shows of m.
func (m *member) psRow() views.PsRow {
	r := views.PsRow{Address: m.Addr, Name: m.Name, ID: m.ID, Node: m.Node, Ports: []string{}, State: views.PsMissing}
	for _, p := range m.Ports {
		r.Ports = append(r.Ports, p.String())
	}
	r.Ports = append(r.Ports, m.PortText...)
	st := m.Status
	if st == nil {
		if m.Node != "" {
			r.State = "unknown"
		}
		return r
	}
	r.State, r.Health, r.Restarts, r.Error = st.State, st.Health, st.Restarts, st.Error
	r.CreatedAt, r.StartedAt, r.FinishedAt = st.CreatedAt, st.StartedAt, st.FinishedAt
	r.Image = st.Labels["berth.image"]
	if r.Name == "" {
		r.Name = st.Name
	}
	if !st.FinishedAt.IsZero() {
		code := st.ExitCode
		r.ExitCode = &code
	}
	return r
}
