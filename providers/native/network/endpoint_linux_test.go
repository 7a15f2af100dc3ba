package network

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestParallelAttach(t *testing.T) {
	h := newTestHost(t)
	if _, err := h.m.Create(ctx, Config{Name: "many", Subnet: netip.MustParsePrefix("10.77.0.0/24")}); err != nil {
		t.Fatal(err)
	}
	const n = 24
	eps := make([]*Endpoint, n)
	errs := make([]error, n)
	var mu sync.Mutex
	written := map[string]int{} // container -> entries in its last hosts write
	write := func(id string, entries []HostEntry) error {
		mu.Lock()
		defer mu.Unlock()
		written[id] = len(entries)
		return nil
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eps[i], errs[i] = h.m.Attach(ctx, EndpointConfig{ContainerID: newID(), Name: fmt.Sprintf("c%d", i),
				Attachments: []Attachment{{Network: "many"}}})
			if errs[i] == nil {
				errs[i] = h.m.SyncHosts(ctx, []string{"many"}, write)
			}
		}()
	}
	wg.Wait()
	// However the syncs interleaved and merged, the last write of every
	// container's hosts knows every member.
	for id, got := range written {
		if got != n {
			t.Errorf("last hosts of %s had %d entries, want %d", id[:12], got, n)
		}
	}
	if len(written) != n {
		t.Errorf("hosts written for %d containers, want %d", len(written), n)
	}
	seen := map[netip.Addr]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("attach %d: %v", i, errs[i])
		}
		ip := eps[i].Interfaces[0].IP
		if seen[ip] {
			t.Errorf("address %s handed out twice", ip)
		}
		seen[ip] = true
	}
	rec, err := h.m.st.readNet("many")
	if err != nil || len(rec.Members) != n {
		t.Fatalf("record has %d members, %v", len(rec.Members), err)
	}
	entries, err := h.m.HostsFor(eps[0].ContainerID)
	if err != nil || len(entries) != n {
		t.Errorf("hosts of c0: %d entries, %v", len(entries), err)
	}
	// The last one reaches the first by its address.
	serve(t, eps[0].NetNS, ":8080")
	if got, err := dial(eps[n-1].NetNS, eps[0].Interfaces[0].IP.String()+":8080"); err != nil || got == "" {
		t.Errorf("c%d -> c0: %q, %v", n-1, got, err)
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = h.m.Detach(ctx, eps[i].ContainerID)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("detach %d: %v", i, err)
		}
	}
	if err := h.m.Remove(ctx, "many", nil); err != nil {
		t.Fatal(err)
	}
	if ls := links(t, h.ns); len(ls) != 1 {
		t.Errorf("links left: %v", ls)
	}
}

// TestRecreateAtOnce destroys a network with its containers and makes it
// again with the same name and subnet straight away, several times:
// nothing may collide with what the kernel is still tearing down.
func TestRecreateAtOnce(t *testing.T) {
	h := newTestHost(t)
	sub := netip.MustParsePrefix("10.78.0.0/24")
	for round := range 5 {
		if _, err := h.m.Create(ctx, Config{Name: "again", Subnet: sub}); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var eps []*Endpoint
		for i := range 3 {
			ep, err := h.m.Attach(ctx, EndpointConfig{ContainerID: newID(), Name: fmt.Sprintf("c%d", i),
				Attachments: []Attachment{{Network: "again", IPv4: netip.MustParseAddr(fmt.Sprintf("10.78.0.%d", 10+i))}}})
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			eps = append(eps, ep)
		}
		for _, ep := range eps {
			if _, err := h.m.Detach(ctx, ep.ContainerID); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if err := h.m.Remove(ctx, "again", nil); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

func TestDefaultNetwork(t *testing.T) {
	h := newTestHost(t)
	a := h.attach("d1dddddddddddddd", "a", DefaultNetwork)
	b := h.attach("d2dddddddddddddd", "b", DefaultNetwork)
	n, err := h.m.Get(DefaultNetwork)
	if err != nil || n.Subnet.String() != "10.88.0.0/16" {
		t.Fatalf("default network = %+v, %v", n, err)
	}
	if a.Interfaces[0].IP.String() != "10.88.0.2" || b.Interfaces[0].IP.String() != "10.88.0.3" {
		t.Errorf("addresses %s, %s", a.Interfaces[0].IP, b.Interfaces[0].IP)
	}
	if _, err := h.m.Create(ctx, Config{Name: DefaultNetwork}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a user network took the default's name: %v", err)
	}
	if _, err := h.m.Detach(ctx, a.ContainerID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.m.Get(DefaultNetwork); err != nil {
		t.Errorf("default network gone with a member left: %v", err)
	}
	if _, err := h.m.Detach(ctx, b.ContainerID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.m.Get(DefaultNetwork); !errors.Is(err, ErrNotFound) {
		t.Errorf("default network still there without members: %v", err)
	}
	if ls := links(t, h.ns); len(ls) != 1 {
		t.Errorf("links left: %v", ls)
	}
	assertNoTables(t, h)
}

func TestRemoveInUse(t *testing.T) {
	h := newTestHost(t)
	if _, err := h.m.Create(ctx, Config{Name: "busy"}); err != nil {
		t.Fatal(err)
	}
	live := h.attach("e1eeeeeeeeeeeeee", "live", "busy")
	gone := h.attach("e2eeeeeeeeeeeeee", "gone", "busy")
	exists := func(id string) bool { return id != gone.ContainerID }
	err := h.m.Remove(ctx, "busy", exists)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "live") || strings.Contains(err.Error(), "gone") {
		t.Errorf("remove in use: %v", err)
	}
	if _, err := os.Stat(gone.NetNS); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the member whose container is gone was not detached: %v", err)
	}
	if slices.Contains(links(t, h.ns), gone.Interfaces[0].HostVeth) {
		t.Error("its veth is left")
	}
	if _, err := h.m.Detach(ctx, live.ContainerID); err != nil {
		t.Fatal(err)
	}
	if err := h.m.Remove(ctx, "busy", exists); err != nil {
		t.Fatal(err)
	}
	if err := h.m.Remove(ctx, "busy", exists); err != nil {
		t.Errorf("removing a removed network: %v", err)
	}
}

func TestSyncHosts(t *testing.T) {
	h := newTestHost(t)
	if _, err := h.m.Create(ctx, Config{Name: "n"}); err != nil {
		t.Fatal(err)
	}
	a, err := h.m.Attach(ctx, EndpointConfig{ContainerID: "f1ffffffffffffff", Name: "a", Attachments: []Attachment{{Network: "n", Aliases: []string{"alpha"}}}})
	if err != nil {
		t.Fatal(err)
	}
	b := h.attach("f2ffffffffffffff", "b", "n")
	written := map[string]string{}
	write := func(id string, entries []HostEntry) error {
		written[id] = fmt.Sprint(entries)
		return nil
	}
	if err := h.m.SyncHosts(ctx, []string{"n"}, write); err != nil {
		t.Fatal(err)
	}
	ipA, ipB := a.Interfaces[0].IP.String(), b.Interfaces[0].IP.String()
	if want := fmt.Sprintf("[{%s [b]} {%s [a alpha]}]", ipB, ipA); written[b.ContainerID] != want {
		t.Errorf("b's hosts %s, want %s", written[b.ContainerID], want)
	}
	nets, err := h.m.Detach(ctx, a.ContainerID)
	if err != nil || !slices.Equal(nets, []string{"n"}) {
		t.Fatalf("detach: %v, %v", nets, err)
	}
	clear(written)
	if err := h.m.SyncHosts(ctx, nets, write); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("[{%s [b]}]", ipB); written[b.ContainerID] != want || len(written) != 1 {
		t.Errorf("after a left: %v", written)
	}
	if _, err := h.m.Detach(ctx, b.ContainerID); err != nil {
		t.Fatal(err)
	}
	if err := h.m.Remove(ctx, "n", nil); err != nil {
		t.Fatal(err)
	}
}
