package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

func newPruneCmd(a *app) *cobra.Command {
	var all, force bool
	cmd := &cobra.Command{
		Use:   "prune [options]",
		Short: "Remove stopped run containers, unused images and layers",
		Long: `Remove what the native runtime no longer needs:

  - stopped containers made by berth run (containers of configurations
    are left to plan and apply);
  - images without a tag that no container uses (with -a: every image no
    container uses);
  - layers and blobs no image uses, and leftovers of interrupted pulls.

It asks first, unless -f is given; without a terminal to ask on, pass -f.`,
		Example: `  berth prune
  berth prune -a -f`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !force {
				if err := a.confirmPrune(cmd, all); err != nil {
					return err
				}
			}
			e, err := a.openEngine(cmd)
			if err != nil {
				return err
			}
			return prune(cmd.Context(), e, all, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "remove every image no container uses, not only untagged ones")
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
}

func (a *app) confirmPrune(cmd *cobra.Command, all bool) error {
	images := "images without a tag that no container uses"
	if all {
		images = "every image no container uses"
	}
	detail := "This removes:\n  - stopped containers made by berth run\n  - " + images +
		"\n  - layers and blobs no image uses\nOnly 'y' or 'yes' will be accepted to confirm."
	answer, err := a.ask(cmd, "Are you sure you want to continue?", detail, "-f")
	if err != nil {
		return err
	}
	if answer := strings.ToLower(answer); answer != "y" && answer != "yes" {
		fmt.Fprintln(a.stderr, "\nPrune cancelled.")
		return errReported
	}
	return nil
}

// prune removes the stopped run containers, then the images no
// container uses (untagged ones only unless all), then what no image
// uses, and prints what went.
func prune(ctx context.Context, e *native.Engine, all bool, w io.Writer) error {
	removed, freed, err := pruneContainers(ctx, e)
	if len(removed) > 0 {
		fmt.Fprintln(w, "Deleted containers:")
		for _, name := range removed {
			fmt.Fprintln(w, name)
		}
	}
	if err != nil {
		return err
	}
	list, err := e.Runtime.List()
	if err != nil {
		return fmt.Errorf("list containers: %w", err)
	}
	inUse := map[string]bool{}
	for _, st := range list {
		inUse[st.Labels[labelImage]] = true
	}
	images, err := e.Images.List()
	if err != nil {
		return err
	}
	tagged := map[string]bool{}
	for _, img := range images {
		tagged[img.ID] = len(img.RepoTags) > 0
	}
	gone, reclaimed, err := e.Images.Prune(func(id string) bool { return inUse[id] || (!all && tagged[id]) })
	if len(gone) > 0 {
		fmt.Fprintln(w, "Deleted images:")
		for _, id := range gone {
			fmt.Fprintln(w, id)
		}
	}
	fmt.Fprintf(w, "Total reclaimed space: %s\n", views.HumanBytes(freed+reclaimed))
	return err
}

// pruneContainers removes the stopped containers made by berth run, with
// their networking (and that of run -d --rm containers gone by
// themselves), and returns their names and the bytes their files took.
func pruneContainers(ctx context.Context, e *native.Engine) ([]string, int64, error) {
	rt := e.Runtime
	list, err := rt.List()
	if err != nil {
		return nil, 0, fmt.Errorf("list containers: %w", err)
	}
	var removed []string
	var freed int64
	for _, st := range list {
		if st.Labels[labelRun] != "true" || st.State == runtime.StateRunning || st.State == runtime.StateRestarting {
			continue
		}
		size := rt.FilesSize(st.ID)
		err := rt.Remove(ctx, st.ID, false)
		if errors.Is(err, runtime.ErrRunning) {
			continue // starting right now
		}
		if err != nil {
			return removed, freed, fmt.Errorf("remove container %s: %w", containerName(st), err)
		}
		removed = append(removed, containerName(st))
		freed += size
		if err := e.DetachRun(ctx, st.ID); err != nil {
			return removed, freed, err
		}
	}
	if _, err := e.ReleaseGoneRuns(ctx); err != nil {
		return removed, freed, err
	}
	return removed, freed, e.RemoveIdleDefaultNetwork(ctx)
}
