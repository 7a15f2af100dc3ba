//go:build !linux || !cgo

package runtime

import "context"

// RunForeground needs Linux and cgo.
func (r *Runtime) RunForeground(ctx context.Context, s Spec, fio ForegroundIO) (int, error) {
	return -1, ErrUnsupported
}

// PrimeStart has nothing to prepare without the Linux runtime.
func PrimeStart() {}
