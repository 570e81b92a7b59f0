package emulate

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// threadClock measures the CPU time of the thread the emulation runs on,
// so that the budget counts the work the page made us do, not the time
// the process waited for a core on a loaded machine: a budget in wall
// time made verdicts depend on the machine's load.
type threadClock struct {
	id    int32
	start time.Duration
	ok    bool
}

// startThreadClock locks the calling goroutine to its thread (the caller
// must call stop on the same goroutine) and starts counting.
func startThreadClock() (*threadClock, func()) {
	runtime.LockOSThread()
	tid := unix.Gettid()
	// MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED) from the kernel's
	// posix-timers.h: a clock id other threads of the process may read.
	c := &threadClock{id: int32(^uint32(tid)<<3) | 6}
	if d, ok := c.read(); ok {
		c.start, c.ok = d, true
	}
	return c, runtime.UnlockOSThread
}

func (c *threadClock) read() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(c.id, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}

// used is the CPU time used since start; ok is false when the clock
// cannot be read (the caller falls back to wall time).
func (c *threadClock) used() (time.Duration, bool) {
	if !c.ok {
		return 0, false
	}
	d, ok := c.read()
	if !ok {
		return 0, false
	}
	return d - c.start, true
}
