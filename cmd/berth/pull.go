package main

import (
	"context"
	"fmt"
	"io"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/spf13/cobra"
)

func newPullCmd(a *app) *cobra.Command {
	var platform string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "pull [options] REF...",
		Short: "Pull images into the runtime's image store",
		Long: `Pull images into the native runtime's image store and print their IDs.

REF is a registry reference by tag or digest (busybox, ghcr.io/acme/web:1.4,
registry:5000/app@sha256:...), oci-layout:PATH[:TAG|@DIGEST] for an OCI
image layout directory, or docker-archive:PATH[:REPO:TAG] for a docker save
tarball. A tag is resolved again at every pull; layers already in the
store are not fetched again.

On a terminal each layer has a progress bar redrawn in place; otherwise
each step is a line of its own.`,
		Example: `  berth pull busybox:1.36
  berth pull --platform linux/arm64 alpine
  berth pull oci-layout:./build/img:latest`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.openEngine(cmd)
			if err != nil {
				return err
			}
			for _, ref := range args {
				progress := io.Writer(cmd.OutOrStdout())
				if quiet {
					progress = nil
				}
				img, err := a.pullImage(cmd.Context(), e.Images, ref, image.PullOptions{Platform: platform, Policy: image.PullAlways}, progress)
				if err != nil {
					return err
				}
				if quiet {
					fmt.Fprintln(cmd.OutOrStdout(), img.ID)
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", ref, img.ID)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&platform, "platform", "", "pull the image for `OS/ARCH[/VARIANT]` (default: this machine's)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only the image IDs, no progress")
	return cmd
}

// pullImage pulls ref into the store, showing progress on w (nil: none):
// live bars when w is a terminal, plain lines otherwise.
func (a *app) pullImage(ctx context.Context, s *image.Store, ref string, o image.PullOptions, w io.Writer) (*image.Image, error) {
	if w != nil {
		view := views.NewPullProgress(w, isTerminal(w), int(termWidth(w)), a.colors(w))
		o.Progress = view.Event
		defer view.Finish()
	}
	img, err := s.Pull(ctx, ref, o)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", ref, err)
	}
	return img, nil
}
