package main

import (
	"context"
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native"
)

// newRegistry returns a registry holding the built-in native provider.
// Plugin providers are added here once providers/plugin exists.
func newRegistry(ctx context.Context) (*providers.Registry, error) {
	reg := providers.NewRegistry()
	if err := reg.Register(ctx, &native.Provider{}); err != nil {
		return nil, fmt.Errorf("register the built-in provider: %w", err)
	}
	return reg, nil
}
