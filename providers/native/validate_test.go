package native

import (
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/zclconf/go-cty/cty"
)

func validate(t *testing.T, typ string, config cty.Value) []string {
	t.Helper()
	var p providers.Provider = New()
	return summaries(p.ValidateResource(ctx, providers.ValidateResourceRequest{TypeName: typ, Config: config}).Diagnostics)
}

type m = map[string]cty.Value

func TestValidateContainer(t *testing.T) {
	unknownStr := cty.UnknownVal(cty.String)
	tests := []struct {
		name  string
		attrs m
		want  []string
	}{
		{"minimal", m{"image": str("i")}, nil},
		{"ports ok", m{"port": objs(m{"container": num(80), "host": num(8080), "host_ip": str("127.0.0.1"), "protocol": str("tcp")})}, nil},
		{"container port 0", m{"port": objs(m{"container": num(0)})}, []string{"port[0].container: port out of range"}},
		{"host port too big", m{"port": objs(m{"container": num(80), "host": num(70000)})}, []string{"port[0].host: port out of range"}},
		{"fractional port", m{"port": objs(m{"container": cty.NumberFloatVal(80.5)})}, []string{"port[0].container: port out of range"}},
		{"bad host_ip", m{"port": objs(m{"container": num(80), "host_ip": str("localhost")})}, []string{"port[0].host_ip: invalid host_ip"}},
		{"duplicate host port", m{"port": objs(
			m{"container": num(80), "host": num(8080), "host_ip": str("0.0.0.0"), "protocol": str("tcp")},
			m{"container": num(81), "host": num(8080), "host_ip": str("0.0.0.0"), "protocol": str("tcp")},
		)}, []string{"port[1]: host port published twice"}},
		{"same port tcp and udp", m{"port": objs(
			m{"container": num(53), "host": num(53), "host_ip": str("0.0.0.0"), "protocol": str("tcp")},
			m{"container": num(53), "host": num(53), "host_ip": str("0.0.0.0"), "protocol": str("udp")},
		)}, nil},
		{"unknown port", m{"port": objs(m{"container": cty.UnknownVal(cty.Number)})}, nil},
		{"bind ok", m{"mount": objs(m{"type": str("bind"), "source": str("/srv/data"), "target": str("/data")})}, nil},
		{"bind relative", m{"mount": objs(m{"type": str("bind"), "source": str("data"), "target": str("/data")})}, []string{"mount[0].source: bind mount source must be an absolute path"}},
		{"bind no source", m{"mount": objs(m{"type": str("bind"), "target": str("/data")})}, []string{"mount[0].source: a bind mount needs a source"}},
		{"bind unknown source", m{"mount": objs(m{"type": str("bind"), "source": unknownStr, "target": str("/data")})}, nil},
		{"volume no source", m{"mount": objs(m{"type": str("volume"), "target": str("/data")})}, []string{"mount[0].source: a volume mount needs a source"}},
		{"volume path source", m{"mount": objs(m{"type": str("volume"), "source": str("/srv"), "target": str("/data")})}, []string{"mount[0].source: volume mount source must be a volume name"}},
		{"tmpfs ok", m{"mount": objs(m{"type": str("tmpfs"), "target": str("/tmp"), "size": str("64MiB")})}, nil},
		{"tmpfs source", m{"mount": objs(m{"type": str("tmpfs"), "source": str("x"), "target": str("/tmp")})}, []string{"mount[0].source: a tmpfs mount has no source"}},
		{"size on volume", m{"mount": objs(m{"type": str("volume"), "source": str("v"), "target": str("/d"), "size": str("1g")})}, []string{"mount[0].size: size is only for tmpfs mounts"}},
		{"relative target", m{"mount": objs(m{"type": str("tmpfs"), "target": str("tmp")})}, []string{"mount[0].target: invalid mount target"}},
		{"root target", m{"mount": objs(m{"type": str("tmpfs"), "target": str("/")})}, []string{"mount[0].target: invalid mount target"}},
		{"duplicate target", m{"mount": objs(m{"type": str("tmpfs"), "target": str("/t")}, m{"type": str("tmpfs"), "target": str("/t/")})}, []string{"mount[1].target: two mounts on one target"}},
		{"network twice", m{"network": objs(m{"name": str("a")}, m{"name": str("a")})}, []string{"network[1].name: network joined twice"}},
		{"cpus zero", m{"resources": cty.ObjectVal(m{"cpus": num(0)})}, []string{"resources.cpus: cpus must be more than 0"}},
		{"pids fraction", m{"resources": cty.ObjectVal(m{"pids": cty.NumberFloatVal(1.5)})}, []string{"resources.pids: pids must be a whole number of at least 1"}},
		{"node", m{"node": str("edge1")}, []string{`node: node "edge1": remote nodes are not supported yet`}},
		{"node unknown", m{"node": unknownStr}, nil},
		{"image ref", m{"image": str("registry.example:5000/team/app:1.2@sha256:" + strings.Repeat("a", 64))}, nil},
		{"image id", m{"image": str("sha256:0123456789ab")}, nil},
		{"bad image ref", m{"image": str("not a reference at all!!")}, []string{"image: invalid image reference"}},
		{"NUL in env", m{"env": cty.MapVal(m{"A": str("x\x00y")})}, []string{`env["A"]: invalid environment variable`}},
		{"= in env name", m{"env": cty.MapVal(m{"A=B": str("x")})}, []string{`env["A=B"]: invalid environment variable name`}},
		{"empty env name", m{"env": cty.MapVal(m{"": str("x")})}, []string{`env[""]: invalid environment variable name`}},
		{"NUL in command", m{"command": strs("echo", "a\x00")}, []string{"command[1]: invalid command argument"}},
		{"NUL in entrypoint", m{"entrypoint": strs("\x00")}, []string{"entrypoint[0]: invalid entrypoint argument"}},
		{"NUL in label", m{"labels": cty.MapVal(m{"k": str("\x00")})}, []string{`labels["k"]: invalid label`}},
		{"relative working_dir", m{"working_dir": str("app")}, []string{"working_dir: invalid working_dir"}},
		{"NUL in working_dir", m{"working_dir": str("/app\x00")}, []string{"working_dir: invalid working_dir"}},
		{"bad hostname", m{"hostname": str("web_1")}, []string{"hostname: invalid hostname"}},
		{"NUL in hostname", m{"hostname": str("a\x00b")}, []string{"hostname: invalid hostname"}},
		{"user ok", m{"user": str("1000:1000")}, nil},
		{"bad user", m{"user": str("a:b:c")}, []string{"user: invalid user"}},
		{"empty group", m{"user": str("app:")}, []string{"user: invalid user"}},
		{"stop signal ok", m{"stop_signal": str("SIGQUIT")}, nil},
		{"bad stop signal", m{"stop_signal": str("SIGNOPE")}, []string{"stop_signal: invalid stop_signal"}},
		{"memory ok", m{"resources": cty.ObjectVal(m{"memory": str("6MiB")})}, nil},
		{"memory too small", m{"resources": cty.ObjectVal(m{"memory": str("1MiB")})}, []string{"resources.memory: memory limit too small"}},
		{"capabilities ok", m{"capabilities": cty.ObjectVal(m{"add": strs("net_admin"), "drop": strs("ALL")})}, nil},
		{"unknown capability", m{"capabilities": cty.ObjectVal(m{"add": strs("CAP_FLY")})}, []string{"capabilities: invalid capabilities"}},
		{"NUL in health command", m{"health": cty.ObjectVal(m{"command": strs("true\x00")})}, []string{"health.command[0]: invalid health command argument"}},
		{"health ok", m{"health": cty.ObjectVal(m{"command": strs("true"), "retries": num(3), "interval": str("5s")})}, nil},
		{"health empty command", m{"health": cty.ObjectVal(m{"command": cty.ListValEmpty(cty.String)})}, []string{"health.command: health command is empty"}},
		{"health zero interval", m{"health": cty.ObjectVal(m{"command": strs("true"), "interval": str("0s")})}, []string{"health.interval: interval must be more than 0s"}},
		{"health zero retries", m{"health": cty.ObjectVal(m{"command": strs("true"), "retries": num(0)})}, []string{"health.retries: retries must be a whole number of at least 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := tc.attrs["image"]; !ok {
				tc.attrs["image"] = str("i")
			}
			got := validate(t, "container", cfg(t, "container", tc.attrs))
			if !slices.Equal(got, tc.want) {
				t.Errorf("diagnostics = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestValidateOthers(t *testing.T) {
	tmpl := cty.ObjectVal(m{"image": str("i")})
	update := func(surge, unavail string) cty.Value {
		return cty.ObjectVal(m{"max_surge": str(surge), "max_unavailable": str(unavail)})
	}
	tests := []struct {
		name, typ string
		attrs     m
		want      []string
	}{
		{"deployment ok", "deployment", m{"template": tmpl, "replicas": num(0), "update": update("2", "25%")}, nil},
		{"negative replicas", "deployment", m{"template": tmpl, "replicas": num(-1)}, []string{"replicas: replicas must be a whole number, 0 or more"}},
		{"fractional replicas", "deployment", m{"template": tmpl, "replicas": cty.NumberFloatVal(1.5)}, []string{"replicas: replicas must be a whole number, 0 or more"}},
		{"template checked", "deployment", m{"template": cty.ObjectVal(m{"image": str("i"), "port": objs(m{"container": num(0)})})},
			[]string{"template.port[0].container: port out of range"}},
		{"placement on nodes", "deployment", m{"template": tmpl, "placement": cty.ObjectVal(m{"nodes": strs("a", "b")})},
			[]string{`placement.nodes: nodes "a", "b": remote nodes are not supported yet`}},
		{"bad surge", "deployment", m{"template": tmpl, "update": update("lots", "1")}, []string{"update.max_surge: invalid max_surge"}},
		{"both zero", "deployment", m{"template": tmpl, "update": update("0", "0%")}, []string{"update: max_surge and max_unavailable are both zero"}},
		{"unavailable over 100", "deployment", m{"template": tmpl, "update": update("1", "150%")}, []string{"update.max_unavailable: max_unavailable over 100%"}},
		{"image ref", "image", m{"ref": str("alpine:3")}, nil},
		{"image build", "image", m{"build": cty.ObjectVal(m{"context": str(".")}), "tag": str("r/x:1"), "push": cty.True}, []string{"build: image builds (the build block) are not supported by this berth yet"}},
		{"image neither", "image", m{}, []string{"an image needs ref (to pull) or a build block"}},
		{"image both", "image", m{"ref": str("a"), "build": cty.ObjectVal(m{"context": str(".")})}, []string{"ref: an image takes ref or a build block, not both", "build: image builds (the build block) are not supported by this berth yet"}},
		{"image unknown ref", "image", m{"ref": cty.UnknownVal(cty.String)}, nil},
		{"push without tag", "image", m{"build": cty.ObjectVal(m{"context": str(".")}), "push": cty.True}, []string{"build: image builds (the build block) are not supported by this berth yet", "push: push needs tag"}},
		{"network ok", "network", m{"subnet": str("10.89.0.0/24")}, nil},
		{"network host bits", "network", m{"subnet": str("10.89.0.5/24")}, []string{"subnet: invalid subnet"}},
		{"network too small", "network", m{"subnet": str("10.89.0.0/31")}, []string{"subnet: invalid subnet"}},
		{"network bad name", "network", m{"name": str("no spaces")}, []string{"name: invalid network name"}},
		{"volume", "volume", m{}, nil},
		{"volume bad name", "volume", m{"name": str("../up")}, []string{"name: invalid volume name"}},
		{"image bad ref", "image", m{"ref": str("not a reference at all!!")}, []string{"ref: invalid image reference"}},
		{"image local source", "image", m{"ref": str("oci-layout:./img")}, nil},
		{"data", "berth_data", m{"input": str("x")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := validate(t, tc.typ, cfg(t, tc.typ, tc.attrs))
			if !slices.Equal(got, tc.want) {
				t.Errorf("diagnostics = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestValidateUnknownConfig(t *testing.T) {
	if got := validate(t, "container", cty.UnknownVal(implied("container"))); got != nil {
		t.Errorf("unknown config: %q", got)
	}
	if got := validate(t, "container", cty.NullVal(implied("container"))); got != nil {
		t.Errorf("null config: %q", got)
	}
}
