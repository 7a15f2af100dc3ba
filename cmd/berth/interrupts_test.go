package main

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptsDeliveredTwice: one interrupt delivered twice at once
// (GNU timeout signals the process, then its process group) only stops;
// a second interrupt after the window abandons.
func TestInterruptsDeliveredTwice(t *testing.T) {
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop, stopped, release := a.interrupts(cancel)
	defer release()

	// The kernel merges a signal sent while the same one is pending, so
	// the second is sent once the first was taken, as timeout's second
	// kill arrives.
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stop:
	case <-time.After(5 * time.Second):
		t.Fatal("the interrupt did not close stop")
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // within the window, time for the handler to act
	if ctx.Err() != nil || !stopped() {
		t.Fatalf("one interrupt delivered twice abandoned the changes (ctx %v, stopped %v):\n%s", ctx.Err(), stopped(), &stderr)
	}

	time.Sleep(interruptWindow)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatalf("a second, separate interrupt did not abandon:\n%s", &stderr)
	}
	if !strings.Contains(stderr.String(), "Two interrupts received") {
		t.Errorf("stderr: %s", &stderr)
	}
}
