package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ForegroundIO connects a container run by RunForeground to its caller.
type ForegroundIO struct {
	// Stdin, when set, is copied to the main process's standard input
	// (with Tty, to the terminal's input); nil gives it /dev/null. The
	// copy is not waited for: a Stdin that never ends does not keep
	// RunForeground from returning.
	Stdin io.Reader
	// Stdout and Stderr receive the output; nil discards it. With Tty
	// all of it arrives on Stdout, as from a terminal.
	Stdout, Stderr io.Writer
	// Tty gives the main process a pseudo-terminal (it overrides
	// Spec.Tty).
	Tty bool
	// Terminal, with Tty, is the caller's own terminal: the new one
	// takes its size and follows it (SIGWINCH), and while Stdin is copied
	// it is put in raw mode, so that keys such as Ctrl-C reach the
	// container. Nil: an 80x24 terminal, and no raw mode.
	Terminal *os.File
	// Signals are forwarded to the main process as they arrive.
	Signals <-chan os.Signal
}

// ExecError is a container whose command could not be run: not found
// (exit code 127) or not executable (126), Docker's codes. The container
// never ran.
type ExecError struct {
	Command    string
	NotFound   bool // else: found but not executable
	Message    string
	underlying error
}

func (e *ExecError) Error() string { return e.Message }

func (e *ExecError) Unwrap() error { return e.underlying }

// ExitCode is 127 for a command that is not found, 126 for one that
// cannot be executed.
func (e *ExecError) ExitCode() int {
	if e.NotFound {
		return 127
	}
	return 126
}

// classifyStartError turns the error of a container whose process did
// not start into an ExecError when it says that the command (args[0])
// could not be found or executed. libcontainer's init looks the command
// up before the exec and sends the failure back as text, so the text is
// all there is to go by: Go's exec.LookPath errors name the command as
// exec: "NAME": ...
func classifyStartError(args []string, err error) error {
	if err == nil || len(args) == 0 {
		return err
	}
	var ee *ExecError
	if errors.As(err, &ee) {
		return err
	}
	msg := err.Error()
	prefix := fmt.Sprintf("exec: %q: ", args[0])
	i := strings.Index(msg, prefix)
	if i < 0 {
		return err
	}
	why := msg[i+len(prefix):]
	return &ExecError{
		Command:    args[0],
		NotFound:   !strings.Contains(why, "permission denied") && !strings.Contains(why, "is a directory"),
		Message:    fmt.Sprintf("cannot run %q in the container: %s", args[0], why),
		underlying: err,
	}
}
