package planner

import (
	"context"
	"sync"
)

// walkDAG calls fn for every key once all of its dependencies have been
// visited, running up to parallelism calls at once. When fn returns false
// the key's dependents are skipped (skip is called for each instead).
func walkDAG(ctx context.Context, keys []nodeKey, deps map[nodeKey][]nodeKey, parallelism int,
	fn func(nodeKey) bool, skip func(nodeKey)) {
	if parallelism <= 0 {
		parallelism = 10
	}
	waiting := make(map[nodeKey]int, len(keys))
	dependents := make(map[nodeKey][]nodeKey, len(keys))
	inSet := make(map[nodeKey]bool, len(keys))
	for _, k := range keys {
		inSet[k] = true
	}
	for _, k := range keys {
		for _, d := range deps[k] {
			if inSet[d] {
				waiting[k]++
				dependents[d] = append(dependents[d], k)
			}
		}
	}
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		sem    = make(chan struct{}, parallelism)
		failed = map[nodeKey]bool{}
	)
	var start func(k nodeKey)
	finish := func(k nodeKey, ok bool) {
		mu.Lock()
		var ready []nodeKey
		for _, d := range dependents[k] {
			if !ok {
				failed[d] = true
			}
			waiting[d]--
			if waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
		mu.Unlock()
		for _, r := range ready {
			start(r)
		}
	}
	start = func(k nodeKey) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			bad := failed[k]
			mu.Unlock()
			if bad || ctx.Err() != nil {
				skip(k)
				finish(k, false)
				return
			}
			sem <- struct{}{}
			ok := fn(k)
			<-sem
			finish(k, ok)
		}()
	}
	var roots []nodeKey
	for _, k := range keys {
		if waiting[k] == 0 {
			roots = append(roots, k)
		}
	}
	for _, k := range roots {
		start(k)
	}
	wg.Wait()
}
