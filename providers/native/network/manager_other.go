//go:build !linux

package network

import "context"

// Manager needs Linux; elsewhere Open fails with ErrUnsupported so that
// the rest of berth still builds.
type Manager struct{}

func Open(root string, opts Options) (*Manager, error)              { return nil, ErrUnsupported }
func CheckPort(p Port, owners ...string) error                      { return nil }
func (m *Manager) Get(name string) (*Network, error)                { return nil, ErrUnsupported }
func (m *Manager) List() ([]*Network, error)                        { return nil, ErrUnsupported }
func (m *Manager) Create(context.Context, Config) (*Network, error) { return nil, ErrUnsupported }
func (m *Manager) Remove(context.Context, string, func(string) bool) error {
	return ErrUnsupported
}
func (m *Manager) Attach(context.Context, EndpointConfig) (*Endpoint, error) {
	return nil, ErrUnsupported
}
func (m *Manager) Detach(context.Context, string) ([]string, error) { return nil, ErrUnsupported }
func (m *Manager) Endpoint(string) (*Endpoint, error)               { return nil, ErrUnsupported }
func (m *Manager) Endpoints() ([]*Endpoint, error)                  { return nil, ErrUnsupported }
func (m *Manager) HostsFor(string) ([]HostEntry, error)             { return nil, ErrUnsupported }
func (m *Manager) CheckPort(Port, ...string) error                  { return ErrUnsupported }
func (m *Manager) PublishedPorts() ([]PublishedPort, error)         { return nil, ErrUnsupported }
func (m *Manager) SyncHosts(context.Context, []string, func(string, []HostEntry) error) error {
	return ErrUnsupported
}
