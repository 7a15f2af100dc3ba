package runtime

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// Files bind-mounted over the container's /etc/hostname, /etc/hosts and
// /etc/resolv.conf, kept in <dir>/etc. They are rewritten in place (same
// inode), so a running container sees every change.
const (
	hostnameFile = "hostname"
	hostsFile    = "hosts"
	resolvFile   = "resolv.conf"

	hostResolvPath    = "/etc/resolv.conf"
	systemdResolvPath = "/run/systemd/resolve/resolv.conf"
	hostHostsPath     = "/etc/hosts"
)

// HostEntry is one /etc/hosts line.
type HostEntry struct {
	IP    string
	Names []string
}

// ResolvConf is the content of a resolv.conf.
type ResolvConf struct {
	Nameservers []string
	Search      []string
	Options     []string
}

// hostsContent is the default /etc/hosts: loopback names, the
// container's hostname on 127.0.1.1 when no entry names it, then extra.
func hostsContent(hostname string, extra []HostEntry) []byte {
	var b bytes.Buffer
	b.WriteString("127.0.0.1\tlocalhost\n")
	b.WriteString("::1\tlocalhost ip6-localhost ip6-loopback\n")
	b.WriteString("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n")
	named := false
	for _, e := range extra {
		for _, n := range e.Names {
			named = named || n == hostname
		}
	}
	if !named && hostname != "" {
		fmt.Fprintf(&b, "127.0.1.1\t%s\n", hostname)
	}
	for _, e := range extra {
		fmt.Fprintf(&b, "%s\t%s\n", e.IP, strings.Join(e.Names, " "))
	}
	return b.Bytes()
}

// Bytes renders rc as resolv.conf text.
func (rc ResolvConf) Bytes() []byte {
	var b bytes.Buffer
	for _, ns := range rc.Nameservers {
		fmt.Fprintf(&b, "nameserver %s\n", ns)
	}
	if len(rc.Search) > 0 {
		fmt.Fprintf(&b, "search %s\n", strings.Join(rc.Search, " "))
	}
	if len(rc.Options) > 0 {
		fmt.Fprintf(&b, "options %s\n", strings.Join(rc.Options, " "))
	}
	return b.Bytes()
}

// parseResolvConf reads nameserver, search/domain and options lines.
func parseResolvConf(data []byte) ResolvConf {
	var rc ResolvConf
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") || strings.HasPrefix(f[0], ";") {
			continue
		}
		switch f[0] {
		case "nameserver":
			rc.Nameservers = append(rc.Nameservers, f[1])
		case "search", "domain":
			rc.Search = f[1:]
		case "options":
			rc.Options = append(rc.Options, f[1:]...)
		}
	}
	return rc
}

// withoutLoopback drops nameservers on loopback addresses, which are
// unreachable from a container's own network namespace.
func (rc ResolvConf) withoutLoopback() (ResolvConf, bool) {
	out := rc
	out.Nameservers = nil
	dropped := false
	for _, ns := range rc.Nameservers {
		if a, err := netip.ParseAddr(ns); err == nil && a.IsLoopback() {
			dropped = true
			continue
		}
		out.Nameservers = append(out.Nameservers, ns)
	}
	return out, dropped
}

// HostResolvConf is the resolv.conf a container on its own network gets:
// the host's, unless that points at a loopback resolver (systemd-resolved's
// 127.0.0.53, a local dnsmasq): then the upstream servers from
// /run/systemd/resolve/resolv.conf if present, else none.
func HostResolvConf() ResolvConf {
	data, _ := os.ReadFile(hostResolvPath)
	rc, dropped := parseResolvConf(data).withoutLoopback()
	if !dropped {
		return rc
	}
	if up, err := os.ReadFile(systemdResolvPath); err == nil {
		alt, _ := parseResolvConf(up).withoutLoopback()
		rc.Nameservers = alt.Nameservers
		if len(alt.Search) > 0 {
			rc.Search = alt.Search
		}
	}
	return rc
}

// writeEtcFiles writes the initial hostname, hosts and resolv.conf.
func writeEtcFiles(dir string, s Spec) error {
	etc := filepath.Join(dir, etcDir)
	if err := os.MkdirAll(etc, 0o755); err != nil {
		return err
	}
	hosts := hostsContent(s.Hostname, s.Hosts)
	resolv := HostResolvConf().Bytes()
	if s.ResolvConf != nil {
		resolv = s.ResolvConf.Bytes()
	}
	if s.Network.Mode == NetworkHost {
		if data, err := os.ReadFile(hostHostsPath); err == nil {
			hosts = data
		}
		if data, err := os.ReadFile(hostResolvPath); err == nil {
			resolv = data
		}
	}
	files := map[string][]byte{hostnameFile: []byte(s.Hostname + "\n"), hostsFile: hosts, resolvFile: resolv}
	for name, data := range files {
		if err := rewriteInPlace(filepath.Join(etc, name), data); err != nil {
			return err
		}
	}
	return nil
}

// rewriteInPlace truncates and rewrites a file, keeping its inode so that
// bind mounts of it see the new content.
func rewriteInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
