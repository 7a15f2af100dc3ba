//go:build !linux

package network

import "context"

func (m *Manager) SetService(context.Context, Service) ([]Port, error) { return nil, ErrUnsupported }
func (m *Manager) RemoveService(context.Context, string) error         { return ErrUnsupported }
