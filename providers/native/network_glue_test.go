package native

import (
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/providers/native/network"
	"github.com/zclconf/go-cty/cty"
)

func TestValidateNetworkMode(t *testing.T) {
	netBlock := objs(map[string]cty.Value{"name": str("backend")})
	portBlock := objs(map[string]cty.Value{"container": num(80)})
	tests := []struct {
		name  string
		attrs map[string]cty.Value
		want  []string
	}{
		{"bridge with blocks", map[string]cty.Value{"network_mode": str("bridge"), "network": netBlock, "port": portBlock}, nil},
		{"unset with blocks", map[string]cty.Value{"network": netBlock}, nil},
		{"none with a network", map[string]cty.Value{"network_mode": str("none"), "network": netBlock},
			[]string{`network: network blocks need network_mode "bridge"`}},
		{"host with a port", map[string]cty.Value{"network_mode": str("host"), "port": portBlock},
			[]string{`port: port blocks need network_mode "bridge"`}},
		{"host alone", map[string]cty.Value{"network_mode": str("host")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			attrs := map[string]cty.Value{"name": str("web"), "image": str("sha256:1")}
			for k, v := range tc.attrs {
				attrs[k] = v
			}
			if got := validate(t, "container", cfg(t, "container", attrs)); !slices.Equal(got, tc.want) {
				t.Errorf("diagnostics = %q, want %q", got, tc.want)
			}
		})
	}
	got := validate(t, "network", cfg(t, "network", map[string]cty.Value{"name": str(network.DefaultNetwork)}))
	if len(got) != 1 || !strings.Contains(got[0], "reserved") {
		t.Errorf("network named %q: %q", network.DefaultNetwork, got)
	}
}

func TestEndpointConfig(t *testing.T) {
	v := cfg(t, "container", map[string]cty.Value{
		"name": str("db"), "image": str("sha256:1"),
		"network": objs(
			map[string]cty.Value{"name": str("back"), "aliases": strs("database"), "ipv4": str("10.89.0.10")},
			map[string]cty.Value{"name": str("front")},
		),
		"port": objs(map[string]cty.Value{"container": num(5432), "host": num(15432), "host_ip": str("127.0.0.1"), "protocol": str("tcp")}),
	})
	ec, err := endpointConfig(v, "abc")
	if err != nil {
		t.Fatal(err)
	}
	if len(ec.Attachments) != 2 || ec.Attachments[0].Network != "back" || ec.Attachments[0].IPv4.String() != "10.89.0.10" ||
		!slices.Equal(ec.Attachments[0].Aliases, []string{"database"}) || ec.Attachments[1].Network != "front" {
		t.Errorf("attachments = %+v", ec.Attachments)
	}
	if len(ec.Ports) != 1 || ec.Ports[0].String() != "127.0.0.1:15432->5432/tcp" {
		t.Errorf("ports = %v", ec.Ports)
	}
	bare, err := endpointConfig(cfg(t, "container", map[string]cty.Value{"name": str("x"), "image": str("sha256:1")}), "abc")
	if err != nil || len(bare.Attachments) != 1 || bare.Attachments[0].Network != network.DefaultNetwork {
		t.Errorf("no network blocks: %+v, %v", bare.Attachments, err)
	}
}

func TestPlanRefusesTakenPort(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := int64(l.Addr().(*net.TCPAddr).Port)
	config := containerConfig(t, map[string]cty.Value{
		"port": objs(map[string]cty.Value{"container": num(80), "host": num(port), "host_ip": str("127.0.0.1")}),
	})
	none := cty.NullVal(implied("container"))
	planned := plan(t, New(), "container", none, config).Planned
	got := strings.Join(summaries(checkOne(none, planned)), "\n")
	if !strings.Contains(got, "port[0].host: host port") || !strings.Contains(got, "is not free") {
		t.Errorf("plan with a taken port: %q", got)
	}
	// A free port plans.
	l.Close()
	if diags := checkOne(none, planned); diags.HasErrors() {
		t.Errorf("plan with a free port: %v", summaries(diags))
	}
}
