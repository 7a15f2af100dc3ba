package spec

import (
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines and returns the
// diagnostics in index order. fn must only read shared state.
func parallel(n int, fn func(i int) hcl.Diagnostics) hcl.Diagnostics {
	out := make([]hcl.Diagnostics, n)
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			out[i] = fn(i)
		}
	} else {
		work := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					out[i] = fn(i)
				}
			}()
		}
		for i := range n {
			work <- i
		}
		close(work)
		wg.Wait()
	}
	var diags hcl.Diagnostics
	for _, d := range out {
		diags = append(diags, d...)
	}
	return diags
}
