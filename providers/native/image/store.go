package image

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/sync/singleflight"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// RegistryConfig is berth's `registry "host" {}` block: settings for one
// registry, keyed by host[:port] in Options.Registries.
type RegistryConfig struct {
	// Insecure allows plain HTTP and unverified TLS. Registries on loopback
	// (127.0.0.0/8, localhost, [::1]) are always allowed plain HTTP.
	Insecure bool
	// Username and Password, when Username is set, are sent as basic
	// credentials; otherwise ~/.docker/config.json and credential helpers.
	Username, Password string
	// Mirrors are host[:port] (optionally "http://" or "https://" first)
	// tried in order before the registry itself, same repository path.
	Mirrors []string
}

// Options configure a Store.
type Options struct {
	Registries map[string]RegistryConfig // by host[:port]
	// DefaultPlatform is "os/arch[/variant]"; "" = runtime.GOOS/GOARCH.
	DefaultPlatform string
	// KeepLayerBlobs keeps each compressed layer blob in blobs/ next to its
	// unpacked directory, so that Push sends the very bytes pulled without
	// going back to the source. Off by default: it costs the compressed
	// size again on disk.
	KeepLayerBlobs bool
}

// Store is a content-addressed image store under one root directory. It is
// safe for concurrent use by goroutines and by several processes sharing
// the root.
type Store struct {
	root     string
	opts     Options
	platform v1.Platform
	registry registries
	flight   singleflight.Group // unpacking, keyed by diff ID
	backoff  remote.Backoff     // between attempts at a broken transfer
	attempts int
}

// Directories under the root (see doc.go for the layout).
const (
	blobsDir  = "blobs/sha256"
	layersDir = "layers"
	imagesDir = "images"
	locksDir  = "locks"
	storeLock = "store.lock"

	layerFS     = "fs"         // the unpacked tree inside layers/<hex>/
	layerMarker = "layer.json" // written last: the layer is complete
	tmpPrefix   = ".tmp-"
	trashPrefix = ".trash-"
)

// Open opens (creating when missing) the store at root.
func Open(root string, opts Options) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("image store %s: %w", root, err)
	}
	if opts.DefaultPlatform == "" {
		opts.DefaultPlatform = runtime.GOOS + "/" + runtime.GOARCH
	}
	plat, err := v1.ParsePlatform(opts.DefaultPlatform)
	if err != nil {
		return nil, fmt.Errorf("image store: default platform %q: %w", opts.DefaultPlatform, err)
	}
	for _, d := range []string{blobsDir, layersDir, imagesDir, locksDir} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o700); err != nil {
			return nil, fmt.Errorf("image store %s: %w", abs, err)
		}
	}
	regs, err := newRegistries(opts.Registries)
	if err != nil {
		return nil, err
	}
	return &Store{
		root:     abs,
		opts:     opts,
		platform: *plat,
		registry: regs,
		backoff:  remote.Backoff{Duration: 500e6, Factor: 2, Jitter: 0.1, Steps: 4},
		attempts: 4,
	}, nil
}

// Root is the directory the store lives in.
func (s *Store) Root() string { return s.root }

func (s *Store) blobPath(hex string) string  { return filepath.Join(s.root, blobsDir, hex) }
func (s *Store) layerPath(hex string) string { return filepath.Join(s.root, layersDir, hex) }
func (s *Store) recordPath(hex string) string {
	return filepath.Join(s.root, imagesDir, hex+".json")
}

// hexOf returns the hex part of a "sha256:…" digest, checking its form.
func hexOf(digest string) (string, error) {
	hex, ok := strings.CutPrefix(digest, "sha256:")
	if !ok || !isHex(hex) || len(hex) != 64 {
		return "", fmt.Errorf("not a sha256 digest: %q", digest)
	}
	return hex, nil
}

func isHex(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return s != ""
}
