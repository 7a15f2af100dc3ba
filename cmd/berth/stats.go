package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

// Sampling: the first CPU figure comes from two samples statsFirstGap
// apart; then the figures refresh every statsInterval.
const (
	statsFirstGap = 500 * time.Millisecond
	statsInterval = time.Second
)

func newStatsCmd(a *app) *cobra.Command {
	var noStream bool
	var format string
	cmd := &cobra.Command{
		Use:   "stats [options] [ADDRESS...]",
		Short: "Show containers' live resource use",
		Long: `Show the resource use of containers: CPU (100% is one core), memory in
use and its limit (the host's memory when unlimited), processes, block
I/O read and written, and network I/O through the container's own
interfaces. The figures come from each container's cgroup (cgroup v1
files on v1 and hybrid hosts, v2 files on unified ones).

Without ADDRESS: every container and replica of the state. The table
refreshes every second, in place on a terminal, until interrupted;
--no-stream prints one table and exits. --format json prints a JSON array
per refresh, one per line.`,
		Example: `  berth stats
  berth stats --no-stream deployment.api container.db
  berth stats --no-stream --format json container.web`,
		ValidArgsFunction: completeManyContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			o, err := a.openOps(cmd)
			if err != nil {
				return err
			}
			ms, err := o.statsMembers(args)
			if err != nil {
				return err
			}
			return a.streamStats(cmd.Context(), o.engine.Runtime, ms, noStream, format == "json")
		},
	}
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one table and exit")
	cmd.Flags().StringVar(&format, "format", "", "output format: table (default) or json")
	return cmd
}

// statsMembers are the containers the arguments name, or every
// container of the state.
func (o *ops) statsMembers(args []string) ([]*member, error) {
	if len(args) == 0 {
		ms, err := o.members()
		if err != nil {
			return nil, err
		}
		var out []*member
		for _, m := range ms {
			if m.Node == "" && m.Status != nil {
				out = append(out, m)
			}
		}
		return out, nil
	}
	var out []*member
	for _, arg := range args {
		ms, err := o.resolve(arg)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if err := m.present(); err != nil {
				return nil, err
			}
		}
		out = append(out, ms...)
	}
	return out, nil
}

// streamStats samples the containers and prints a table per refresh
// until interrupted, or once.
func (a *app) streamStats(ctx context.Context, rt *runtime.Runtime, ms []*member, once, asJSON bool) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	prev := sampleAll(rt, ms)
	wait := statsFirstGap
	clear := !asJSON && isTerminal(a.stdout)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		cur := sampleAll(rt, ms)
		rows := statsRows(ms, prev, cur)
		if err := a.printStats(a.stdout, rows, clear, asJSON); err != nil {
			return err
		}
		if once {
			return nil
		}
		prev, wait = cur, statsInterval
	}
}

func (a *app) printStats(w io.Writer, rows []views.StatsRow, clear, asJSON bool) error {
	if asJSON {
		return views.StatsJSON(w, rows)
	}
	if clear {
		if _, err := io.WriteString(w, views.ClearScreen); err != nil {
			return err
		}
	}
	return views.StatsTable(w, rows)
}

// sampleAll samples each container; nil for one that does not run.
func sampleAll(rt *runtime.Runtime, ms []*member) []*runtime.Stats {
	out := make([]*runtime.Stats, len(ms))
	for i, m := range ms {
		if s, err := rt.Stats(m.ID); err == nil {
			out[i] = s
		}
	}
	return out
}

func statsRows(ms []*member, prev, cur []*runtime.Stats) []views.StatsRow {
	rows := make([]views.StatsRow, len(ms))
	for i, m := range ms {
		rows[i] = views.StatsRow{Address: m.ref(), Name: m.Name, ID: m.ID, Running: cur[i] != nil, Sample: cur[i]}
		rows[i].CPU = views.CPUPercent(prev[i], cur[i])
	}
	return rows
}
