package cpuclock

import (
	"runtime"
	"testing"
	"time"
)

// The clock counts work, not waiting: a thread that sleeps uses (almost)
// none of it, one that spins uses about what it spun.
func TestCountsCPUNotWaiting(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread CPU clocks are read on Linux only")
	}
	c, stop := Start()
	defer stop()
	if !c.CPU() {
		t.Fatal("thread CPU clock unreadable")
	}
	time.Sleep(80 * time.Millisecond)
	slept := c.Used()
	if slept > 20*time.Millisecond {
		t.Fatalf("sleeping 80ms counted as %v of CPU", slept)
	}
	for c.Used() < slept+30*time.Millisecond {
	}
	// Read from another goroutine (the budget guards do).
	got := make(chan time.Duration)
	go func() { got <- c.Used() }()
	if spun := <-got; spun-slept < 30*time.Millisecond {
		t.Fatalf("spinning counted %v", spun-slept)
	}
}
