package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
)

type fmtFlags struct {
	check, diff, recursive bool
}

func newFmtCmd(a *app) *cobra.Command {
	var f fmtFlags
	cmd := &cobra.Command{
		Use:   "fmt [flags] [PATH...]",
		Short: "Rewrite configuration files in the canonical format",
		Long: `Fmt rewrites *.berth.hcl and *.vars.hcl files in the canonical HCL layout
and lists the files it changed. PATH is a directory (default: the current one),
a file, or "-" to format standard input to standard output.

With -check nothing is written; the files that need formatting are listed and
the exit code is 1 when there is any. A file with syntax errors is reported
and nothing at all is written.`,
		Example: `  berth fmt
  berth fmt -check -diff
  berth fmt -recursive modules/
  cat main.berth.hcl | berth fmt -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runFmt(cmd, args, f)
		},
	}
	cmd.Flags().BoolVar(&f.check, "check", false, "write nothing; exit 1 when any file needs formatting")
	cmd.Flags().BoolVar(&f.diff, "diff", false, "print a unified diff of the changes")
	cmd.Flags().BoolVar(&f.recursive, "recursive", false, "also format files in subdirectories")
	return cmd
}

// fmtFile is one file and its formatted content.
type fmtFile struct {
	name     string
	src, out []byte
	mode     fs.FileMode
}

func (a *app) runFmt(cmd *cobra.Command, args []string, f fmtFlags) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	if len(args) == 1 && args[0] == "-" {
		return a.fmtStdin(cmd, f)
	}
	names, err := fmtTargets(args, f.recursive)
	if err != nil {
		return err
	}
	files, sources, diags := formatFiles(names)
	if err := a.diagnose(sources, diags); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	changed := 0
	for _, file := range files {
		if bytes.Equal(file.src, file.out) {
			continue
		}
		changed++
		fmt.Fprintln(w, file.name)
		if f.diff {
			if err := views.UnifiedDiff(w, "old/"+file.name, "new/"+file.name, file.src, file.out); err != nil {
				return err
			}
		}
		if !f.check {
			if err := os.WriteFile(file.name, file.out, file.mode); err != nil {
				return fmt.Errorf("write %s: %w", file.name, err)
			}
		}
	}
	if f.check && changed > 0 {
		return exitCode(1)
	}
	return nil
}

// fmtTargets expands paths into the files to format: files named
// explicitly, and the *.berth.hcl and *.vars.hcl files of directories
// (of their subdirectories too with recursive; hidden ones are skipped).
func fmtTargets(paths []string, recursive bool) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("fmt: %w", err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && (!recursive || strings.HasPrefix(d.Name(), ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if isFormattable(d.Name()) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("fmt: %w", err)
		}
	}
	sort.Strings(out)
	return out, nil
}

func isFormattable(name string) bool {
	return strings.HasSuffix(name, ".berth.hcl") || strings.HasSuffix(name, ".vars.hcl")
}

// formatFiles reads and formats every file, collecting syntax errors.
func formatFiles(names []string) ([]fmtFile, map[string][]byte, hcl.Diagnostics) {
	var files []fmtFile
	sources := map[string][]byte{}
	var diags hcl.Diagnostics
	for _, name := range names {
		info, err := os.Stat(name)
		var src []byte
		if err == nil {
			src, err = os.ReadFile(name)
		}
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read file", Detail: err.Error()})
			continue
		}
		sources[name] = src
		out, d := formatSource(name, src)
		diags = append(diags, d...)
		files = append(files, fmtFile{name: name, src: src, out: out, mode: info.Mode().Perm()})
	}
	return files, sources, diags
}

// formatSource checks src's syntax and returns it formatted.
func formatSource(name string, src []byte) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}

// fmtStdin formats standard input to standard output.
func (a *app) fmtStdin(cmd *cobra.Command, f fmtFlags) error {
	src, err := io.ReadAll(a.stdin)
	if err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	out, diags := formatSource("<stdin>", src)
	if err := a.diagnose(map[string][]byte{"<stdin>": src}, diags); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	switch {
	case f.diff:
		err = views.UnifiedDiff(w, "old/<stdin>", "new/<stdin>", src, out)
	case !f.check:
		_, err = w.Write(out)
	}
	if err == nil && f.check && !bytes.Equal(src, out) {
		return exitCode(1)
	}
	return err
}
