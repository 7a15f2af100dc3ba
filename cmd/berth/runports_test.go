package main

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/berthhq/berth/providers/native/network"
)

func TestParsePublish(t *testing.T) {
	any4, lo := netip.IPv4Unspecified(), netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		in   string
		want network.Port
		err  string
	}{
		{"80", network.Port{Protocol: "tcp", HostIP: any4, ContainerPort: 80}, ""},
		{"8080:80", network.Port{Protocol: "tcp", HostIP: any4, HostPort: 8080, ContainerPort: 80}, ""},
		{"127.0.0.1:8080:80/udp", network.Port{Protocol: "udp", HostIP: lo, HostPort: 8080, ContainerPort: 80}, ""},
		{"127.0.0.1::80", network.Port{Protocol: "tcp", HostIP: lo, ContainerPort: 80}, ""},
		{":80", network.Port{Protocol: "tcp", HostIP: any4, ContainerPort: 80}, ""},
		{"80/sctp", network.Port{}, `protocol "sctp"`},
		{"8000-8010:80", network.Port{}, "port ranges are not supported"},
		{"0", network.Port{}, `container port "0"`},
		{"http", network.Port{}, `container port "http"`},
		{"65536:80", network.Port{}, `host port "65536"`},
		{"::1:80:80", network.Port{}, "want [[HOST_IP:]HOST_PORT:]CONTAINER_PORT"},
		{"localhost:80:80", network.Port{}, `host address "localhost" is not an IPv4 address`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parsePublish(tc.in)
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("error = %v, want %q", err, tc.err)
			case tc.err == "" && err != nil:
				t.Error(err)
			case tc.err == "" && got != tc.want:
				t.Errorf("= %+v, want %+v", got, tc.want)
			}
		})
	}
}
