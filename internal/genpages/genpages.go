// Package genpages keeps a folder of generated pages, such as the
// manual's language and CLI references: Write makes the folder hold
// exactly the pages (for go generate), Compare says how it differs (for
// the tests that fail when a committed page is stale).
package genpages

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Write makes dir hold exactly pages, keyed by file name: it writes every
// page and removes any other *.md file.
func Write(dir string, pages map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, path := range old {
		if _, keep := pages[filepath.Base(path)]; !keep {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	for name, data := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Compare lists how dir's *.md files differ from pages: missing, no
// longer generated, or changed (with the first changed line). None means
// the folder is up to date.
func Compare(dir string, pages map[string][]byte) []string {
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		path := filepath.ToSlash(filepath.Join(dir, name))
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s is missing: %v", path, err))
			continue
		}
		if !bytes.Equal(pages[name], got) {
			line, w, g := firstDiff(pages[name], got)
			problems = append(problems, fmt.Sprintf("%s is out of date at line %d:\n  generated: %q\n  committed: %q", path, line, w, g))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range files {
		if _, ok := pages[filepath.Base(f)]; !ok {
			problems = append(problems, fmt.Sprintf("%s is no longer generated", filepath.ToSlash(f)))
		}
	}
	return problems
}

// firstDiff finds the first line (1-based) where two different texts
// differ, and the two lines.
func firstDiff(want, got []byte) (int, string, string) {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		if i >= len(wl) || i >= len(gl) || wl[i] != gl[i] {
			return i + 1, lineAt(wl, i), lineAt(gl, i)
		}
	}
	return len(wl), "", ""
}

// lineAt is lines[i], or "" past the end.
func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
