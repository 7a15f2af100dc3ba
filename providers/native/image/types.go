package image

import (
	"fmt"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Image is one image in the store: a config, its layers, and the names it
// was pulled by. It is a snapshot; the store owns the record.
type Image struct {
	ID          string    `json:"id"`                     // config digest "sha256:…"
	Digest      string    `json:"digest,omitempty"`       // manifest digest; "" for docker-archive sources
	Ref         string    `json:"ref"`                    // the ref of the latest Pull, as asked
	RepoTags    []string  `json:"repo_tags,omitempty"`    // normalised refs: "registry/repo:tag", "oci-layout:/abs:tag", …
	RepoDigests []string  `json:"repo_digests,omitempty"` // "registry/repo@sha256:…" (manifest and index digests)
	Platform    string    `json:"platform"`               // "linux/amd64", "linux/arm64/v8"
	Size        int64     `json:"size"`                   // bytes of file content in the unpacked layers
	Created     time.Time `json:"created"`
	Config      Config    `json:"config"`
	Layers      []Layer   `json:"layers"` // lowest first
}

// Config is the part of the image config that runs a container.
type Config struct {
	Entrypoint   []string          `json:"entrypoint,omitempty"`
	Cmd          []string          `json:"cmd,omitempty"`
	Env          []string          `json:"env,omitempty"`
	WorkingDir   string            `json:"working_dir,omitempty"`
	User         string            `json:"user,omitempty"`
	ExposedPorts []string          `json:"exposed_ports,omitempty"` // "80/tcp", sorted
	Volumes      []string          `json:"volumes,omitempty"`       // sorted
	Labels       map[string]string `json:"labels,omitempty"`
	StopSignal   string            `json:"stop_signal,omitempty"`
	Healthcheck  *Healthcheck      `json:"healthcheck,omitempty"`
}

// Healthcheck is the image's HEALTHCHECK. Test is as in the config:
// ["NONE"], ["CMD", args…] or ["CMD-SHELL", command].
type Healthcheck struct {
	Test        []string      `json:"test,omitempty"`
	Interval    time.Duration `json:"interval,omitempty"`
	Timeout     time.Duration `json:"timeout,omitempty"`
	StartPeriod time.Duration `json:"start_period,omitempty"`
	Retries     int           `json:"retries,omitempty"`
}

// Layer is one layer of an image.
type Layer struct {
	DiffID       string `json:"diff_id"`          // digest of the uncompressed tar; names the unpacked dir
	Digest       string `json:"digest,omitempty"` // digest of the blob as distributed; "" when unknown
	Size         int64  `json:"size"`             // size of the blob as distributed; 0 when unknown (docker-archive)
	MediaType    string `json:"media_type,omitempty"`
	UnpackedSize int64  `json:"unpacked_size"` // bytes of file content once unpacked
}

// Policy says when Pull goes to the source.
type Policy string

const (
	// PullMissing uses the store when it holds the ref (or digest) and
	// touches no network then; pulls otherwise. The default.
	PullMissing Policy = "missing"
	// PullAlways resolves the ref at the source and pulls when its digest
	// is not in the store.
	PullAlways Policy = "always"
	// PullNever uses the store only and fails with ErrNotFound.
	PullNever Policy = "never"
)

func (p Policy) valid() error {
	switch p {
	case PullMissing, PullAlways, PullNever:
		return nil
	}
	return fmt.Errorf("pull policy %q: want missing, always or never", string(p))
}

// PullOptions tune one Pull.
type PullOptions struct {
	Platform string // "os/arch[/variant]"; "" = Options.DefaultPlatform
	Policy   Policy // "" = PullMissing
	// Progress, when set, receives layer progress. Calls are serialised
	// (never concurrent) but may come from different goroutines.
	Progress func(Progress)
}

// Progress reports one step of a Pull. Layer is "" for image-level
// messages ("resolving", "exists", "done").
type Progress struct {
	Ref     string
	Layer   string // layer digest (diff ID when the source has no blob digest)
	Current int64  // bytes read of the layer
	Total   int64  // layer size; 0 when unknown
	Done    bool
	Message string
}

// configFrom extracts the runtime part of an image config.
func configFrom(c v1.Config) Config {
	out := Config{
		Entrypoint: c.Entrypoint,
		Cmd:        c.Cmd,
		Env:        c.Env,
		WorkingDir: c.WorkingDir,
		User:       c.User,
		Labels:     c.Labels,
		StopSignal: c.StopSignal,
	}
	out.ExposedPorts = sortedKeys(c.ExposedPorts)
	out.Volumes = sortedKeys(c.Volumes)
	if h := c.Healthcheck; h != nil {
		out.Healthcheck = &Healthcheck{
			Test:        h.Test,
			Interval:    h.Interval,
			Timeout:     h.Timeout,
			StartPeriod: h.StartPeriod,
			Retries:     h.Retries,
		}
	}
	return out
}

func sortedKeys(m map[string]struct{}) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func platformOf(cf *v1.ConfigFile) string {
	p := v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
	return p.String()
}
