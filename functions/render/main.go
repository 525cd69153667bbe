// Command slipway-render is the App generator KRM function: it reads a
// ResourceList on stdin and writes it back with every App rendered into the
// objects it stands for. See README.md for the ways to run it.
package main

import (
	"os"

	"github.com/slipway-dev/slipway/functions/cli"
	"github.com/slipway-dev/slipway/functions/krm"
)

func main() {
	krm.TuneGC()
	os.Exit(cli.RenderFunction.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
