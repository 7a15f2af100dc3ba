package main

import (
	"context"
	"fmt"
	"os/signal"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

type logsFlags struct {
	follow, timestamps bool
	since, until, tail string
}

// logsFilter is what of each container's log to print.
type logsFilter struct {
	since, until time.Time // zero: unbounded
	tail         int       // -1: all
}

func newLogsCmd(a *app) *cobra.Command {
	f := &logsFlags{}
	cmd := &cobra.Command{
		Use:   "logs [options] ADDRESS",
		Short: "Print a container's output",
		Long: `Print what a container wrote on stdout (to stdout) and stderr (to stderr),
in the order it was written, across restarts and log rotation.

For a deployment (or a resource with count or for_each) the lines of
every container are interleaved by time, each after its name
("web#1 | ..."); deployment.web#1 prints one replica's.

--since and --until take a duration before now (10m, 1h30m) or a time
(2025-01-02T15:04:05Z, 2025-01-02, or Unix seconds). --tail N prints the
last N lines of each container. -f keeps printing new lines as they come,
through restarts and rotations, until interrupted.`,
		Example: `  berth logs container.web
  berth logs -f --tail 20 deployment.api
  berth logs --since 10m --timestamps deployment.api#1`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			filter, err := f.filter(time.Now())
			if err != nil {
				return err
			}
			return a.showLogs(cmd, args[0], f, filter)
		},
	}
	fs := cmd.Flags()
	fs.BoolVarP(&f.follow, "follow", "f", false, "keep printing new lines until interrupted")
	fs.BoolVarP(&f.timestamps, "timestamps", "t", false, "print each line's time (RFC 3339, UTC)")
	fs.StringVar(&f.since, "since", "", "only lines since `TIME` or DURATION ago")
	fs.StringVar(&f.until, "until", "", "only lines before `TIME` or DURATION ago")
	fs.StringVarP(&f.tail, "tail", "n", "all", "only the last `N` lines of each container")
	return cmd
}

func (f *logsFlags) filter(now time.Time) (logsFilter, error) {
	out := logsFilter{tail: -1}
	var err error
	if out.since, err = parseLogTime(f.since, now); err != nil {
		return out, fmt.Errorf("--since: %w", err)
	}
	if out.until, err = parseLogTime(f.until, now); err != nil {
		return out, fmt.Errorf("--until: %w", err)
	}
	if f.tail != "all" && f.tail != "" {
		n, err := strconv.Atoi(f.tail)
		if err != nil || n < 0 {
			return out, fmt.Errorf("--tail %q: want a number of lines or all", f.tail)
		}
		out.tail = n
	}
	return out, nil
}

// parseLogTime reads a duration before now or an absolute time.
func parseLogTime(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Unix(0, int64(secs*1e9)), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither a duration (10m) nor a time (2025-01-02T15:04:05Z, 2025-01-02, Unix seconds)", s)
}

func (lf logsFilter) keep(t time.Time) bool {
	return (lf.since.IsZero() || !t.Before(lf.since)) && (lf.until.IsZero() || t.Before(lf.until))
}

// showLogs prints the logs of the containers arg names.
func (a *app) showLogs(cmd *cobra.Command, arg string, f *logsFlags, filter logsFilter) error {
	o, err := a.openOps(cmd)
	if err != nil {
		return err
	}
	ms, err := o.resolve(arg)
	if err != nil {
		return err
	}
	readers, labels := make([]*runtime.LogReader, 0, len(ms)), make([]string, 0, len(ms))
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	for _, m := range ms {
		if err := m.present(); err != nil {
			return err
		}
		r, err := o.engine.Runtime.OpenLogs(m.ID)
		if err != nil {
			return fmt.Errorf("logs of %s: %w", m.display(), err)
		}
		readers, labels = append(readers, r), append(labels, m.label())
	}
	p := views.NewLogPrinter(a.stdout, a.stderr, labels, f.timestamps, a.colors(a.stdout))
	if err := printExisting(readers, filter, p); err != nil {
		return err
	}
	if !f.follow {
		return nil
	}
	return followLogs(cmd.Context(), readers, filter, p)
}

// printExisting prints what the logs hold now: each container's lines
// filtered and cut to its tail, all of them merged by time.
func printExisting(readers []*runtime.LogReader, filter logsFilter, p *views.LogPrinter) error {
	var lines []views.LogLine
	for i, r := range readers {
		entries, err := r.ReadAll()
		if err != nil {
			return err
		}
		entries = slices.DeleteFunc(entries, func(e runtime.LogEntry) bool { return !filter.keep(e.Time) })
		if filter.tail >= 0 && len(entries) > filter.tail {
			entries = entries[len(entries)-filter.tail:]
		}
		for _, e := range entries {
			lines = append(lines, views.LogLine{Source: i, Stream: e.Stream, Time: e.Time, Text: e.Log})
		}
	}
	slices.SortStableFunc(lines, func(x, y views.LogLine) int { return x.Time.Compare(y.Time) })
	for _, l := range lines {
		if err := p.Print(l); err != nil {
			return err
		}
	}
	return nil
}

// followLogs prints new lines as they come until SIGINT or SIGTERM, or
// --until has passed.
func followLogs(ctx context.Context, readers []*runtime.LogReader, filter logsFilter, p *views.LogPrinter) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if !filter.until.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, filter.until)
		defer cancel()
	}
	var wg sync.WaitGroup
	errs := make([]error, len(readers))
	for i, r := range readers {
		wg.Go(func() {
			errs[i] = r.Follow(ctx, func(e runtime.LogEntry) error {
				if !filter.keep(e.Time) {
					return nil
				}
				return p.Print(views.LogLine{Source: i, Stream: e.Stream, Time: e.Time, Text: e.Log})
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
