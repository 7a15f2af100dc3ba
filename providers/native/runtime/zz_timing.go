package runtime

import (
	"fmt"
	"os"
	"time"
)

var tStart = time.Now()

func TMark(label string) {
	if os.Getenv("BERTH_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "T %6.2fms %s\n", float64(time.Since(tStart).Microseconds())/1000, label)
	}
}
