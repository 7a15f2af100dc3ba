//go:build !linux || !cgo

package runtime

import (
	"context"
	"syscall"
	"time"
)

// Runtime needs Linux and cgo; elsewhere New fails with
// ErrUnsupported so that the rest of berth still builds.
type Runtime struct {
	root string
}

// Main has nothing to handle without the Linux runtime.
func Main() bool { return false }

func New(root string) (*Runtime, error)                                  { return nil, ErrUnsupported }
func (r *Runtime) Root() string                                          { return r.root }
func (r *Runtime) Create(ctx context.Context, s Spec) (*Status, error)   { return nil, ErrUnsupported }
func (r *Runtime) Start(ctx context.Context, id string) error            { return ErrUnsupported }
func (r *Runtime) Status(id string) (*Status, error)                     { return nil, ErrUnsupported }
func (r *Runtime) List() ([]*Status, error)                              { return nil, ErrUnsupported }
func (r *Runtime) Logs(id string) ([]string, error)                      { return nil, ErrUnsupported }
func (r *Runtime) Kill(id string, sig syscall.Signal) error              { return ErrUnsupported }
func (r *Runtime) Remove(ctx context.Context, id string, f bool) error   { return ErrUnsupported }
func (r *Runtime) Update(ctx context.Context, id string, u Update) error { return ErrUnsupported }
func (r *Runtime) WriteHosts(id string, extra []HostEntry) error         { return ErrUnsupported }
func (r *Runtime) WriteResolvConf(id string, rc ResolvConf) error        { return ErrUnsupported }

func (r *Runtime) Stop(ctx context.Context, id string, timeout time.Duration) error {
	return ErrUnsupported
}
