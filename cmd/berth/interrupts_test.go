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

	for i := 0; i < 2; i++ {
		if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-stop:
	case <-time.After(5 * time.Second):
		t.Fatal("the interrupt did not close stop")
	}
	time.Sleep(interruptWindow / 2)
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
