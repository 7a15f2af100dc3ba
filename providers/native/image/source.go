package image

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Prefixes of refs that name local sources instead of a registry.
const (
	layoutPrefix  = "oci-layout:"
	archivePrefix = "docker-archive:"
)

type sourceKind int

const (
	fromRegistry sourceKind = iota
	fromLayout              // oci-layout:PATH[:TAG|@DIGEST]
	fromArchive             // docker-archive:PATH[:REF]
)

// source is a parsed ref.
type source struct {
	kind  sourceKind
	asked string // as given to Pull
	// name is the normalised ref, recorded in RepoTags (or RepoDigests for
	// a registry digest ref) and matched by later lookups.
	name   string
	ref    name.Reference // fromRegistry
	pin    name.Reference // fromRegistry: the digest a tag resolved to, fetched instead of ref
	path   string         // fromLayout, fromArchive: absolute
	tag    string         // fromLayout: ref.name annotation; fromArchive: the repo:tag inside
	digest string         // fromLayout: manifest digest
}

func (s *source) isDigest() bool {
	_, ok := s.ref.(name.Digest)
	return s.kind == fromRegistry && ok
}

// layoutTagRE is the syntax of a tag in an OCI layout reference; at most
// 255 bytes, checked apart (a bounded repetition compiles into a large
// program at every start).
var layoutTagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$`)

func (s *Store) parseSource(ref string) (*source, error) {
	switch {
	case strings.HasPrefix(ref, layoutPrefix):
		return parseLayoutRef(ref)
	case strings.HasPrefix(ref, archivePrefix):
		return parseArchiveRef(ref)
	}
	r, err := s.registry.parseRef(ref)
	if err != nil {
		return nil, fmt.Errorf("image ref %q: %w", ref, err)
	}
	return &source{kind: fromRegistry, asked: ref, name: r.Name(), ref: r}, nil
}

func parseLayoutRef(ref string) (*source, error) {
	rest := strings.TrimPrefix(ref, layoutPrefix)
	src := &source{kind: fromLayout, asked: ref}
	path := rest
	if i := strings.LastIndex(rest, "@sha256:"); i >= 0 {
		path, src.digest = rest[:i], rest[i+1:]
		if _, err := hexOf(src.digest); err != nil {
			return nil, fmt.Errorf("image ref %q: %w", ref, err)
		}
	} else if p, tag, ok := splitLocalRef(rest, isLayoutDir); ok {
		path, src.tag = p, tag
		if len(tag) > 255 || !layoutTagRE.MatchString(tag) {
			return nil, fmt.Errorf("image ref %q: %q is not a valid tag", ref, tag)
		}
	}
	abs, err := absPath(ref, path)
	if err != nil {
		return nil, err
	}
	src.path = abs
	src.name = layoutPrefix + abs
	switch {
	case src.digest != "":
		src.name += "@" + src.digest
	case src.tag != "":
		src.name += ":" + src.tag
	}
	return src, nil
}

func parseArchiveRef(ref string) (*source, error) {
	rest := strings.TrimPrefix(ref, archivePrefix)
	src := &source{kind: fromArchive, asked: ref}
	path := rest
	if p, tag, ok := splitLocalRef(rest, isFile); ok {
		if _, err := name.NewTag(tag); err != nil {
			return nil, fmt.Errorf("image ref %q: %w", ref, err)
		}
		path, src.tag = p, tag
	}
	abs, err := absPath(ref, path)
	if err != nil {
		return nil, err
	}
	src.path = abs
	src.name = archivePrefix + abs
	if src.tag != "" {
		src.name += ":" + src.tag
	}
	return src, nil
}

// splitLocalRef splits "PATH:SUFFIX" at the first colon after which the
// left part is an existing source (paths may hold colons too). A string
// that is a source as a whole has no suffix; failing both, it splits at
// the last colon.
func splitLocalRef(s string, exists func(string) bool) (path, suffix string, ok bool) {
	if exists(s) {
		return s, "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && exists(s[:i]) {
			return s[:i], s[i+1:], true
		}
	}
	if i := strings.LastIndex(s, ":"); i > 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func isLayoutDir(p string) bool {
	_, err := os.Stat(filepath.Join(p, "index.json"))
	return err == nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func absPath(ref, p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("image ref %q: no path", ref)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("image ref %q: %w", ref, err)
	}
	return abs, nil
}

// wantPlatform parses PullOptions.Platform, defaulting to the store's.
func (s *Store) wantPlatform(p string) (v1.Platform, error) {
	if p == "" {
		return s.platform, nil
	}
	pl, err := v1.ParsePlatform(p)
	if err != nil {
		return v1.Platform{}, fmt.Errorf("platform %q: %w", p, err)
	}
	return *pl, nil
}

// platformMatches reports whether an image for have runs where want is
// asked; an empty part of want matches anything, and arm64's variant v8
// is its default.
func platformMatches(have, want v1.Platform) bool {
	norm := func(p v1.Platform) v1.Platform {
		if p.Architecture == "arm64" && p.Variant == "v8" {
			p.Variant = ""
		}
		return p
	}
	return norm(have).Satisfies(norm(want))
}

// selectPlatform picks the image for want from an index's manifests,
// naming the platforms there are when none fits. Attestation manifests
// (platform unknown/unknown) are not images.
func selectPlatform(descs []v1.Descriptor, want v1.Platform, what string) (v1.Descriptor, error) {
	var avail, images []v1.Descriptor
	for _, d := range descs {
		if d.MediaType.IsImage() {
			images = append(images, d)
		}
	}
	if len(images) == 1 && images[0].Platform == nil {
		return images[0], nil // an index that names no platform: the config is checked instead
	}
	for _, d := range descs {
		if d.Platform == nil || d.Platform.OS == "unknown" || !d.MediaType.IsImage() {
			continue
		}
		avail = append(avail, d)
		if platformMatches(*d.Platform, want) {
			return d, nil
		}
	}
	names := make([]string, len(avail))
	for i, d := range avail {
		names[i] = d.Platform.String()
	}
	return v1.Descriptor{}, &PlatformError{Ref: what, Want: want.String(), Available: names}
}
