//go:build !linux

package emulate

import "time"

// threadClock is unavailable here: budgets count wall time.
type threadClock struct{}

func startThreadClock() (*threadClock, func()) { return &threadClock{}, func() {} }

func (c *threadClock) used() (time.Duration, bool) { return 0, false }
