package cpuclock

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// Clock measures the CPU time of the thread that started it. It may be
// read from any goroutine.
type Clock struct {
	id    int32
	start time.Duration
	wall  time.Time
	ok    bool
}

// Start locks the calling goroutine to its thread and starts counting; the
// caller must call the returned function on the same goroutine when done.
func Start() (*Clock, func()) {
	runtime.LockOSThread()
	tid := unix.Gettid()
	// MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED) from the kernel's
	// posix-timers.h: a clock id other threads of the process may read.
	c := &Clock{id: int32(^uint32(tid)<<3) | 6, wall: time.Now()}
	if d, ok := c.read(); ok {
		c.start, c.ok = d, true
	}
	return c, runtime.UnlockOSThread
}

func (c *Clock) read() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(c.id, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}

// Used is the CPU time the thread used since Start, or the wall time when
// its clock cannot be read.
func (c *Clock) Used() time.Duration {
	if c.ok {
		if d, ok := c.read(); ok {
			return d - c.start
		}
	}
	return time.Since(c.wall)
}

// CPU says whether Used counts CPU time (not wall time).
func (c *Clock) CPU() bool { return c.ok }
