// Command noopfn is the I/O floor of a KRM function in our stack: it reads
// a ResourceList and writes it back unchanged, through the same reader,
// limits and writer as slipway-render, doing no work in between. The
// whole-process benchmark (hack/bench.sh) compares the render function with
// it. It is a benchmark tool, not a shipped function.
package main

import (
	"os"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"

	"github.com/slipway-dev/slipway/functions/krm"
)

func main() {
	krm.TuneGC()
	noop := framework.ResourceListProcessorFunc(func(*framework.ResourceList) error { return nil })
	os.Exit(krm.Run(noop, os.Stdin, os.Stdout, os.Stderr))
}
