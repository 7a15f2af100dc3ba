package network

// Building blocks of berth's nftables rules: each returns the expressions
// of one match or action. Registers: 1 for matches, 1 and 2 for NAT
// addresses and ports, 2 for a map lookup's result.

import (
	"encoding/binary"
	"net/netip"

	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

const ifNameSize = 16 // IFNAMSIZ

// ifnameBytes is an interface name as the kernel compares it: padded
// with zeros to IFNAMSIZ.
func ifnameBytes(name string) []byte {
	b := make([]byte, ifNameSize)
	copy(b, name)
	return b
}

// matchIfname compares the input (in) or output interface name with name;
// a name ending in '*' matches the prefix before it.
func matchIfname(in bool, name string, op expr.CmpOp) []expr.Any {
	key := expr.MetaKeyOIFNAME
	if in {
		key = expr.MetaKeyIIFNAME
	}
	data := ifnameBytes(name)
	if n := len(name); n > 0 && name[n-1] == '*' {
		data = []byte(name[:n-1])
	}
	return []expr.Any{
		&expr.Meta{Key: key, Register: 1},
		&expr.Cmp{Op: op, Register: 1, Data: data},
	}
}

// matchAddr matches the IPv4 source (src) or destination address against
// a prefix.
func matchAddr(src bool, p netip.Prefix) []expr.Any {
	off := uint32(16)
	if src {
		off = 12
	}
	load := &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: 4}
	if p.Bits() == 32 {
		a := p.Addr().As4()
		return []expr.Any{load, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: a[:]}}
	}
	mask := ^uint32(0) << (32 - p.Bits())
	m := binary.BigEndian.AppendUint32(nil, mask)
	a := p.Masked().Addr().As4()
	return []expr.Any{
		load,
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 4, Mask: m, Xor: make([]byte, 4)},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: a[:]},
	}
}

// matchCtBits checks that some of bits are set in the conntrack key
// (state or status).
func matchCtBits(key expr.CtKey, bits uint32) []expr.Any {
	return []expr.Any{
		&expr.Ct{Register: 1, Key: key},
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 4,
			Mask: binaryutil.NativeEndian.PutUint32(bits), Xor: make([]byte, 4)},
		&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: make([]byte, 4)},
	}
}

// ipsDstNAT is the conntrack status bit of a connection whose destination
// was translated (IPS_DST_NAT).
const ipsDstNAT = 1 << 5

// matchLocalDest matches packets for an address of this host.
func matchLocalDest() []expr.Any {
	return []expr.Any{
		&expr.Fib{Register: 1, FlagDADDR: true, ResultADDRTYPE: true},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.NativeEndian.PutUint32(unix.RTN_LOCAL)},
	}
}

// matchDport matches the transport protocol and destination port.
func matchDport(proto string, port uint16) []expr.Any {
	p := byte(unix.IPPROTO_TCP)
	if proto == "udp" {
		p = unix.IPPROTO_UDP
	}
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{p}},
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.BigEndian.PutUint16(port)},
	}
}

// dnatTo translates the destination to addr:port.
func dnatTo(addr netip.Addr, port uint16) []expr.Any {
	a := addr.As4()
	return []expr.Any{
		&expr.Immediate{Register: 1, Data: a[:]},
		&expr.Immediate{Register: 2, Data: binaryutil.BigEndian.PutUint16(port)},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1, RegProtoMin: 2, Specified: true},
	}
}

func verdict(kind expr.VerdictKind) expr.Any { return &expr.Verdict{Kind: kind} }

func jump(chain string) expr.Any { return &expr.Verdict{Kind: expr.VerdictJump, Chain: chain} }

// join concatenates expression lists.
func join(parts ...[]expr.Any) []expr.Any {
	var out []expr.Any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
