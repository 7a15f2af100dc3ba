package views

import (
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/providers/native/image"
)

func TestPullProgressPlain(t *testing.T) {
	var b strings.Builder
	p := NewPullProgress(&b, false, 80, Colors{})
	ref := "busybox"
	for _, ev := range []image.Progress{
		{Ref: ref, Message: "resolving"},
		{Ref: ref, Layer: "sha256:aaaaaaaaaaaabbbb", Current: 1 << 20, Total: 3 << 20, Message: "downloading"},
		{Ref: ref, Layer: "sha256:cccccccccccc", Done: true, Message: "exists"},
		{Ref: ref, Layer: "sha256:aaaaaaaaaaaabbbb", Message: "retrying (1/3): connection reset"},
		{Ref: ref, Layer: "sha256:aaaaaaaaaaaabbbb", Current: 3 << 20, Total: 3 << 20, Done: true, Message: "unpacked"},
		{Ref: ref, Done: true, Message: "pulled sha256:x"},
	} {
		p.Event(ev)
	}
	p.Finish()
	want := "busybox: resolving\n" +
		"cccccccccccc: already exists\n" +
		"aaaaaaaaaaaa: retrying (1/3): connection reset\n" +
		"aaaaaaaaaaaa: done (3.0 MiB)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestPullProgressLive(t *testing.T) {
	var b strings.Builder
	p := NewPullProgress(&b, true, 80, Colors{})
	p.Event(image.Progress{Ref: "r", Layer: "sha256:aaaaaaaaaaaa", Current: 1 << 20, Total: 4 << 20})
	p.Event(image.Progress{Ref: "r", Layer: "sha256:bbbbbbbbbbbb", Done: true, Message: "exists"})
	p.Event(image.Progress{Ref: "r", Layer: "sha256:aaaaaaaaaaaa", Current: 4 << 20, Total: 4 << 20, Done: true})
	p.Finish()
	out := b.String()
	for _, want := range []string{
		"\x1b[2Kaaaaaaaaaaaa: downloading [========>  ", "] 1.0 MiB/4.0 MiB\n",
		"\x1b[1A\x1b[2Kaaaaaaaaaaaa: ", // redrawn in place
		"bbbbbbbbbbbb: already exists\n",
		"aaaaaaaaaaaa: done (4.0 MiB)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 1 << 20: "1.0 MiB", 5 << 30: "5.0 GiB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestHumanSince(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		0:                     "Less than a second ago",
		time.Second:           "1 second ago",
		45 * time.Second:      "45 seconds ago",
		3 * time.Minute:       "3 minutes ago",
		90 * time.Minute:      "About an hour ago",
		5 * time.Hour:         "5 hours ago",
		3 * 24 * time.Hour:    "3 days ago",
		21 * 24 * time.Hour:   "3 weeks ago",
		100 * 24 * time.Hour:  "3 months ago",
		1000 * 24 * time.Hour: "2 years ago",
	} {
		if got := HumanSince(now.Add(-d), now); got != want {
			t.Errorf("HumanSince(-%v) = %q, want %q", d, got, want)
		}
	}
	if got := HumanSince(time.Time{}, now); got != "unknown" {
		t.Errorf("zero time: %q", got)
	}
}

func TestFamiliarName(t *testing.T) {
	for in, want := range map[string]string{
		"index.docker.io/library/busybox:latest": "busybox:latest",
		"index.docker.io/acme/web:1":             "acme/web:1",
		"ghcr.io/acme/web:1":                     "ghcr.io/acme/web:1",
		"oci-layout:/tmp/x:latest":               "oci-layout:/tmp/x:latest",
	} {
		if got := FamiliarName(in); got != want {
			t.Errorf("FamiliarName(%q) = %q, want %q", in, got, want)
		}
	}
}
