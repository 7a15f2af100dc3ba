package network

import (
	"fmt"
	"net/netip"
)

// DefaultPool is where subnets of networks without one come from: /24s
// from 10.89.0.0 up to 10.99.255.0 (the default network takes
// 10.88.0.0/16).
var DefaultPool = Pool{First: netip.MustParseAddr("10.89.0.0"), Last: netip.MustParseAddr("10.99.255.0"), Bits: 24}

// Pool is a range of equal-sized subnets, First to Last (network
// addresses, both included), each Bits long.
type Pool struct {
	First, Last netip.Addr
	Bits        int
}

// allocateSubnet returns the first subnet of the pool that overlaps
// nothing in taken.
func (p Pool) allocateSubnet(taken []netip.Prefix) (netip.Prefix, error) {
	step := uint32(1) << (32 - p.Bits)
	last := addrU32(p.Last)
	for n := addrU32(p.First); n <= last && n >= addrU32(p.First); n += step {
		cand := netip.PrefixFrom(u32Addr(n), p.Bits)
		if !overlapsAny(cand, taken) {
			return cand, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("%w: %s to %s in /%d", ErrExhausted, p.First, p.Last, p.Bits)
}

// overlapsAny reports whether p overlaps one of the prefixes.
func overlapsAny(p netip.Prefix, prefixes []netip.Prefix) bool {
	for _, q := range prefixes {
		if q.IsValid() && q.Addr().Is4() && p.Overlaps(q) {
			return true
		}
	}
	return false
}

// gatewayOf is a subnet's gateway: its first host address.
func gatewayOf(p netip.Prefix) netip.Addr { return p.Masked().Addr().Next() }

// broadcastOf is a subnet's last address.
func broadcastOf(p netip.Prefix) netip.Addr {
	return u32Addr(addrU32(p.Masked().Addr()) | (uint32(1)<<(32-p.Bits()) - 1))
}

// CheckSubnet checks that a subnet can be a network's: an IPv4 prefix
// without host bits, /30 or larger. Providers run it at validate too.
func CheckSubnet(p netip.Prefix) error {
	switch {
	case !p.IsValid() || !p.Addr().Is4():
		return fmt.Errorf("%w: subnet %s is not an IPv4 prefix", ErrInvalid, p)
	case p.Bits() > 30:
		return fmt.Errorf("%w: subnet %s leaves no room for a gateway and containers; use /30 or larger", ErrInvalid, p)
	case p.Masked() != p:
		return fmt.Errorf("%w: subnet %s has host bits set (did you mean %s?)", ErrInvalid, p, p.Masked())
	}
	return nil
}

// allocateAddr picks a container address in subnet: want when valid
// (an error if it is taken or not a host address of the subnet), else the
// next free one after last, wrapping around, so that a released address
// is not handed out again at once.
func allocateAddr(subnet netip.Prefix, want, last netip.Addr, used map[netip.Addr]string) (netip.Addr, error) {
	gw, bc := gatewayOf(subnet), broadcastOf(subnet)
	if want.IsValid() {
		switch {
		case !subnet.Contains(want) || want == subnet.Masked().Addr() || want == bc:
			return netip.Addr{}, fmt.Errorf("%w: %s is not a host address of %s", ErrInvalid, want, subnet)
		case want == gw:
			return netip.Addr{}, fmt.Errorf("%w: %s is the gateway of %s", ErrAddrInUse, want, subnet)
		case used[want] != "":
			return netip.Addr{}, fmt.Errorf("%w: %s is taken by %s", ErrAddrInUse, want, used[want])
		}
		return want, nil
	}
	first := gw.Next()
	start := first
	if last.IsValid() && subnet.Contains(last) && last.Next() != bc && addrU32(last) >= addrU32(first) {
		start = last.Next()
	}
	for a := start; ; {
		if used[a] == "" {
			return a, nil
		}
		a = a.Next()
		if a == bc {
			a = first
		}
		if a == start {
			return netip.Addr{}, fmt.Errorf("%w: every address of %s is taken", ErrAddrInUse, subnet)
		}
	}
}

func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func u32Addr(n uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}
