//go:build unix

package layouts

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used, so
// that benchmarks on a shared machine can report work, not waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
