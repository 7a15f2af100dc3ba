package views

import (
	"io"
	"strconv"

	"github.com/berthhq/berth/providers/native/runtime"
)

// TopTable prints a container's processes: PID (the host's), USER, TIME
// (CPU time) and CMD, as docker top shows them.
func TopTable(w io.Writer, procs []runtime.Process) error {
	out := [][]cell{{plain("PID"), plain("PPID"), plain("USER"), plain("TIME"), plain("CMD")}}
	for _, p := range procs {
		out = append(out, []cell{
			plain(strconv.Itoa(p.PID)), plain(strconv.Itoa(p.PPID)), plain(p.User), plain(topTime(p.CPUTime)), plain(p.Command),
		})
	}
	return table(w, out)
}

// TopJSON prints the processes as a JSON array.
func TopJSON(w io.Writer, procs []runtime.Process) error {
	if procs == nil {
		procs = []runtime.Process{}
	}
	return writeJSON(w, procs)
}
