package network

import (
	"errors"
	"net/netip"
	"testing"
)

func prefixList(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestAllocateSubnet(t *testing.T) {
	small := Pool{First: netip.MustParseAddr("10.89.0.0"), Last: netip.MustParseAddr("10.89.2.0"), Bits: 24}
	tests := []struct {
		name  string
		taken []netip.Prefix
		want  string
		err   error
	}{
		{"empty host", nil, "10.89.0.0/24", nil},
		{"first taken", prefixList("10.89.0.0/24"), "10.89.1.0/24", nil},
		{"a wider route covers two", prefixList("10.89.0.0/23"), "10.89.2.0/24", nil},
		{"a narrower route inside one", prefixList("10.89.0.128/25", "10.89.1.7/32"), "10.89.2.0/24", nil},
		{"unrelated routes", prefixList("192.168.1.0/24", "10.88.0.0/16"), "10.89.0.0/24", nil},
		{"exhausted", prefixList("10.89.0.0/16"), "", ErrExhausted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := small.allocateSubnet(tc.taken)
			if !errors.Is(err, tc.err) || (err == nil && got.String() != tc.want) {
				t.Errorf("allocateSubnet = %v, %v; want %s, %v", got, err, tc.want, tc.err)
			}
		})
	}
	// The default pool ends where it says, without wrapping around.
	last := DefaultPool
	last.First = netip.MustParseAddr("10.99.255.0")
	if got, err := last.allocateSubnet(nil); err != nil || got.String() != "10.99.255.0/24" {
		t.Errorf("last subnet = %v, %v", got, err)
	}
	if _, err := last.allocateSubnet(prefixList("10.99.255.0/24")); !errors.Is(err, ErrExhausted) {
		t.Errorf("past the end: %v", err)
	}
}

func TestCheckSubnet(t *testing.T) {
	for s, ok := range map[string]bool{"10.1.0.0/16": true, "10.1.0.0/30": true, "10.1.0.0/31": false, "10.1.0.1/24": false} {
		if err := CheckSubnet(netip.MustParsePrefix(s)); (err == nil) != ok {
			t.Errorf("CheckSubnet(%s) = %v", s, err)
		}
	}
}

func TestAllocateAddr(t *testing.T) {
	sub := netip.MustParsePrefix("10.89.0.0/29") // .1 gateway, .2-.6 hosts, .7 broadcast
	a := netip.MustParseAddr
	used := map[netip.Addr]string{a("10.89.0.2"): "web", a("10.89.0.4"): "db"}
	tests := []struct {
		name       string
		want, last netip.Addr
		used       map[netip.Addr]string
		got        string
		err        error
	}{
		{"first free", netip.Addr{}, netip.Addr{}, used, "10.89.0.3", nil},
		{"after the last handed out", netip.Addr{}, a("10.89.0.4"), used, "10.89.0.5", nil},
		{"wraps around", netip.Addr{}, a("10.89.0.6"), used, "10.89.0.3", nil},
		{"static", a("10.89.0.6"), netip.Addr{}, used, "10.89.0.6", nil},
		{"static taken", a("10.89.0.4"), netip.Addr{}, used, "", ErrAddrInUse},
		{"static gateway", a("10.89.0.1"), netip.Addr{}, used, "", ErrAddrInUse},
		{"static broadcast", a("10.89.0.7"), netip.Addr{}, used, "", ErrInvalid},
		{"static outside", a("10.90.0.2"), netip.Addr{}, used, "", ErrInvalid},
		{"full", netip.Addr{}, netip.Addr{}, map[netip.Addr]string{a("10.89.0.2"): "1", a("10.89.0.3"): "2",
			a("10.89.0.4"): "3", a("10.89.0.5"): "4", a("10.89.0.6"): "5"}, "", ErrAddrInUse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := allocateAddr(sub, tc.want, tc.last, tc.used)
			if !errors.Is(err, tc.err) || (err == nil && got.String() != tc.got) {
				t.Errorf("allocateAddr = %v, %v; want %s, %v", got, err, tc.got, tc.err)
			}
		})
	}
}

func TestNames(t *testing.T) {
	id := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := map[string]string{
		bridgeName(id):    "berth0123456789",
		vethName(id, 0):   "vb0123456789ab0",
		vethName(id, 35):  "vb0123456789abz",
		vethName("ab", 1): "vbab00000000001",
	}
	for got, want := range tests {
		if got != want || len(got) > maxIfName {
			t.Errorf("name %q, want %q (at most %d bytes)", got, want, maxIfName)
		}
	}
	for name, ok := range map[string]bool{"backend": true, "my_net.1-a": true, "": false, "-x": false, "a/b": false} {
		if ValidName(name) != ok {
			t.Errorf("ValidName(%q) = %v", name, !ok)
		}
	}
	mac := newMAC()
	if mac[0]&0x01 != 0 || mac[0]&0x02 == 0 {
		t.Errorf("MAC %s is not locally administered unicast", mac)
	}
}
