package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// app is what every command shares: the standard streams, the
// environment and the global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            []string

	chdir   string // -chdir
	noColor bool   // -no-color
	root    string // -root: the runtime root for the image and container commands

	workspace *loadedWorkspace // the configuration in the working directory, once loaded
}

// loadedWorkspace is spec.Load's result for the working directory.
type loadedWorkspace struct {
	cfg   *spec.Config
	diags hcl.Diagnostics
}

// loadWorkspace loads the configuration in the working directory, once
// per run: the operating commands read it for the state's path and again
// for the runtime's settings.
func (a *app) loadWorkspace() (*spec.Config, hcl.Diagnostics) {
	if a.workspace == nil {
		cfg, diags := spec.Load(".", spec.LoadOptions{})
		a.workspace = &loadedWorkspace{cfg, diags}
	}
	return a.workspace.cfg, a.workspace.diags
}

// exitCode is an error carrying the process exit code. Whatever the user
// needs to know was printed before it was returned.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// errReported means "failed; the reason is already on stderr".
const errReported = exitCode(1)

// run is the whole program: it parses args, runs one command and returns
// the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, env []string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, env: env}
	root := newRootCmd(a)
	root.SetArgs(rewriteArgs(root, args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(context.Background())
	return a.exit(err)
}

// exit turns a command's error into an exit code, printing it unless it
// was reported already.
func (a *app) exit(err error) int {
	if err == nil {
		return 0
	}
	var ce *codeError
	if errors.As(err, &ce) {
		var ec exitCode
		if !errors.As(ce.err, &ec) {
			a.errorf("%s", ce.err)
		}
		return ce.code
	}
	var ec exitCode
	if errors.As(err, &ec) {
		return int(ec)
	}
	a.errorf("%s", err)
	return 1
}

// codeError is an error to print (unless already reported) that exits
// with code instead of 1: berth run's own failures exit 125, as docker
// run's do, apart from the container's own exit codes.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// errorf prints a one-line error in Terraform's "Error: ..." form.
func (a *app) errorf(format string, args ...any) {
	c := a.colors(a.stderr)
	fmt.Fprintf(a.stderr, "%s %s\n", c.Red(c.Bold("Error:")), fmt.Sprintf(format, args...))
}

// warnf prints a one-line warning.
func (a *app) warnf(format string, args ...any) {
	c := a.colors(a.stderr)
	fmt.Fprintf(a.stderr, "%s %s\n", c.Yellow(c.Bold("Warning:")), fmt.Sprintf(format, args...))
}

func (a *app) getenv(key string) string {
	for i := len(a.env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(a.env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// colors returns the colouring for output written to w: on only when w
// is a terminal, NO_COLOR is unset and -no-color was not given.
func (a *app) colors(w io.Writer) views.Colors {
	return views.Colors{Enabled: !a.noColor && a.getenv("NO_COLOR") == "" && isTerminal(w)}
}

// isTerminal reports whether x is a file open on a terminal.
func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// termWidth is the width of the terminal w writes to, or 0 when w is not
// a terminal (no wrapping).
func termWidth(w io.Writer) uint {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
		return uint(width)
	}
	return 78
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "berth",
		Short: "Declarative containers: plan and apply HCL configurations",
		Long: `berth reads the *.berth.hcl files of a directory, compares them with the
recorded state and the real world, shows the changes it would make (plan)
and makes them (apply), running containers with its own native runtime.

Single-dash long flags work as in Terraform (-out=FILE, -auto-approve);
so do double-dash ones (--out=FILE).`,
		Example: `  berth init
  berth plan -out=berth.plan
  berth apply berth.plan
  berth -chdir=deploy/prod apply -auto-approve`,
		Version:           version,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.setup,
	}
	root.SetVersionTemplate("berth v{{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	pf := root.PersistentFlags()
	pf.StringVar(&a.chdir, "chdir", "", "switch to `DIR` before doing anything else")
	pf.BoolVar(&a.noColor, "no-color", false, "disable colour in the output (NO_COLOR does too)")
	pf.StringVar(&a.root, "root", "", "runtime root `DIR` for the commands that work on images and containers directly\n(pull, images, rmi, prune, run, ...; BERTH_ROOT too; default: the configuration's\nberth { runtime { root } }, else /var/lib/berth)")
	root.AddCommand(
		newInitCmd(a), newValidateCmd(a), newFmtCmd(a),
		newPlanCmd(a), newApplyCmd(a), newDestroyCmd(a),
		newShowCmd(a), newOutputCmd(a), newGraphCmd(a),
		newStateCmd(a), newImportCmd(a), newTaintCmd(a), newUntaintCmd(a), newForceUnlockCmd(a),
		newProvidersCmd(a), newVersionCmd(a), newRollbackCmd(a),
		newPullCmd(a), newPushCmd(a), newImagesCmd(a), newRmiCmd(a), newPruneCmd(a), newRunCmd(a),
	)
	root.AddCommand(opsCommands(a)...) // ps, logs, exec, top, stats, cp, inspect, attach, stop, start, restart, kill
	addCompletionCmd(root)
	// The generated reference (docs/cli) must not change with the date.
	root.DisableAutoGenTag = true
	return root
}

// flagError explains a flag that does not parse.
func flagError(cmd *cobra.Command, err error) error {
	// Flags were rewritten to pflag's "--name"; name them as users write them.
	msg := strings.NewReplacer(`"--`, `"-`, ": --", ": -").Replace(err.Error())
	return fmt.Errorf("%s\nRun '%s -h' for usage", msg, cmd.CommandPath())
}

// setup applies the global flags and settings before any command runs.
func (a *app) setup(cmd *cobra.Command, args []string) error {
	a.setupLogging()
	if a.chdir != "" {
		if err := os.Chdir(a.chdir); err != nil {
			return fmt.Errorf("-chdir=%s: %w", a.chdir, err)
		}
		slog.Debug("changed directory", "dir", a.chdir)
	}
	return nil
}

// setupLogging sends log/slog records at BERTH_LOG's level to stderr;
// without BERTH_LOG nothing is logged.
func (a *app) setupLogging() {
	level := strings.ToLower(a.getenv("BERTH_LOG"))
	var l slog.Level
	switch level {
	case "":
		slog.SetDefault(slog.New(slog.DiscardHandler))
		return
	case "debug", "trace":
		l = slog.LevelDebug
	case "info":
		l = slog.LevelInfo
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		a.warnf("BERTH_LOG=%q is not a level; use debug, info, warn or error (using warn)", level)
		l = slog.LevelWarn
	}
	h := slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: l})
	slog.SetDefault(slog.New(h))
}
