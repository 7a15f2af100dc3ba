package acceptance

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// shellConfig is a container running sh, with a terminal or without.
func shellConfig(tty bool) string {
	return fmt.Sprintf(`
image "busybox" { ref = "%s/test/busybox:1" }
container "shell" {
  image        = image.busybox.id
  network_mode = "none"
  command      = ["sh"]
  tty          = %t
}
`, registryHost, tty)
}

// TestAttachTerminal attaches to a container declared with tty = true the
// way a user does, from a terminal: a typed command runs in its shell,
// Ctrl-P Ctrl-Q detaches and leaves it running, and the session is in its
// log. Turning the terminal off then plans a replacement.
func TestAttachTerminal(t *testing.T) {
	w := newWorkspace(t)
	w.config(shellConfig(true))
	w.ok("apply", "-auto-approve")
	w.remember()
	pid := int(w.stateResource("container.shell")["pid"].(float64))

	master, slave := openPty(t)
	attach := exec.Command(berthBin, "-chdir="+w.dir, "attach", "container.shell")
	attach.Stdin, attach.Stdout, attach.Stderr = slave, slave, slave
	attach.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := attach.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	exited := make(chan error, 1)
	go func() { exited <- attach.Wait() }()
	var screen syncBuffer
	go func() { _, _ = io.Copy(&screen, master) }()

	// The shell's terminal echoes the line; "hi" alone on a line is the
	// command's output.
	typeIn(t, master, "echo hi\r")
	depWaitFor(t, time.Minute, "hi on the terminal", func() bool { return regexp.MustCompile(`\r\nhi\r\n`).MatchString(screen.String()) })
	typeIn(t, master, "\x10\x11")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("berth attach after Ctrl-P Ctrl-Q: %v\n%q", err, screen.String())
		}
	case <-time.After(time.Minute):
		_ = attach.Process.Kill()
		t.Fatalf("berth attach did not detach on Ctrl-P Ctrl-Q:\n%q", screen.String())
	}
	// The message is on the terminal before attach exits, but our copy
	// of the terminal's output may not have read it yet.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(screen.String(), "Detached; the container keeps running.") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(screen.String(), "Detached; the container keeps running.") {
		t.Errorf("no detach message:\n%q", screen.String())
	}

	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("the shell (pid %d) is gone after detaching: %v", pid, err)
	}
	if res := w.ok("ps"); !regexp.MustCompile(`(?m)^container\.shell +shell +Up `).MatchString(res.stdout) {
		t.Errorf("ps after detaching:\n%s", res)
	}
	if res := w.ok("logs", "container.shell"); !regexp.MustCompile(`(?m)^hi\r?$`).MatchString(res.stdout) {
		t.Errorf("the session is not in the log:\n%s", res)
	}

	w.config(shellConfig(false))
	res := w.berth("plan", "-detailed-exitcode")
	if res.code != 2 || !regexp.MustCompile(`~ tty +\= true -> false # forces replacement`).MatchString(res.stdout) ||
		!strings.Contains(res.stdout, "Plan: 1 to add, 0 to change, 1 to destroy.") {
		t.Errorf("plan after turning tty off:\n%s", res)
	}
}

// TestAttachWithoutTerminal attaches to a container without a terminal
// nor stdin: berth does not send its input, shows what the container
// writes next, and detaches on SIGINT (Ctrl-C) with the container left
// running.
func TestAttachWithoutTerminal(t *testing.T) {
	w := newWorkspace(t)
	w.config(fmt.Sprintf(`
image "busybox" { ref = "%s/test/busybox:1" }
container "ticker" {
  image        = image.busybox.id
  network_mode = "none"
  command      = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.1; done"]
}
`, registryHost))
	w.ok("apply", "-auto-approve")
	w.remember()

	var out, errb syncBuffer
	attach := exec.Command(berthBin, "-chdir="+w.dir, "attach", "container.ticker")
	attach.Stdin, attach.Stdout, attach.Stderr = strings.NewReader("ignored\n"), &out, &errb
	if err := attach.Start(); err != nil {
		t.Fatal(err)
	}
	depWaitFor(t, time.Minute, "tick lines", func() bool { return regexp.MustCompile(`(?m)^tick-\d+$`).MatchString(out.String()) })
	if err := attach.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := attach.Wait(); err != nil || !strings.Contains(errb.String(), "Detached; the container keeps running.") {
		t.Fatalf("berth attach after SIGINT: %v\n%s", err, errb.String())
	}
	if res := w.ok("ps"); !regexp.MustCompile(`(?m)^container\.ticker +ticker +Up `).MatchString(res.stdout) {
		t.Errorf("ps after detaching:\n%s", res)
	}
}

// openPty opens a new pseudo-terminal pair.
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	rc, err := master.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var ioctlErr error
	err = rc.Control(func(fd uintptr) {
		if ioctlErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioctlErr == nil {
			n, ioctlErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	})
	if err != nil || ioctlErr != nil {
		t.Fatalf("unlock the pseudo-terminal: %v %v", err, ioctlErr)
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	return master, slave
}

// typeIn writes s to the terminal as keystrokes.
func typeIn(t *testing.T, master *os.File, s string) {
	t.Helper()
	if _, err := master.WriteString(s); err != nil {
		t.Fatal(err)
	}
}
