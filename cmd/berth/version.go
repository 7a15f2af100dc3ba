package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// version is berth's version, without the leading "v". Release builds set
// it with -ldflags "-X main.version=0.2.0".
var version = "0.1.0"

func newVersionCmd(a *app) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "version [flags]",
		Short: "Print berth's version",
		Long: `Version prints berth's version and the Go version and platform it was
built with; -json prints them as an object (berth_version, go_version,
platform) for scripts. berth -v prints the version line alone.`,
		Example: "  berth version\n  berth version -json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if jsonOut {
				return writeJSONIndent(w, map[string]any{
					"berth_version": version,
					"go_version":    runtime.Version(),
					"platform":      runtime.GOOS + "_" + runtime.GOARCH,
				})
			}
			_, err := fmt.Fprintf(w, "berth v%s\n%s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON")
	return cmd
}
