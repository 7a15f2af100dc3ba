package acceptance

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// outsideNet is a network namespace standing in for the world beyond the
// host, joined to the host by a veth on a /30 the test chose from
// 198.18.0.0/15 (RFC 2544's range for tests).
type outsideNet struct {
	name     string
	hostIP   string // the host's end
	remoteIP string // the outside end
}

var outsideSeq struct {
	sync.Mutex
	n int
}

// newOutside makes the namespace and veth; both go with the test.
func newOutside(t *testing.T) *outsideNet {
	t.Helper()
	outsideSeq.Lock()
	outsideSeq.n++
	n := outsideSeq.n
	outsideSeq.Unlock()
	k := (os.Getpid()*7 + n) % 250
	for tries := 0; prefixInUse(t, fmt.Sprintf("198.18.%d.0/30", k)); tries++ {
		if tries == 250 {
			t.Fatal("no /30 of 198.18.0.0/16 is free for an outside namespace")
		}
		k = (k + 1) % 250
	}
	o := &outsideNet{name: fmt.Sprintf("berth-test-out-%d-%d", os.Getpid(), n),
		hostIP: fmt.Sprintf("198.18.%d.1", k), remoteIP: fmt.Sprintf("198.18.%d.2", k)}
	veth := fmt.Sprintf("bto%d-%d", os.Getpid()%100000, n)
	t.Cleanup(func() {
		_ = exec.Command("ip", "link", "del", veth).Run()
		_ = exec.Command("ip", "netns", "del", o.name).Run()
	})
	for _, args := range [][]string{
		{"netns", "add", o.name},
		{"link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", o.name},
		{"addr", "add", o.hostIP + "/30", "dev", veth},
		{"link", "set", veth, "up"},
		{"-n", o.name, "addr", "add", o.remoteIP + "/30", "dev", "eth0"},
		{"-n", o.name, "link", "set", "eth0", "up"},
		{"-n", o.name, "link", "set", "lo", "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	return o
}

// prefixInUse reports whether a route of the host (in any table, local
// addresses included) overlaps the prefix p.
func prefixInUse(t *testing.T, p string) bool {
	t.Helper()
	out, err := exec.Command("ip", "-4", "-o", "route", "show", "table", "all").Output()
	if err != nil {
		t.Fatalf("ip route show table all: %v", err)
	}
	want := netip.MustParsePrefix(p)
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		// "10.1.0.0/16 dev ...", or with a type: "local 10.1.0.1 dev ..."
		for _, dst := range f[:min(len(f), 2)] {
			if !strings.Contains(dst, "/") {
				dst += "/32"
			}
			if q, err := netip.ParsePrefix(dst); err == nil && q.Overlaps(want) {
				return true
			}
		}
	}
	return false
}

// listen opens a TCP listener inside the outside namespace and records
// the source address of every connection it gets (for the test's life).
func (o *outsideNet) listen(t *testing.T, port int) func() []string {
	t.Helper()
	var l net.Listener
	errc := make(chan error, 1)
	go func() {
		goruntime.LockOSThread() // left locked: the thread dies with the goroutine
		orig, err := netns.Get()
		if err != nil {
			errc <- err
			return
		}
		ns, err := netns.GetFromName(o.name)
		if err != nil {
			errc <- err
			return
		}
		if err := netns.Set(ns); err != nil {
			errc <- err
			return
		}
		l, err = net.Listen("tcp4", fmt.Sprintf("%s:%d", o.remoteIP, port))
		if serr := netns.Set(orig); serr != nil && err == nil {
			err = serr
		}
		errc <- err
	}()
	if err := <-errc; err != nil {
		t.Fatalf("listen in %s: %v", o.name, err)
	}
	t.Cleanup(func() { l.Close() })
	var mu sync.Mutex
	var from []string
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			from = append(from, c.RemoteAddr().(*net.TCPAddr).IP.String())
			mu.Unlock()
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			fmt.Fprintln(c, "hello from outside")
			// Half-close, then drain what the client sends: closing with
			// its "hi" unread would answer with a reset, which can take
			// the greeting with it.
			_ = c.(*net.TCPConn).CloseWrite()
			_, _ = io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), from...)
	}
}

// tryOutside is a container command connecting once to addr:port with
// busybox nc (2 s timeout), printing REACHED or UNREACHED, then idling.
func tryOutside(ip string, port int) string {
	return fmt.Sprintf(`ip route; if echo hi | nc -w 2 %s %d; then echo REACHED; else echo UNREACHED; fi; exec sleep 1000`, ip, port)
}
