package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/spf13/cobra"
)

// Labels on containers: berth.image is the ID of the image a container
// was made from (on every container berth makes), berth.run marks those
// made by berth run.
const (
	labelImage = "berth.image"
	labelRun   = "berth.run"
)

func newRmiCmd(a *app) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rmi [options] REF|ID...",
		Short: "Remove images from the runtime's image store",
		Long: `Remove images from the native runtime's image store, with every layer no
other image uses. Named by one of several tags, an image only loses that tag.

An image that a container uses is not removed: remove the container first.
With -f, stopped containers using it are removed along with it (as podman
does); a running container always keeps its image.`,
		Example: `  berth rmi busybox:1.36
  berth rmi 3f4d90098f5b
  berth rmi -f old-app:2`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.openEngine(cmd)
			if err != nil {
				return err
			}
			failed := false
			for _, ref := range args {
				if err := a.removeImage(cmd.Context(), e, ref, force, cmd.OutOrStdout()); err != nil {
					a.errorf("%s", err)
					failed = true
				}
			}
			if failed {
				return errReported
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "also remove the stopped containers using the image")
	return cmd
}

// removeImage removes (or untags) one image, refusing while containers
// use it.
func (a *app) removeImage(ctx context.Context, e *native.Engine, ref string, force bool, w io.Writer) error {
	img, err := e.Images.Get(ref)
	if errors.Is(err, image.ErrNotFound) {
		return fmt.Errorf("no image %s in the store (see berth images)", ref)
	}
	if err != nil {
		return err
	}
	if untagOnly(img, ref) {
		if err := e.Images.Remove(ref); err != nil {
			return fmt.Errorf("untag %s: %w", ref, err)
		}
		fmt.Fprintf(w, "Untagged: %s\n", ref)
		return nil
	}
	users, err := containersUsing(e.Runtime, img.ID)
	if err != nil {
		return err
	}
	if err := checkUsers(ref, users, force); err != nil {
		return err
	}
	for _, st := range users {
		if err := e.Runtime.Remove(ctx, st.ID, false); err != nil {
			return fmt.Errorf("remove container %s using image %s: %w", containerName(st), ref, err)
		}
		fmt.Fprintf(w, "Removed container: %s\n", containerName(st))
	}
	if err := e.Images.Remove(img.ID); err != nil {
		return fmt.Errorf("remove image %s: %w", ref, err)
	}
	for _, t := range img.RepoTags {
		fmt.Fprintf(w, "Untagged: %s\n", views.FamiliarName(t))
	}
	fmt.Fprintf(w, "Deleted: %s\n", img.ID)
	return nil
}

// untagOnly: ref names one of several tags of img, and the store only
// takes that tag off (see image.Store.Remove).
func untagOnly(img *image.Image, ref string) bool {
	if len(img.RepoTags) < 2 || strings.Contains(ref, "@") {
		return false
	}
	hex := strings.TrimPrefix(ref, "sha256:")
	return !(len(hex) >= 12 && strings.HasPrefix(strings.TrimPrefix(img.ID, "sha256:"), hex))
}

// checkUsers refuses the removal of an image that containers use: any
// running one, and without force any at all.
func checkUsers(ref string, users []*runtime.Status, force bool) error {
	for _, st := range users {
		if st.State == runtime.StateRunning || st.State == runtime.StateRestarting {
			return fmt.Errorf("image %s is used by running container %s (%s): stop and remove it first", ref, containerName(st), shortID(st.ID))
		}
	}
	if len(users) > 0 && !force {
		names := make([]string, len(users))
		for i, st := range users {
			names[i] = containerName(st)
		}
		return fmt.Errorf("image %s is used by container %s (%s): remove the container first, or pass -f to remove it too",
			ref, strings.Join(names, ", "), users[0].State)
	}
	return nil
}

// containersUsing lists the containers made from image id.
func containersUsing(rt *runtime.Runtime, id string) ([]*runtime.Status, error) {
	list, err := rt.List()
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	var out []*runtime.Status
	for _, st := range list {
		if st.Labels[labelImage] == id {
			out = append(out, st)
		}
	}
	return out, nil
}

// containerName is the container's name, or its short ID without one.
func containerName(st *runtime.Status) string {
	if st.Name != "" {
		return st.Name
	}
	return shortID(st.ID)
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
