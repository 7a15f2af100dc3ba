package image

import (
	"errors"
	"fmt"
)

// Sentinels for the categories a caller branches on; the typed errors below
// unwrap to them.
var (
	// ErrNotFound: no image in the store matches an ID, digest or ref (and,
	// with Policy "never", Pull found nothing to return).
	ErrNotFound = errors.New("image not found")
	// ErrAmbiguous: an ID prefix or ref matches more than one image.
	ErrAmbiguous = errors.New("ambiguous image reference")
	// ErrNoPlatform: an index holds no image for the wanted platform.
	ErrNoPlatform = errors.New("no image for the platform")
	// ErrDigestMismatch: content does not hash to the digest that names it.
	ErrDigestMismatch = errors.New("digest mismatch")
	// ErrUnsafeLayer: a layer holds an entry that extraction refuses.
	ErrUnsafeLayer = errors.New("unsafe layer entry")
	// ErrUnsupported: the source is not a container image this store can
	// unpack, or the platform cannot unpack layers.
	ErrUnsupported = errors.New("unsupported")
	// ErrBlobUnavailable: Push needs a layer blob that is neither kept in
	// the store nor fetchable from where the image was pulled.
	ErrBlobUnavailable = errors.New("layer blob unavailable")
)

// DigestError is content whose digest is not the expected one; it unwraps
// to ErrDigestMismatch.
type DigestError struct {
	What     string // what was hashed: "blob as downloaded", "uncompressed content (diff ID)", …
	Expected string
	Actual   string
}

func (e *DigestError) Error() string {
	return fmt.Sprintf("%s: digest mismatch: expected %s, got %s", e.What, e.Expected, e.Actual)
}

func (e *DigestError) Unwrap() error { return ErrDigestMismatch }

// UnsafeEntryError is a layer entry that extraction refuses; it unwraps to
// ErrUnsafeLayer.
type UnsafeEntryError struct {
	Name   string // the entry's name in the tar stream
	Reason string
}

func (e *UnsafeEntryError) Error() string {
	return fmt.Sprintf("layer entry %q: %s", e.Name, e.Reason)
}

func (e *UnsafeEntryError) Unwrap() error { return ErrUnsafeLayer }

// PlatformError is an index without an image for the wanted platform,
// naming the platforms it has; it unwraps to ErrNoPlatform.
type PlatformError struct {
	Ref       string
	Want      string
	Available []string
}

func (e *PlatformError) Error() string {
	return fmt.Sprintf("%s: no image for platform %s (available: %s)", e.Ref, e.Want, joinOrNone(e.Available))
}

func (e *PlatformError) Unwrap() error { return ErrNoPlatform }

func joinOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	out := s[0]
	for _, x := range s[1:] {
		out += ", " + x
	}
	return out
}
