// Command slipway-argocd-cmp is the Argo CD Config Management Plugin:
// "generate" renders the Apps of the current directory to a YAML stream on
// stdout, and "discover" prints the files holding an App, so that the plugin
// matches only such directories. See docs/integrations.md.
package main

import (
	"os"

	"github.com/slipway-dev/slipway/functions/krm"
)

func main() {
	krm.TuneGC()
	dir, err := os.Getwd()
	if err != nil {
		os.Stderr.WriteString("slipway-argocd-cmp: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(run(os.Args[1:], dir, os.Getenv, os.Stdout, os.Stderr))
}
