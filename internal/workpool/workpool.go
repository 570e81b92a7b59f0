// Package workpool runs a function over the indices 0..n-1 on a bounded
// number of goroutines: the loop the CLI, eval and the benchmarks share
// to analyse a list of pages a few at a time.
package workpool

import (
	"context"
	"sync"
)

// Start hands the indices 0..n-1, in order, to workers goroutines (at
// least one, at most n) that call do with each, and stops handing them out
// once ctx is done. It returns at once; wait blocks until every call
// started has returned.
func Start(ctx context.Context, n, workers int, do func(i int)) (wait func()) {
	workers = max(1, min(workers, n))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				do(i)
			}
		}()
	}
	go func() {
		defer close(next)
		for i := 0; i < n; i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return wg.Wait
}

// Run is Start, then waiting for it.
func Run(ctx context.Context, n, workers int, do func(i int)) {
	Start(ctx, n, workers, do)()
}
