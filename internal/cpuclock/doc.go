// Package cpuclock measures the CPU time one goroutine's work takes, for
// budgets that must not depend on how loaded the machine is: a page gets
// the same emulation and de-obfuscation on a busy CI runner as on an idle
// laptop, so its verdict does not change with the load.
//
// Start locks the calling goroutine to its OS thread and reads that
// thread's CPU clock (Linux); elsewhere, or when the clock cannot be read,
// Used falls back to wall time.
package cpuclock
