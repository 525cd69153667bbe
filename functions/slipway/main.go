// Command slipway is the slipway command line: slipway render, eject and
// the others (slipway --help lists them). See package cli.
package main

import (
	"os"

	"github.com/slipway-dev/slipway/functions/cli"
	"github.com/slipway-dev/slipway/functions/krm"
)

func main() {
	krm.TuneGC()
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
