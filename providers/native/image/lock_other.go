//go:build !unix

package image

import (
	"context"
	"fmt"
)

type fileLock struct{}

func lockFile(context.Context, string, bool) (*fileLock, error) {
	return nil, fmt.Errorf("image store locks: %w on this operating system", ErrUnsupported)
}

func tryLock(string, bool) (*fileLock, bool, error) {
	return nil, false, fmt.Errorf("image store locks: %w on this operating system", ErrUnsupported)
}

func (l *fileLock) unlock() {}
