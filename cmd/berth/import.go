package main

import (
	"fmt"
	"github.com/zclconf/go-cty/cty"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
)

func newImportCmd(a *app) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "import [flags] ADDR ID",
		Short: "Adopt an existing object into the state",
		Long: `Import records an object that already exists (a container, network or
volume, by the runtime's own ID) in the state under ADDR, so that berth manages
it from now on. ADDR must already be in the configuration; the next plan shows
any difference between the object and its configuration.`,
		Example: `  berth import container.web 3f2a9c
  berth import 'container.web[0]' 3f2a9c`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd, &f, args[0], args[1])
		},
	}
	f.vars.register(cmd)
	f.lock.register(cmd)
	f.refresh, f.parallelism = true, 10
	return cmd
}

func (a *app) runImport(cmd *cobra.Command, f *planFlags, addrText, id string) error {
	addr, err := addrs.ParseInstance(addrText)
	if err != nil {
		return err
	}
	op, err := a.startOperation(cmd, f, "berth import")
	defer op.close()
	if err != nil {
		return err
	}
	if err := checkInConfig(op.cfg, addr); err != nil {
		return err
	}
	if op.prior.Resource(addr) != nil {
		return fmt.Errorf("%s is already managed by berth; to import another object there, first run berth state rm %s", addr, addr)
	}
	prov, name, ok := op.reg.ForType(addr.Type)
	if !ok {
		return fmt.Errorf("no provider serves resource type %q of %s", addr.Type, addr)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s: Importing from ID %q...\n", addr, id)
	resp := prov.ImportResource(cmd.Context(), providers.ImportResourceRequest{TypeName: addr.Type, ID: id})
	if err := resp.Diagnostics.Err(); err != nil {
		return fmt.Errorf("import %s from ID %q: %w", addr, id, err)
	}
	r := &state.Resource{Addr: addr, Provider: name, Private: resp.Private}
	ty := cty.NilType
	if s, ok := op.reg.Schema(addr.Type); ok {
		r.SchemaVersion, ty = s.Version, s.Block.ImpliedType()
	}
	if err := r.SetValue(resp.Imported, ty); err != nil {
		return fmt.Errorf("record %s: %w", addr, err)
	}
	op.prior.Set(r)
	if err := op.store.Write(op.prior); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: Import prepared!\n\n%s\n\nThe object is now in the berth state and will henceforth be managed by berth.\n",
		addr, a.colors(w).Bold(a.colors(w).Green("Import successful!")))
	return nil
}

// checkInConfig requires the resource of addr to be declared, naming the
// file to declare it in when it is not.
func checkInConfig(root *spec.Config, addr addrs.Instance) error {
	cfg := root
	for _, name := range addr.Module {
		child, ok := cfg.Children[name]
		if !ok {
			return fmt.Errorf("module.%s is not in the configuration; declare the module before importing %s", name, addr)
		}
		cfg = child
	}
	if _, ok := cfg.Resources[addr.Type+"."+addr.Name]; ok {
		return nil
	}
	block := fmt.Sprintf("%s %q {\n  # ...\n}", addr.Type, addr.Name)
	if !isBuiltinBlock(addr.Type) {
		block = fmt.Sprintf("resource %q %q {\n  # ...\n}", addr.Type, addr.Name)
	}
	return fmt.Errorf("%s is not in the configuration.\n\nBefore importing it, declare it in %s, for example:\n\n%s",
		addr.Resource, suggestFile(cfg.Dir), block)
}

// isBuiltinBlock reports whether a type has its own block keyword.
func isBuiltinBlock(typ string) bool {
	switch typ {
	case "container", "image", "network", "volume", "deployment":
		return true
	}
	return false
}

// suggestFile names the configuration file a new block should go in: the
// first *.berth.hcl file of dir, or main.berth.hcl.
func suggestFile(dir string) string {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.berth.hcl"))
	sort.Strings(matches)
	for _, m := range matches {
		if info, err := os.Stat(m); err == nil && info.Mode().IsRegular() && !strings.HasPrefix(filepath.Base(m), ".") {
			return m
		}
	}
	return filepath.Join(dir, "main.berth.hcl")
}
