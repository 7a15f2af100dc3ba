package runtime

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

var tStart = time.Now()

func mono() float64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return float64(ts.Sec%1000)*1000 + float64(ts.Nsec)/1e6
}

func TMark(label string) {
	if os.Getenv("BERTH_TIMING") != "" || os.Getenv("_LIBCONTAINER_INITPIPE") != "" {
		f, err := os.OpenFile("/tmp/tm.log", os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			return
		}
		fmt.Fprintf(f, "%10.3f %6d %s\n", mono(), os.Getpid(), label)
		f.Close()
	}
}
