package image

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestMirrors(t *testing.T) {
	requireRoot(t)
	primary, mirror := newTestRegistry(t), newTestRegistry(t)
	onMirror := threeLayers(t, "linux/amd64")
	onPrimary := imageOf(t, "linux/amd64", layerOf(t, file("p", "p")))
	mirror.push(t, "lib/app:1", onMirror)
	primary.push(t, "lib/other:1", onPrimary)
	s := openStore(t, Options{Registries: map[string]RegistryConfig{primary.host: {Mirrors: []string{"http://" + mirror.host}}}})
	ctx := context.Background()

	n := primary.requests()
	got, err := s.Pull(ctx, primary.ref("lib/app:1"), PullOptions{})
	if err != nil || got.ID != configDigest(t, onMirror) {
		t.Fatalf("pull through the mirror: %v", err)
	}
	if primary.requests() != n {
		t.Errorf("the registry was asked although its mirror had the image")
	}
	if !slices.Contains(got.RepoTags, primary.ref("lib/app:1")) {
		t.Errorf("names %v should be the registry's, not the mirror's", got.RepoTags)
	}
	// The mirror lacks lib/other: the registry itself answers.
	if got, err := s.Pull(ctx, primary.ref("lib/other:1"), PullOptions{}); err != nil || got.ID != configDigest(t, onPrimary) {
		t.Fatalf("fallback to the registry: %v", err)
	}
}

func TestCancelledPull(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	reg.push(t, "c:1", threeLayers(t, "linux/amd64"))
	s := openStore(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Pull(ctx, reg.ref("c:1"), PullOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("pull with a cancelled context: %v", err)
	}
	assertNoTrace(t, s)
}

func TestProgress(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	img := threeLayers(t, "linux/amd64")
	reg.push(t, "p:1", img)
	s := openStore(t, Options{})
	var mu sync.Mutex
	var events []Progress
	record := func(p Progress) {
		mu.Lock()
		events = append(events, p)
		mu.Unlock()
	}
	got, err := s.Pull(context.Background(), reg.ref("p:1"), PullOptions{Progress: record})
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, e := range events {
		if e.Ref != reg.ref("p:1") {
			t.Errorf("event for %q", e.Ref)
		}
		if e.Done && e.Layer != "" {
			done[e.Layer] = true
		}
	}
	for _, l := range got.Layers {
		if !done[l.Digest] {
			t.Errorf("no Done event for layer %s", l.Digest)
		}
	}
	if last := events[len(events)-1]; !last.Done || !strings.HasPrefix(last.Message, "pulled") {
		t.Errorf("last event %+v", last)
	}
	events = nil
	if _, err := s.Pull(context.Background(), reg.ref("p:1"), PullOptions{Progress: record}); err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Message != "exists" {
		t.Errorf("events of a stored image: %+v", events)
	}
}
