package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"
)

// pluginDir is where init prepares room for plugin providers.
var pluginDir = filepath.Join(".berth", "plugins")

func newInitCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Prepare the working directory",
		Long: `Init loads the configuration, creates ./.berth/plugins for plugin providers
and lists the providers the configuration uses. It is safe to run again.`,
		Example: `  berth init
  berth -chdir=deploy/prod init`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace(cmd)
			defer ws.close()
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			c := a.colors(w)
			fmt.Fprintln(w, c.Bold("Initializing the working directory..."))
			if err := os.MkdirAll(pluginDir, 0o755); err != nil {
				return fmt.Errorf("create %s: %w", pluginDir, err)
			}
			fmt.Fprintf(w, "\n%s\n", c.Bold("Initializing provider plugins..."))
			for _, info := range ws.reg.Providers() {
				fmt.Fprintf(w, "- Using built-in provider %s v%s\n", info.Name, info.Version)
			}
			if err := a.listRequired(cmd, ws); err != nil {
				return err
			}
			fmt.Fprintf(w, "\n%s\n\n", c.Bold(c.Green("berth has been successfully initialized!")))
			fmt.Fprintln(w, "You may now begin working with berth. Try running \"berth plan\" to see\nany changes that are required for your infrastructure.")
			return nil
		},
	}
}

// listRequired reports the plugin providers the berth block requires and
// whether an executable for each is in a plugin directory. Loading them
// arrives with providers/plugin; until then a required plugin is an error.
func (a *app) listRequired(cmd *cobra.Command, ws *workspace) error {
	if ws.cfg.Berth == nil || len(ws.cfg.Berth.RequiredProviders) == 0 {
		return nil
	}
	names := make([]string, 0, len(ws.cfg.Berth.RequiredProviders))
	for n := range ws.cfg.Berth.RequiredProviders {
		names = append(names, n)
	}
	sort.Strings(names)
	w := cmd.OutOrStdout()
	missing := 0
	for _, n := range names {
		req := ws.cfg.Berth.RequiredProviders[n]
		if path := findPlugin(n); path != "" {
			fmt.Fprintf(w, "- Found plugin provider %s (%s) at %s\n", n, req.Version, path)
			continue
		}
		missing++
		a.errorf("plugin provider %s (%s) not found: put its executable berth-provider-%s in %s or ~/.berth/plugins", n, req.Version, n, pluginDir)
	}
	if missing > 0 {
		return errReported
	}
	return nil
}

// findPlugin looks for berth-provider-NAME in the plugin directories.
func findPlugin(name string) string {
	dirs := []string{pluginDir}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".berth", "plugins"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "berth-provider-"+name)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return ""
}
