package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// allowedImports is ARCHITECTURE.md's room table: for each room (a
// module-relative folder; sub-packages belong to the room with the longest
// matching prefix), the other rooms its packages may import directly.
// "*" allows everything. A room may always import itself.
var allowedImports = map[string][]string{
	"schemas":          {},
	"spec":             {"schemas"},
	"state":            {"schemas", "internal/fsatomic"},
	"providers":        {"schemas"},
	"providers/native": {"providers", "schemas", "internal/fsatomic"},
	"providers/plugin": {"providers", "schemas"},
	"providers/remote": {"providers", "providers/plugin", "schemas"},
	"planner":          {"spec", "schemas", "state", "providers"},
	"executor":         {"planner", "state", "providers", "schemas", "spec"},
	"cmd/berth":        {"*"},
	"acceptance":       {"*"},
	"examples":         {"*"},
	"bench":            {"*"}, // benchmark tools (bench/README.md), like examples
	// Leaf packages that more than one room needs, each importing nothing
	// of ours (docs/design.md lists them).
	"internal/fsatomic": {},
	"internal/genpages": {}, // the generated manual pages, for go generate and the tests
}

// listedPackage is the part of `go list -json` output the check needs.
type listedPackage struct {
	ImportPath string
	Imports    []string
	Module     *struct{ Path string }
}

// TestDepcheck fails when a package imports, directly, a package of a
// room that ARCHITECTURE.md does not allow it to. Test-only imports are
// not checked.
func TestDepcheck(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH; cannot list packages for the dependency check")
	}
	modPath, pkgs := listModulePackages(t, gocmd)
	for _, p := range pkgs {
		from, ok := roomOf(relPath(modPath, p.ImportPath))
		if !ok {
			t.Errorf("%s belongs to no room of ARCHITECTURE.md; add its folder to the table there and in allowedImports", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			rel, ours := relImport(modPath, imp)
			if !ours {
				continue
			}
			to, ok := roomOf(rel)
			if !ok || !mayImport(from, to) {
				t.Errorf("%s (room %s) imports %s (room %q); ARCHITECTURE.md allows %s only %v",
					p.ImportPath, from, imp, to, from, allowedImports[from])
			}
		}
	}
}

func listModulePackages(t *testing.T, gocmd string) (string, []listedPackage) {
	t.Helper()
	modInfo := goOutput(t, gocmd, "", "list", "-m", "-f", "{{.Path}} {{.Dir}}")
	modPath, modDir, ok := strings.Cut(strings.TrimSpace(string(modInfo)), " ")
	if !ok || modPath == "" {
		t.Fatalf("go list -m printed %q", modInfo)
	}
	out := goOutput(t, gocmd, modDir, "list", "-e", "-deps", "-json", "./...")
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		if p.Module != nil && p.Module.Path == modPath {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		t.Fatalf("go list found no packages of %s", modPath)
	}
	return modPath, pkgs
}

func goOutput(t *testing.T, gocmd, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(gocmd, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// relPath is a package path relative to the module root.
func relPath(modPath, pkg string) string {
	rel, _ := relImport(modPath, pkg)
	return rel
}

// relImport reports whether imp is inside the module, and its relative path.
func relImport(modPath, imp string) (string, bool) {
	if imp == modPath {
		return "", true
	}
	rel, ok := strings.CutPrefix(imp, modPath+"/")
	return rel, ok
}

// roomOf finds the room a module-relative package path belongs to: the
// longest room prefix that matches whole path elements.
func roomOf(rel string) (string, bool) {
	rooms := make([]string, 0, len(allowedImports))
	for r := range allowedImports {
		rooms = append(rooms, r)
	}
	sort.Slice(rooms, func(i, j int) bool { return len(rooms[i]) > len(rooms[j]) })
	for _, r := range rooms {
		if rel == r || strings.HasPrefix(rel, r+"/") {
			return r, true
		}
	}
	return "", false
}

func mayImport(from, to string) bool {
	if from == to {
		return true
	}
	allowed := allowedImports[from]
	return slices.Contains(allowed, "*") || slices.Contains(allowed, to)
}

func TestRoomOf(t *testing.T) {
	tests := map[string]string{
		"schemas":                "schemas",
		"schemas/addrs":          "schemas",
		"providers":              "providers",
		"providers/native":       "providers/native",
		"providers/native/image": "providers/native",
		"providers/nativex":      "providers",
		"cmd/berth/views":        "cmd/berth",
		"planner":                "planner",
		"internal/x":             "",
	}
	for rel, want := range tests {
		got, _ := roomOf(rel)
		if got != want {
			t.Errorf("roomOf(%q) = %q, want %q", rel, got, want)
		}
	}
	if mayImport("planner", "providers/native") || !mayImport("planner", "providers") || mayImport("schemas", "spec") {
		t.Error("mayImport disagrees with the room table")
	}
}
