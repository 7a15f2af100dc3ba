package views

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/berthhq/berth/providers/native/runtime"
)

// StatsRow is one container in berth stats: its last sample and the CPU
// use between its last two.
type StatsRow struct {
	Address string         `json:"address"`
	Name    string         `json:"name"`
	ID      string         `json:"id"`
	Running bool           `json:"running"`
	CPU     float64        `json:"cpu_percent"` // 100 is one core
	Sample  *runtime.Stats `json:"sample,omitempty"`
}

// ClearScreen moves a terminal's cursor home and clears it, so that the
// next table replaces the last.
const ClearScreen = "\x1b[H\x1b[2J"

// StatsTable prints the rows: ADDRESS NAME CPU % MEM USAGE / LIMIT MEM %
// NET I/O BLOCK I/O PIDS; a stopped container's values are dashes.
func StatsTable(w io.Writer, rows []StatsRow) error {
	out := [][]cell{{plain("ADDRESS"), plain("NAME"), plain("CPU %"), plain("MEM USAGE / LIMIT"), plain("MEM %"), plain("NET I/O"), plain("BLOCK I/O"), plain("PIDS")}}
	for _, r := range rows {
		s := r.Sample
		if !r.Running || s == nil {
			out = append(out, []cell{plain(r.Address), plain(orDash(r.Name)), plain("-"), plain("-"), plain("-"), plain("-"), plain("-"), plain("-")})
			continue
		}
		mem := 0.0
		if s.MemoryLimit > 0 {
			mem = 100 * float64(s.Memory) / float64(s.MemoryLimit)
		}
		out = append(out, []cell{
			plain(r.Address), plain(orDash(r.Name)), plain(fmt.Sprintf("%.2f%%", r.CPU)),
			plain(binaryBytes(s.Memory) + " / " + binaryBytes(s.MemoryLimit)), plain(fmt.Sprintf("%.2f%%", mem)),
			plain(decimalBytes(s.NetRx) + " / " + decimalBytes(s.NetTx)),
			plain(decimalBytes(s.BlockRead) + " / " + decimalBytes(s.BlockWrite)),
			plain(strconv.FormatUint(s.Pids, 10)),
		})
	}
	return table(w, out)
}

// StatsJSON prints the rows as one JSON array on one line (one line per
// refresh when streaming).
func StatsJSON(w io.Writer, rows []StatsRow) error {
	if rows == nil {
		rows = []StatsRow{}
	}
	return writeJSON(w, rows)
}

// CPUPercent is the CPU used between two samples, 100 for one core.
func CPUPercent(prev, cur *runtime.Stats) float64 {
	if prev == nil || cur == nil || cur.CPU < prev.CPU {
		return 0
	}
	wall := cur.Time.Sub(prev.Time)
	if wall <= 0 {
		return 0
	}
	return 100 * float64(cur.CPU-prev.CPU) / float64(wall.Nanoseconds())
}

// binaryBytes is a memory size as docker stats shows it: 1.5MiB.
func binaryBytes(n uint64) string {
	return scaled(n, 1024, []string{"B", "KiB", "MiB", "GiB", "TiB"})
}

// decimalBytes is an I/O amount as docker stats shows it: 1.2kB.
func decimalBytes(n uint64) string {
	return scaled(n, 1000, []string{"B", "kB", "MB", "GB", "TB"})
}

func scaled(n uint64, unit float64, names []string) string {
	v, i := float64(n), 0
	for v >= unit && i < len(names)-1 {
		v /= unit
		i++
	}
	if i == 0 {
		return strconv.FormatUint(n, 10) + names[0]
	}
	return fmt.Sprintf("%.4g%s", v, names[i])
}

// topTime formats a CPU time as ps does: [D-]HH:MM:SS, or M:SS under an
// hour.
func topTime(d time.Duration) string {
	s := int(d / time.Second)
	h, m, sec := s/3600, s/60%60, s%60
	if h == 0 {
		return fmt.Sprintf("%d:%02d", m, sec)
	}
	return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
}
