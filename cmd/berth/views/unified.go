package views

import (
	"fmt"
	"io"
	"strings"
)

// diffContext is the number of unchanged lines around each hunk.
const diffContext = 3

// UnifiedDiff writes the unified diff of a and b (line based, by longest
// common subsequence, 3 lines of context) with the given file names; it
// writes nothing when they are equal.
func UnifiedDiff(w io.Writer, oldName, newName string, a, b []byte) error {
	al, bl := splitLines(string(a)), splitLines(string(b))
	edits := diffSeq(len(al), len(bl), func(i, j int) bool { return al[i] == bl[j] })
	var out strings.Builder
	for i := 0; i < len(edits); {
		for i < len(edits) && edits[i].kind == editKeep {
			i++
		}
		if i == len(edits) {
			break
		}
		start, end := max(0, i-diffContext), hunkEnd(edits, i)
		writeHunk(&out, edits[start:end], al, bl)
		i = end
	}
	if out.Len() == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "--- %s\n+++ %s\n%s", oldName, newName, out.String())
	return err
}

// hunkEnd returns where the hunk holding the change at i ends: changes
// separated by at most twice the context share a hunk.
func hunkEnd(edits []edit, i int) int {
	j := i
	for {
		for j < len(edits) && edits[j].kind != editKeep {
			j++
		}
		k := j
		for k < len(edits) && edits[k].kind == editKeep {
			k++
		}
		if k < len(edits) && k-j <= 2*diffContext {
			j = k
			continue
		}
		return min(len(edits), j+diffContext)
	}
}

func writeHunk(out *strings.Builder, edits []edit, al, bl []string) {
	aLen, bLen := 0, 0
	for _, e := range edits {
		if e.kind != editIns {
			aLen++
		}
		if e.kind != editDel {
			bLen++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(edits[0].a, aLen), hunkRange(edits[0].b, bLen))
	for _, e := range edits {
		switch e.kind {
		case editKeep:
			out.WriteString(" " + al[e.a] + "\n")
		case editDel:
			out.WriteString("-" + al[e.a] + "\n")
		case editIns:
			out.WriteString("+" + bl[e.b] + "\n")
		}
	}
}

// hunkRange renders a hunk's start and length: 1-based start, or the line
// before an empty range.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits s into lines without their newlines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
