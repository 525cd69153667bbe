package krm

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings of a function process, unless GOGC or
// GOMEMLIMIT are set in its environment: collect at 200% heap growth rather
// than 100%, under a soft limit of 192 MiB. A function allocates and drops
// most of its memory once per object; so small inputs finish before any
// collection, and large ones (1000 Apps hold about 140 MiB live) collect
// half as often and stay near the limit instead of doubling their live set.
// Above the limit the runtime collects more often, spending at most half of
// the CPU on it; GOMEMLIMIT raises it for very large inputs.
const (
	gcPercent   = 200
	memoryLimit = 192 << 20
)

// TuneGC applies the settings; a function's main calls it first.
func TuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
	}
}
