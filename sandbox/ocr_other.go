//go:build !unix

package sandbox

import (
	"os/exec"
	"time"
)

func ownProcessGroup(*exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

func cpuTime(int) (time.Duration, bool) { return 0, false }
