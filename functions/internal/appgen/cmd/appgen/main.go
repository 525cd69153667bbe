// Command appgen writes a ResourceList of n generated Apps to stdout, the
// input of the whole-process benchmarks (hack/bench.sh).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/slipway-dev/slipway/functions/internal/appgen"
)

func main() {
	n := flag.Int("n", 1, "number of Apps")
	seed := flag.Uint64("seed", 42, "seed of the generator")
	flag.Parse()
	data, err := appgen.ResourceList(*seed, *n)
	if err == nil {
		_, err = os.Stdout.Write(data)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
