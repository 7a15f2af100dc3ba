package runtime

import (
	"strings"
	"testing"
)

func TestHostsContent(t *testing.T) {
	got := string(hostsContent("web", nil))
	if !strings.HasPrefix(got, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n") || !strings.HasSuffix(got, "127.0.1.1\tweb\n") {
		t.Errorf("default hosts:\n%s", got)
	}
	got = string(hostsContent("web", []HostEntry{{IP: "10.0.0.2", Names: []string{"web", "web.net"}}}))
	if strings.Contains(got, "127.0.1.1") || !strings.HasSuffix(got, "10.0.0.2\tweb web.net\n") {
		t.Errorf("hosts with the hostname on a network:\n%s", got)
	}
}

func TestResolvConf(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
		dropped  bool
	}{
		{name: "plain", in: "# c\nnameserver 10.0.0.1\nsearch a b\noptions ndots:2\n", want: "nameserver 10.0.0.1\nsearch a b\noptions ndots:2\n"},
		{name: "systemd-resolved stub", in: "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n", want: "search .\noptions edns0 trust-ad\n", dropped: true},
		{name: "mixed", in: "nameserver ::1\nnameserver 1.1.1.1\ndomain example.com\n", want: "nameserver 1.1.1.1\nsearch example.com\n", dropped: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc, dropped := parseResolvConf([]byte(tc.in)).withoutLoopback()
			if got := string(rc.Bytes()); got != tc.want || dropped != tc.dropped {
				t.Errorf("got %q (dropped %v), want %q (%v)", got, dropped, tc.want, tc.dropped)
			}
		})
	}
}
