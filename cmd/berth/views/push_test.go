package views

import (
	"bytes"
	"strings"
	"testing"
)

func TestPushProgress(t *testing.T) {
	var live bytes.Buffer
	p := NewPushProgress(&live, true)
	p.Update(0, 2<<20)
	p.Update(2<<20, 2<<20) // the end always draws
	p.Finish()
	if got := live.String(); !strings.HasSuffix(got, "\r\x1b[KPushed 2.0 MiB of 2.0 MiB\n") || !strings.Contains(got, "Pushed 0 B of 2.0 MiB") {
		t.Errorf("live output %q", got)
	}
	var plain bytes.Buffer
	p = NewPushProgress(&plain, false)
	p.Update(1, 2)
	p.Finish()
	if plain.Len() != 0 {
		t.Errorf("output off a terminal: %q", plain.String())
	}
}
