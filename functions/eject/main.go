// Command slipway-eject writes each App as a plain kustomize tree: base/ and
// overlays/<environment>/. With no arguments it is a KRM function (for
// kpt fn render or eval); with arguments it is slipway eject:
//
//	slipway-eject [-o DIR] [--force] PATH...
package main

import (
	"os"

	"github.com/slipway-dev/slipway/functions/cli"
	"github.com/slipway-dev/slipway/functions/krm"
)

func main() {
	krm.TuneGC()
	os.Exit(cli.EjectFunction.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
