package network

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"regexp"
	"strconv"
)

// Interface names are at most 15 bytes (IFNAMSIZ - 1).
const (
	bridgePrefix = "berth" // + 10 hex digits of the network ID
	vethPrefix   = "vb"    // + 12 hex digits of the container ID + index
	maxIfName    = 15
	// maxAttachments keeps the attachment index one base-36 digit.
	maxAttachments = 36
)

// nameChars is the syntax of network names, container IDs and DNS names
// here: a letter or digit, then letters, digits, '_', '.' or '-'. The
// length bounds are checked apart: a bounded repetition like {0,252}
// compiles into a large program that every start of the binary (CLI,
// supervisor, container init) would pay for.
var nameChars = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func validChars(s string, maxLen int) bool { return len(s) <= maxLen && nameChars.MatchString(s) }

// maxLenName is nameChars with a length bound.
type maxLenName int

func (m maxLenName) MatchString(s string) bool { return validChars(s, int(m)) }

var (
	validContainerID = maxLenName(64)
	dnsName          = maxLenName(253)
)

// ValidName reports whether name can name a network (it is a file name
// under the runtime root too).
func ValidName(name string) bool { return validChars(name, 64) }

// newID returns a random 64-hex-digit ID.
func newID() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// bridgeName is the bridge of the network with this ID.
func bridgeName(id string) string { return bridgePrefix + id[:10] }

// vethName is the host end of a container's veth for attachment index i.
// Unique per container, so that a container being torn down (namespace
// teardown is asynchronous in the kernel) never holds a name a new one
// needs.
func vethName(ctrID string, i int) string {
	return vethPrefix + idPart(ctrID, 12) + strconv.FormatInt(int64(i), 36)
}

// vethNamePrefix matches every host veth of a container.
func vethNamePrefix(ctrID string) string { return vethPrefix + idPart(ctrID, 12) }

// idPart is the first n characters of id, padded with '0' when shorter.
func idPart(id string, n int) string {
	for len(id) < n {
		id += "0"
	}
	return id[:n]
}

// ifName is the container-side name of attachment i.
func ifName(i int) string { return "eth" + strconv.Itoa(i) }

// newMAC returns a random locally administered unicast MAC address.
func newMAC() net.HardwareAddr {
	var b [6]byte
	_, _ = rand.Read(b[:])
	b[0] = (b[0] | 0x02) &^ 0x01
	return net.HardwareAddr(b[:])
}

// checkEndpointConfig checks what Attach cannot work with.
func checkEndpointConfig(c EndpointConfig) error {
	if !validContainerID.MatchString(c.ContainerID) {
		return fmt.Errorf("%w: container ID %q", ErrInvalid, c.ContainerID)
	}
	if len(c.Attachments) > maxAttachments {
		return fmt.Errorf("%w: %d networks; at most %d", ErrInvalid, len(c.Attachments), maxAttachments)
	}
	seen := map[string]bool{}
	for _, a := range c.Attachments {
		if seen[a.Network] {
			return fmt.Errorf("%w: network %q joined twice", ErrInvalid, a.Network)
		}
		seen[a.Network] = true
		for _, n := range a.Aliases {
			if !dnsName.MatchString(n) {
				return fmt.Errorf("%w: alias %q is not a host name", ErrInvalid, n)
			}
		}
	}
	for _, p := range c.Ports {
		if p.Protocol != "tcp" && p.Protocol != "udp" {
			return fmt.Errorf("%w: protocol %q (want tcp or udp)", ErrInvalid, p.Protocol)
		}
		if p.ContainerPort == 0 || !p.HostIP.Is4() {
			return fmt.Errorf("%w: port %s", ErrInvalid, p)
		}
	}
	return nil
}

// String renders a port as Docker does: 127.0.0.1:8080->80/tcp.
func (p Port) String() string {
	return fmt.Sprintf("%s:%d->%d/%s", p.HostIP, p.HostPort, p.ContainerPort, p.Protocol)
}
