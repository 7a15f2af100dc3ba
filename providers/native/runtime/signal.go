//go:build unix

package runtime

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Linux's real-time signal range as the C library presents it.
const (
	sigRTMin = 34
	sigRTMax = 64
)

// ParseSignal parses "SIGTERM", "TERM", "term", "15", and real-time
// signals as "SIGRTMIN+3" or "RTMAX-1" (systemd images stop with
// SIGRTMIN+3).
func ParseSignal(s string) (syscall.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > sigRTMax {
			return 0, fmt.Errorf("invalid signal number %d", n)
		}
		return syscall.Signal(n), nil
	}
	name := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if n, ok := realtimeSignal(name); ok {
		return syscall.Signal(n), nil
	}
	if sig := unix.SignalNum("SIG" + name); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

func realtimeSignal(name string) (int, bool) {
	for base, v := range map[string]int{"RTMIN": sigRTMin, "RTMAX": sigRTMax} {
		rest, ok := strings.CutPrefix(name, base)
		if !ok {
			continue
		}
		off := 0
		if rest != "" {
			n, err := strconv.Atoi(rest)
			if err != nil {
				return 0, false
			}
			off = n
		}
		if n := v + off; n >= sigRTMin && n <= sigRTMax {
			return n, true
		}
	}
	return 0, false
}
