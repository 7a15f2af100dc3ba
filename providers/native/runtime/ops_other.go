//go:build !linux || !cgo

package runtime

import "context"

// The operating calls need Linux and cgo.

func (r *Runtime) Exec(ctx context.Context, id string, o ExecOptions) (int, error) {
	return -1, ErrUnsupported
}
func (r *Runtime) Top(id string) ([]Process, error)   { return nil, ErrUnsupported }
func (r *Runtime) Stats(id string) (*Stats, error)    { return nil, ErrUnsupported }
func (r *Runtime) CopyFrom(id, src, dst string) error { return ErrUnsupported }
func (r *Runtime) CopyTo(id, src, dst string) error   { return ErrUnsupported }

func (r *Runtime) Attach(ctx context.Context, id string, o AttachOptions) (bool, error) {
	return false, ErrUnsupported
}
