package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/spf13/cobra"
)

func newProvidersCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "providers",
		Short: "List the providers and the resource types they serve",
		Long: `Providers lists the providers berth knows (the built-in one and the
plugin providers the configuration requires) and the resource types each
serves. "providers schema -json" prints every resource schema.`,
		Example: `  berth providers
  berth providers schema -json | jq '.provider_schemas.berth.resource_schemas | keys'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := newRegistry(cmd.Context())
			if err != nil {
				return err
			}
			defer reg.Close()
			return listProviders(cmd.OutOrStdout(), reg)
		},
	}
	cmd.AddCommand(newProvidersSchemaCmd(a))
	return cmd
}

func listProviders(w io.Writer, reg *providers.Registry) error {
	byProvider := map[string][]string{}
	for _, typ := range reg.Types() {
		_, name, _ := reg.ForType(typ)
		byProvider[name] = append(byProvider[name], typ)
	}
	for _, info := range reg.Providers() {
		fmt.Fprintf(w, "provider[%s] v%s\n", info.Name, info.Version)
		for _, typ := range byProvider[info.Name] {
			fmt.Fprintf(w, "  %s\n", typ)
		}
	}
	return nil
}

func newProvidersSchemaCmd(a *app) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "schema -json",
		Short: "Print every resource schema as JSON",
		Long: `Schema prints the schema of every resource type the providers serve, as
one JSON document keyed by provider and type: each attribute's type,
whether it is required, optional or computed, its default, whether a
change forces a replacement, whether it is sensitive, and its
description. The language reference in docs/language is generated from
the same schemas.`,
		Example: `  berth providers schema -json
  berth providers schema -json | jq '.provider_schemas.berth.resource_schemas.container.block.attributes | keys'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !jsonOut {
				return fmt.Errorf("providers schema prints JSON only: pass -json")
			}
			reg, err := newRegistry(cmd.Context())
			if err != nil {
				return err
			}
			defer reg.Close()
			return views.WriteProvidersSchemaJSON(cmd.OutOrStdout(), providerSchemas(reg))
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print JSON (required)")
	return cmd
}

// providerSchemas groups the registry's resource schemas by provider.
func providerSchemas(reg *providers.Registry) []views.ProviderSchemas {
	byName := map[string]map[string]*schemas.Resource{}
	for _, typ := range reg.Types() {
		_, name, _ := reg.ForType(typ)
		s, _ := reg.Schema(typ)
		if byName[name] == nil {
			byName[name] = map[string]*schemas.Resource{}
		}
		byName[name][typ] = s
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]views.ProviderSchemas, 0, len(names))
	for _, n := range names {
		out = append(out, views.ProviderSchemas{Name: n, Resources: byName[n]})
	}
	return out
}
