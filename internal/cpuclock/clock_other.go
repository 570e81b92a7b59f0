//go:build !linux

package cpuclock

import "time"

// Clock counts wall time where a thread's CPU clock cannot be read.
type Clock struct{ wall time.Time }

// Start starts counting.
func Start() (*Clock, func()) { return &Clock{wall: time.Now()}, func() {} }

// Used is the wall time since Start.
func (c *Clock) Used() time.Duration { return time.Since(c.wall) }

// CPU says whether Used counts CPU time: never here.
func (c *Clock) CPU() bool { return false }
