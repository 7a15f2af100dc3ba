package image

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// registries holds the per-registry settings and the HTTP transports built
// from them once per Store (so connections are reused across pulls).
type registries struct {
	byHost    map[string]RegistryConfig // normalised host[:port]
	plainHTTP map[string]bool           // mirrors named with http://
	secure    http.RoundTripper
	insecure  http.RoundTripper // TLS without verification
}

// retryStatusCodes are answers that are worth asking again.
var retryStatusCodes = []int{
	http.StatusRequestTimeout, http.StatusTooManyRequests,
	http.StatusInternalServerError, http.StatusBadGateway,
	http.StatusServiceUnavailable, http.StatusGatewayTimeout,
}

func newRegistries(in map[string]RegistryConfig) (registries, error) {
	r := registries{byHost: map[string]RegistryConfig{}, plainHTTP: map[string]bool{}}
	for host, c := range in {
		if host == "" || strings.ContainsAny(host, "/ ") {
			return r, fmt.Errorf("registry %q: want host[:port]", host)
		}
		mirrors := make([]string, 0, len(c.Mirrors))
		for _, m := range c.Mirrors {
			h, plain := strings.CutPrefix(m, "http://")
			h = strings.TrimSuffix(strings.TrimPrefix(h, "https://"), "/")
			if h == "" || strings.ContainsAny(h, " ") {
				return r, fmt.Errorf("registry %q: mirror %q: want host[:port]", host, m)
			}
			if plain {
				r.plainHTTP[normHost(h)] = true
			}
			mirrors = append(mirrors, h)
		}
		c.Mirrors = mirrors
		r.byHost[normHost(host)] = c
	}
	base := remote.DefaultTransport.(*http.Transport)
	r.secure = base.Clone()
	ins := base.Clone()
	ins.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only for registries configured insecure
	r.insecure = ins
	return r, nil
}

// normHost lower-cases a host and folds Docker Hub's aliases together.
func normHost(h string) string {
	h = strings.ToLower(h)
	if h == "docker.io" || h == "registry-1.docker.io" {
		return name.DefaultRegistry
	}
	return h
}

func (r *registries) config(host string) RegistryConfig {
	return r.byHost[normHost(host)]
}

// allowPlain reports whether host may be spoken to without verified TLS:
// loopback always, others only when configured insecure.
func (r *registries) allowPlain(host string) bool {
	h := normHost(host)
	if isLoopback(h) || r.plainHTTP[h] || r.byHost[h].Insecure {
		return true
	}
	if name, _, err := net.SplitHostPort(h); err == nil {
		return r.byHost[name].Insecure || r.plainHTTP[name]
	}
	return false
}

func isLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RoundTrip enforces the policy go-containerregistry leaves open (it
// speaks plain HTTP to RFC 1918 addresses by default): a registry that
// is not allowed plain HTTP is upgraded to HTTPS with verified TLS.
func (r *registries) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.allowPlain(req.URL.Host) {
		return r.insecure.RoundTrip(req)
	}
	if req.URL.Scheme == "http" {
		req = req.Clone(req.Context())
		req.URL.Scheme = "https"
	}
	return r.secure.RoundTrip(req)
}

// Resolve implements authn.Keychain: configured credentials first, then
// Docker's config file and credential helpers.
func (r *registries) Resolve(res authn.Resource) (authn.Authenticator, error) {
	if c := r.config(res.RegistryStr()); c.Username != "" {
		return &authn.Basic{Username: c.Username, Password: c.Password}, nil
	}
	return authn.DefaultKeychain.Resolve(res)
}

// parseRef parses a registry reference, marking hosts that may use plain
// HTTP as insecure for go-containerregistry.
func (r *registries) parseRef(s string) (name.Reference, error) {
	ref, err := name.ParseReference(s)
	if err != nil {
		return nil, err
	}
	if r.allowPlain(ref.Context().RegistryStr()) {
		return name.ParseReference(s, name.Insecure)
	}
	return ref, nil
}

// candidates lists where to look for ref: its mirrors in order, then the
// registry itself.
func (r *registries) candidates(ref name.Reference) []name.Reference {
	c := r.config(ref.Context().RegistryStr())
	out := make([]name.Reference, 0, len(c.Mirrors)+1)
	for _, m := range c.Mirrors {
		sep := ":"
		if _, ok := ref.(name.Digest); ok {
			sep = "@"
		}
		mref, err := r.parseRef(m + "/" + ref.Context().RepositoryStr() + sep + ref.Identifier())
		if err == nil {
			out = append(out, mref)
		}
	}
	return append(out, ref)
}

func (s *Store) remoteOptions(ctx context.Context) []remote.Option {
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithTransport(&s.registry),
		remote.WithAuthFromKeychain(&s.registry),
		remote.WithRetryBackoff(s.backoff),
		remote.WithRetryStatusCodes(retryStatusCodes...),
		remote.WithUserAgent("berth"),
	}
}
