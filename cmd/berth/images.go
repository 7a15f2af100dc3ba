package main

import (
	"fmt"
	"time"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/spf13/cobra"
)

func newImagesCmd(a *app) *cobra.Command {
	var format string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "images [options]",
		Short: "List the images in the runtime's image store",
		Long: `List the images in the native runtime's image store, newest first: one row
per tag, with the image ID (the first 12 hex digits of its config digest),
when it was built and its unpacked size.

--format json prints a JSON array of the full records (id, digest,
repo_tags, repo_digests, platform, size, created, config, layers).`,
		Example: `  berth images
  berth images -q
  berth images --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			e, err := a.openEngine(cmd)
			if err != nil {
				return err
			}
			list, err := e.Images.List()
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			switch {
			case format == "json":
				return views.ImagesJSON(w, list)
			case quiet:
				views.ImagesIDs(w, list)
				return nil
			}
			return views.ImagesTable(w, list, time.Now())
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "output format: table (default) or json")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only the image IDs")
	return cmd
}
