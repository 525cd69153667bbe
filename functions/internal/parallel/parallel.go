// Package parallel runs independent pieces of work on every CPU while
// keeping results in a fixed order, so that output stays deterministic.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ForEach calls fn for 0 <= i < n on every CPU. Each call may only write
// what belongs to its own i; the results are in index order whatever the
// schedule.
func ForEach(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}
