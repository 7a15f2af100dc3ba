package image

import (
	"context"
	"net/http"
	"testing"
)

func TestAllowPlain(t *testing.T) {
	r, err := newRegistries(map[string]RegistryConfig{
		"10.0.0.5:5000":   {Insecure: true},
		"lab.example":     {Insecure: true},
		"hub.example.com": {Mirrors: []string{"http://mirror.local:5000", "https://tls-mirror.example"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"127.0.0.1:5000":             true,
		"127.1.2.3":                  true,
		"localhost:5000":             true,
		"[::1]:5000":                 true,
		"10.0.0.5:5000":              true,
		"10.0.0.5:6000":              false,
		"10.0.0.6:5000":              false, // go-containerregistry would speak HTTP to RFC 1918
		"192.168.1.1":                false,
		"lab.example:443":            true,
		"mirror.local:5000":          true,
		"tls-mirror.example":         false,
		"registry.example.com":       false,
		"localhost.attacker.example": false,
	} {
		if got := r.allowPlain(host); got != want {
			t.Errorf("allowPlain(%q) = %v, want %v", host, got, want)
		}
	}
}

type recordingTransport struct{ schemes []string }

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.schemes = append(rt.schemes, req.URL.Scheme)
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
}

func TestPlainHTTPIsUpgraded(t *testing.T) {
	r, err := newRegistries(map[string]RegistryConfig{"10.0.0.5:5000": {Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	secure, insecure := &recordingTransport{}, &recordingTransport{}
	r.secure, r.insecure = secure, insecure
	for _, u := range []string{"http://10.0.0.6:5000/v2/", "http://10.0.0.5:5000/v2/", "https://registry.example.com/v2/"} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
		r.RoundTrip(req)
	}
	if len(secure.schemes) != 2 || secure.schemes[0] != "https" || secure.schemes[1] != "https" {
		t.Errorf("verified transport saw %v, want [https https]", secure.schemes)
	}
	if len(insecure.schemes) != 1 || insecure.schemes[0] != "http" {
		t.Errorf("insecure transport saw %v, want [http]", insecure.schemes)
	}
}

func TestBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"platform": {DefaultPlatform: "linux/amd64/v1/extra"},
		"host":     {Registries: map[string]RegistryConfig{"a/b": {}}},
		"mirror":   {Registries: map[string]RegistryConfig{"a": {Mirrors: []string{"http://"}}}},
	} {
		if _, err := Open(t.TempDir(), o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
