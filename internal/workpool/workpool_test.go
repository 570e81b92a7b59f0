package workpool

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestEveryIndexOnceWithinTheBound(t *testing.T) {
	const n, workers = 200, 3
	var seen [n]atomic.Int32
	var running, most atomic.Int32
	Run(context.Background(), n, workers, func(i int) {
		r := running.Add(1)
		for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
		}
		time.Sleep(100 * time.Microsecond)
		seen[i].Add(1)
		running.Add(-1)
	})
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("index %d done %d times", i, c)
		}
	}
	if m := most.Load(); m > workers {
		t.Errorf("%d calls at once, want at most %d", m, workers)
	}
}

func TestStopsHandingOutWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var done atomic.Int32
	Run(ctx, 1000, 2, func(i int) {
		if done.Add(1) == 10 {
			cancel()
		}
	})
	if d := done.Load(); d >= 1000 || d < 10 {
		t.Errorf("%d of 1000 done after cancelling at 10", d)
	}
	Run(context.Background(), 0, 4, func(int) { t.Error("called for n = 0") })
}
