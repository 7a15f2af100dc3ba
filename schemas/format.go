package schemas

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The string formats an Attribute's Format may name.
const (
	FormatDuration = "duration" // Go duration, not negative: "5s", "1m30s"
	FormatSize     = "size"     // bytes with an optional unit: "256MiB", "1g"
	FormatCIDR     = "cidr"     // IPv4 prefix: "10.89.0.0/24"
	FormatIPv4     = "ipv4"     // IPv4 address: "10.89.0.10"
)

// CheckFormat reports whether s is valid in the named format; the empty
// format accepts anything.
func CheckFormat(format, s string) error {
	switch format {
	case "":
		return nil
	case FormatDuration:
		_, err := ParseDuration(s)
		return err
	case FormatSize:
		_, err := ParseSize(s)
		return err
	case FormatCIDR:
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return fmt.Errorf("%q is not an IPv4 CIDR prefix such as 10.89.0.0/24", s)
		}
		return nil
	case FormatIPv4:
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return fmt.Errorf("%q is not an IPv4 address such as 10.89.0.10", s)
		}
		return nil
	}
	return fmt.Errorf("%w %q", errUnknownFormat, format)
}

var errUnknownFormat = errors.New("unknown format")

// ParseDuration parses a Go duration ("5s", "1m30s", "0s") that is not
// negative.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 5s or 1m30s", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q is negative", s)
	}
	return d, nil
}

// sizeUnits maps a lower-cased unit to its multiplier. As in Docker, the
// one-letter units are binary (256m is 256 MiB); KB/MB/GB/TB are decimal
// and KiB/MiB/GiB/TiB binary, as their names say.
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
}

var errSize = errors.New("not a size such as 256MiB, 1g or 1048576")

// ParseSize parses a byte size: a non-negative number with an optional,
// case-insensitive unit (b, k, m, g, t; KiB, MiB, GiB, TiB; KB, MB, GB,
// TB). The result is rounded down to whole bytes.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := sizeUnits[unit]
	if !ok || num == "" {
		return 0, fmt.Errorf("%q is %w", s, errSize)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is %w", s, errSize)
	}
	bytes := f * mult
	if bytes >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return int64(bytes), nil
}
