package providers

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/berthhq/berth/schemas"
)

// Registry maps resource type names to the providers that serve them, and
// caches their schemas. It is safe for concurrent use.
type Registry struct {
	mu        sync.RWMutex
	providers map[string]Provider // by provider name
	byType    map[string]string   // resource type -> provider name
	schemas   map[string]*schemas.Resource
	infos     map[string]ProviderInfo
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		providers: map[string]Provider{},
		byType:    map[string]string{},
		schemas:   map[string]*schemas.Resource{},
		infos:     map[string]ProviderInfo{},
	}
}

// Register adds p under its own name (from GetSchema) and records every
// resource type it serves. Two providers serving one type is an error.
func (r *Registry) Register(ctx context.Context, p Provider) error {
	resp := p.GetSchema(ctx, GetSchemaRequest{})
	if err := resp.Diagnostics.Err(); err != nil {
		return fmt.Errorf("provider schema: %w", err)
	}
	name := resp.Provider.Name
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.providers[name]; dup {
		return fmt.Errorf("provider %q registered twice", name)
	}
	for typ := range resp.Resources {
		if other, dup := r.byType[typ]; dup {
			return fmt.Errorf("resource type %q is served by both %q and %q", typ, other, name)
		}
	}
	r.providers[name] = p
	r.infos[name] = resp.Provider
	for typ, s := range resp.Resources {
		r.byType[typ] = name
		r.schemas[typ] = s
	}
	return nil
}

// ForType returns the provider serving a resource type and its name.
func (r *Registry) ForType(typ string) (Provider, string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	name, ok := r.byType[typ]
	if !ok {
		return nil, "", false
	}
	return r.providers[name], name, true
}

// Provider returns a registered provider by name.
func (r *Registry) Provider(name string) (Provider, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.providers[name]
	return p, ok
}

// Schema returns the schema of a resource type.
func (r *Registry) Schema(typ string) (*schemas.Resource, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.schemas[typ]
	return s, ok
}

// Types lists every registered resource type, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.byType))
	for t := range r.byType {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Providers lists the registered providers' names and versions, sorted by name.
func (r *Registry) Providers() []ProviderInfo {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]ProviderInfo, 0, len(r.infos))
	for _, i := range r.infos {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// Close closes every provider, returning the first error.
func (r *Registry) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var first error
	for _, p := range r.providers {
		if err := p.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
