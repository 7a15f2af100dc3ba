package views

import "sort"

type editKind byte

const (
	editKeep editKind = iota
	editDel
	editIns
)

// edit is one step of turning sequence A into sequence B: keep A[a] (which
// equals B[b]), delete A[a], or insert B[b].
type edit struct {
	kind editKind
	a, b int
}

// diffSeq returns a shortest edit script from a sequence of n elements to
// one of m elements, by longest common subsequence. Deletions come before
// insertions at the same place. Common prefixes and suffixes are matched
// first, so that the quadratic table covers only the changed middle.
func diffSeq(n, m int, eq func(i, j int) bool) []edit {
	pre := 0
	for pre < n && pre < m && eq(pre, pre) {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && eq(n-1-suf, m-1-suf) {
		suf++
	}
	var out []edit
	for i := 0; i < pre; i++ {
		out = append(out, edit{editKeep, i, i})
	}
	out = append(out, middle(pre, n-suf, pre, m-suf, eq)...)
	for k := suf; k > 0; k-- {
		out = append(out, edit{editKeep, n - k, m - k})
	}
	return out
}

// middle diffs A[a0:a1] against B[b0:b1] with the LCS table.
func middle(a0, a1, b0, b1 int, eq func(i, j int) bool) []edit {
	n, m := a1-a0, b1-b0
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if eq(a0+i, b0+j) {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && eq(a0+i, b0+j):
			out = append(out, edit{editKeep, a0 + i, b0 + j})
			i++
			j++
		case i < n && (j == m || t[i+1][j] >= t[i][j+1]):
			out = append(out, edit{editDel, a0 + i, b0 + j})
			i++
		default:
			out = append(out, edit{editIns, a0 + i, b0 + j})
			j++
		}
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
