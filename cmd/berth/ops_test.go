package main

import (
	"testing"
	"time"
)

func TestSplitContainerPath(t *testing.T) {
	for _, tc := range []struct {
		arg, addr, path string
		ok              bool
	}{
		{"container.web:/etc/hosts", "container.web", "/etc/hosts", true},
		{`container.web["a:b"]:/x`, `container.web["a:b"]`, "/x", true},
		{"deployment.web#1:/var/log/a:b.log", "deployment.web#1", "/var/log/a:b.log", true},
		{"brave-otter-1234:/tmp", "brave-otter-1234", "/tmp", true},
		{"./with:colon", "", "./with:colon", false},
		{"/abs/with:colon", "", "/abs/with:colon", false},
		{"plain.txt", "", "plain.txt", false},
		{":/x", "", ":/x", false},
	} {
		addr, p, ok := splitContainerPath(tc.arg)
		if addr != tc.addr || p != tc.path || ok != tc.ok {
			t.Errorf("%q: got %q %q %v", tc.arg, addr, p, ok)
		}
	}
}

func TestParseLogTime(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"", time.Time{}},
		{"10m", now.Add(-10 * time.Minute)},
		{"1h30m", now.Add(-90 * time.Minute)},
		{"2025-01-02T03:04:05Z", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"1700000000", time.Unix(1700000000, 0)},
		{"1700000000.5", time.Unix(1700000000, 5e8)},
	} {
		got, err := parseLogTime(tc.in, now)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: got %v, %v", tc.in, got, err)
		}
	}
	if got, err := parseLogTime("2025-01-02", now); err != nil || got.Year() != 2025 || got.Day() != 2 {
		t.Errorf("date: %v, %v", got, err)
	}
	if _, err := parseLogTime("yesterday", now); err == nil {
		t.Error("yesterday parsed")
	}
}
