package network

import (
	"fmt"
	"net/netip"
	"testing"
)

func TestHostsFor(t *testing.T) {
	a := netip.MustParseAddr
	back := &netRecord{Network: Network{Name: "back"}, Members: map[string]*member{
		"db":  {Name: "db", Hostname: "db-host", Aliases: []string{"database"}, IP: a("10.89.0.2")},
		"web": {Name: "web", IP: a("10.89.0.3")},
		"w0":  {Name: "api-0", Groups: []string{"api"}, IP: a("10.89.0.10")},
		"w1":  {Name: "api-1", Groups: []string{"api"}, IP: a("10.89.0.9")},
	}}
	front := &netRecord{Network: Network{Name: "front"}, Members: map[string]*member{
		"web":   {Name: "web", Aliases: []string{"www"}, IP: a("10.89.1.2")},
		"proxy": {Name: "proxy", IP: a("10.89.1.3")},
	}}
	got := fmt.Sprint(hostsFor("db", []*netRecord{back}))
	want := "[{10.89.0.2 [db-host db database]} {10.89.0.3 [web]} {10.89.0.9 [api-1 api]} {10.89.0.10 [api-0 api]}]"
	if got != want {
		t.Errorf("db's hosts:\n got %s\nwant %s", got, want)
	}
	got = fmt.Sprint(hostsFor("web", []*netRecord{back, front}))
	want = "[{10.89.0.3 [web]} {10.89.1.2 [web www]} {10.89.0.2 [db database]} {10.89.0.9 [api-1 api]} {10.89.0.10 [api-0 api]} {10.89.1.3 [proxy]}]"
	if got != want {
		t.Errorf("web's hosts (two networks):\n got %s\nwant %s", got, want)
	}
	if got := hostsFor("stranger", []*netRecord{back}); len(got) != 0 {
		t.Errorf("a non-member gets %v", got)
	}
}
