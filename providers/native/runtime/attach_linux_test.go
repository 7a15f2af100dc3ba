//go:build cgo

package runtime

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
)

// frames reads input frames from r until it closes.
func frames(t *testing.T, r io.Reader) string {
	t.Helper()
	var out bytes.Buffer
	var hdr [5]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return out.String()
		}
		payload := make([]byte, binary.BigEndian.Uint32(hdr[1:]))
		if _, err := io.ReadFull(r, payload); err != nil {
			t.Fatal(err)
		}
		if hdr[0] != frameInput {
			t.Fatalf("frame type %q", hdr[0])
		}
		out.Write(payload)
	}
}

func TestSendInputDetachKeys(t *testing.T) {
	for _, tc := range []struct {
		name, in, sent string
		detached       bool
	}{
		{"plain input", "ls\n", "ls\n", false},
		{"detach", "ls\n\x10\x11rest", "ls\n", true},
		{"ctrl-p alone is sent", "a\x10b", "a\x10b", false},
		{"ctrl-p twice then q", "\x10\x10\x11after", "\x10", true},
		{"ctrl-p at the end is held", "a\x10", "a", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, server := net.Pipe()
			got := make(chan string, 1)
			go func() { got <- frames(t, server) }()
			detached := sendInput(client, strings.NewReader(tc.in), DefaultDetachKeys)
			client.Close()
			if sent := <-got; sent != tc.sent || detached != tc.detached {
				t.Errorf("sent %q detached %v, want %q %v", sent, detached, tc.sent, tc.detached)
			}
		})
	}
}
