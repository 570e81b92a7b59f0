package emulate

import (
	"runtime"
	"testing"
	"time"
)

// The budget clock counts work, not waiting: a thread that sleeps uses
// (almost) none of it, one that spins uses about what it spun.
func TestThreadClockCountsCPUNotWaiting(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread CPU clock is read on Linux only")
	}
	c, stop := startThreadClock()
	defer stop()
	if _, ok := c.used(); !ok {
		t.Fatal("thread CPU clock unreadable")
	}
	time.Sleep(80 * time.Millisecond)
	slept, _ := c.used()
	if slept > 20*time.Millisecond {
		t.Fatalf("sleeping 80ms counted as %v of CPU", slept)
	}
	for d, _ := c.used(); d < slept+30*time.Millisecond; d, _ = c.used() {
	}
	spun, _ := c.used()
	if spun-slept < 30*time.Millisecond {
		t.Fatalf("spinning counted %v", spun-slept)
	}
}
