// Command berth-runtime is the container side of berth: a container's
// supervisor, and libcontainer's init in its containers. It is built of
// package runtime alone, so that these processes, one or more per
// container, start fast and stay small; berth embeds it (scripts/build)
// and runs it from a copy under the runtime root. It is not meant to be
// run by hand.
package main

import (
	"fmt"
	"os"

	"github.com/berthhq/berth/providers/native/runtime"
)

func main() {
	if runtime.Main() {
		return
	}
	fmt.Fprintln(os.Stderr, "berth-runtime runs containers for berth, which starts it; it takes no commands of its own")
	os.Exit(2)
}
