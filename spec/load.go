package spec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
)

// Config file name suffixes.
const (
	nativeSuffix = ".berth.hcl"
	jsonSuffix   = ".berth.json"
)

// loader holds what one Load shares across the module tree.
type loader struct {
	parser  *hclparse.Parser
	lookup  SchemaLookup
	rootDir string
	hashed  map[string][]byte // path relative to rootDir -> content
	root    *Config
	top     *topSchema
	// checks are the schema validations of the module being loaded, run
	// in parallel once its files are decoded.
	checks []func() hcl.Diagnostics
}

// Load reads the configuration in dir: every *.berth.hcl and *.berth.json
// file, sorted by name and merged, and the local modules it calls. It
// checks blocks against the resource schemas and every reference against
// the declarations, without evaluating anything that is not constant.
// The returned Config is nil only when dir could not be read at all; a
// Config returned with errors is partial.
func Load(dir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	lookup := opts.Schemas
	if lookup == nil {
		lookup = defaultSchemas
	}
	l := &loader{
		parser:  hclparse.NewParser(),
		lookup:  lookup,
		rootDir: dir,
		hashed:  map[string][]byte{},
	}
	l.top = newTopSchema(lookup)
	cfg, diags := l.loadModule(dir, nil, nil, nil)
	if cfg == nil {
		return nil, diags
	}
	cfg.Sources = l.parser.Sources()
	cfg.Hash = l.hash()
	cfg.walk(func(c *Config) {
		c.Sources, c.Hash = cfg.Sources, cfg.Hash
	})
	if !diags.HasErrors() {
		diags = append(diags, cfg.CheckReferences()...)
	}
	return cfg, diags
}

// loadModule loads the module in dir with address path. stack holds the
// absolute directories of the calling modules, to find cycles; call is the
// module block that called it (nil for the root).
func (l *loader) loadModule(dir string, path addrs.Module, stack []string, call *hcl.Range) (*Config, hcl.Diagnostics) {
	files, diags := l.parseDir(dir, call)
	if files == nil {
		return nil, diags
	}
	cfg := &Config{
		Path:        path,
		Dir:         dir,
		Variables:   map[string]*Variable{},
		Locals:      map[string]*Local{},
		Outputs:     map[string]*Output{},
		Resources:   map[string]*Resource{},
		Nodes:       map[string]*Node{},
		ModuleCalls: map[string]*ModuleCall{},
		Children:    map[string]*Config{},
		lookup:      l.lookup,
	}
	if l.root == nil {
		l.root = cfg
	}
	cfg.root = l.root
	for _, f := range files {
		diags = append(diags, l.decodeFile(cfg, f)...)
	}
	checks := l.checks
	l.checks = nil
	diags = append(diags, parallel(len(checks), func(i int) hcl.Diagnostics { return checks[i]() })...)
	diags = append(diags, l.loadChildren(cfg, stack)...)
	return cfg, diags
}

// parseDir parses the config files of dir, in name order. It returns nil
// files when the directory has none or cannot be read.
func (l *loader) parseDir(dir string, call *hcl.Range) ([]*hcl.File, hcl.Diagnostics) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   err.Error(),
			Subject:  call,
		}}
	}
	names := configFiles(dir, entries)
	if len(names) == 0 {
		shown := dir
		if abs, err := filepath.Abs(dir); err == nil {
			shown = abs // "." says nothing about where berth looked
		}
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail: fmt.Sprintf("The directory %s has no *%s or *%s files. Run berth in the directory of your configuration, or pass -chdir=DIR.",
				shown, nativeSuffix, jsonSuffix),
			Subject: call,
		}}
	}
	parsed := parseAll(names)
	files := []*hcl.File{}
	var diags hcl.Diagnostics
	for _, p := range parsed {
		if p.src != nil {
			l.record(p.name, p.src)
		}
		diags = append(diags, p.diags...)
		if p.file != nil {
			if prev := l.parser.Files()[p.name]; prev != nil {
				p.file = prev // a module called twice: keep one parse
			} else {
				l.parser.AddFile(p.name, p.file)
			}
			files = append(files, p.file)
		}
	}
	return files, diags
}

// configFiles returns the paths of the configuration files among a
// directory's entries, in name order.
func configFiles(dir string, entries []os.DirEntry) []string {
	var names []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && (strings.HasSuffix(name, nativeSuffix) || strings.HasSuffix(name, jsonSuffix)) {
			names = append(names, filepath.Join(dir, name))
		}
	}
	return names
}

// parsedFile is the outcome of reading and parsing one file.
type parsedFile struct {
	name  string
	src   []byte
	file  *hcl.File
	diags hcl.Diagnostics
}

// parseAll reads and parses files in parallel (parsing dominates the
// load time of large configurations); results keep the order of names.
func parseAll(names []string) []parsedFile {
	out := make([]parsedFile, len(names))
	parallel(len(names), func(i int) hcl.Diagnostics {
		out[i] = parseFile(names[i])
		return nil
	})
	return out
}

// parseFile reads and parses one file; empty and binary files are errors.
func parseFile(name string) parsedFile {
	p := parsedFile{name: name}
	src, err := os.ReadFile(name)
	if err != nil {
		p.diags = hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration file",
			Detail:   err.Error(),
			Subject:  &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos},
		}}
		return p
	}
	p.src = src
	if d := checkText(name, src); d != nil {
		p.diags = hcl.Diagnostics{d}
		return p
	}
	if strings.HasSuffix(name, jsonSuffix) {
		p.file, p.diags = json.Parse(src, name)
	} else {
		p.file, p.diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	return p
}

// checkText rejects empty files and files that are not UTF-8 text.
func checkText(name string, src []byte) *hcl.Diagnostic {
	start := hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
	if len(bytes.TrimSpace(src)) == 0 {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty configuration file",
			Detail:   fmt.Sprintf("%s: file is empty; add a block or remove it.", name),
			Subject:  &start,
		}
	}
	bad := bytes.IndexByte(src, 0)
	if bad < 0 && !utf8.Valid(src) {
		for i := 0; i < len(src); {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				bad = i
				break
			}
			i += n
		}
	}
	if bad < 0 {
		return nil
	}
	pos := posOf(src, bad)
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Not a text file",
		Detail: fmt.Sprintf("%s is not a text file: byte %d (0x%02x) is not valid UTF-8 text. Configuration files must be UTF-8 HCL.",
			name, bad, src[bad]),
		Subject: &hcl.Range{Filename: name, Start: pos, End: pos},
	}
}

// posOf is the line and column of byte offset off in src.
func posOf(src []byte, off int) hcl.Pos {
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(src[:off], '\n')
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// record remembers a file's content for the configuration hash.
func (l *loader) record(name string, src []byte) {
	rel, err := filepath.Rel(l.rootDir, name)
	if err != nil {
		rel = name
	}
	l.hashed[filepath.ToSlash(rel)] = src
}

// hash is the hex SHA-256 over every file's relative path and content,
// in path order.
func (l *loader) hash() string {
	names := make([]string, 0, len(l.hashed))
	for n := range l.hashed {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		src := l.hashed[n]
		h.Write([]byte(n + "\x00" + strconv.Itoa(len(src)) + "\x00"))
		h.Write(src)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// walk calls fn for every module below c (not c itself).
func (c *Config) walk(fn func(*Config)) {
	names := make([]string, 0, len(c.Children))
	for n := range c.Children {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fn(c.Children[n])
		c.Children[n].walk(fn)
	}
}
