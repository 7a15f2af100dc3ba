package views

import (
	"io"
	"strings"
	"unicode/utf8"
)

// cell is one table cell: its text, and how to colour it once padded.
type cell struct {
	text  string
	color func(string) string
}

// plain is a cell without colour.
func plain(s string) cell { return cell{text: s} }

// table writes rows in columns three spaces apart, like tabwriter, but
// measures the text before colouring it, so that colours never shift the
// columns. The last column is not padded.
func table(w io.Writer, rows [][]cell) error {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			text := c.text
			if c.color != nil {
				text = c.color(text)
			}
			b.WriteString(text)
			if i < len(row)-1 {
				b.WriteString(spaces(widths[i] - utf8.RuneCountInString(c.text) + 3))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
