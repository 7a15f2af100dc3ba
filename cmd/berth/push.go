package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"
)

func newPushCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "push IMAGE [DESTINATION]",
		Short: "Push an image from the runtime's image store to a registry",
		Long: `Push an image of the native runtime's image store to a registry, with its
manifest unchanged: the digest there is the digest here.

IMAGE is a ref the store knows (as berth images lists it) or an image ID.
DESTINATION is the registry ref to push to; without it IMAGE is pushed to
itself, which then must be a registry ref. Credentials come from Docker's
config and credential helpers, and from the berth block's registries.

Layers come from the store's copies when it keeps them, else from where
the image was pulled: its registry (mounted, not copied, within one
registry) or its OCI layout, which must still be there. An image loaded
from a docker-archive has no manifest and cannot be pushed.

On a terminal the bytes sent are shown as the push goes.`,
		Example: `  berth push oci-layout:./build/img:latest registry.example.com/acme/web:1.4
  berth push busybox:1.36 localhost:5000/mirror/busybox:1.36
  berth push registry.example.com/acme/web:1.4`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, dest := args[0], args[0]
			if len(args) == 2 {
				dest = args[1]
			}
			if strings.HasPrefix(dest, "oci-layout:") || strings.HasPrefix(dest, "docker-archive:") {
				return fmt.Errorf("push to %s: the destination must be a registry ref; name one after the image", dest)
			}
			if _, err := name.ParseReference(dest); err != nil {
				return fmt.Errorf("push destination %q: %w", dest, err)
			}
			e, err := a.openEngine(cmd)
			if err != nil {
				return err
			}
			img, err := e.Images.Get(src)
			if errors.Is(err, image.ErrNotFound) {
				return fmt.Errorf("image %s is not in the store: pull it first (berth pull %s)", src, src)
			}
			if err != nil {
				return err
			}
			if img.Digest == "" {
				return fmt.Errorf("push %s: it was loaded from a docker-archive, which has no manifest to push; pull it from an OCI layout or a registry instead", src)
			}
			fmt.Fprintf(a.stderr, "Pushing %s to %s\n", src, dest)
			view := views.NewPushProgress(a.stderr, isTerminal(a.stderr))
			err = e.Images.Push(cmd.Context(), src, dest, view.Update)
			view.Finish()
			if err != nil {
				if errors.Is(err, image.ErrBlobUnavailable) {
					return fmt.Errorf("%w\n(pull the image again from where it came, then push)", err)
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: digest: %s\n", dest, img.Digest)
			return nil
		},
	}
	return cmd
}
