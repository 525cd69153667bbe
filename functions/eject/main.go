// Command slipway-eject writes each App as a plain kustomize tree: base/ and
// overlays/<environment>/. With no arguments it is a KRM function (for
// kpt fn render or eval); with arguments it is a command:
//
//	slipway-eject [-o DIR] [--force] FILE...
//
// reads Apps (and a Platform) from the files and writes DIR/<app>/.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/kustomizetree"
)

func main() {
	krm.TuneGC()
	if len(os.Args) == 1 {
		os.Exit(krm.Run(kustomizetree.Processor{}, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("slipway-eject", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("o", ".", "directory to write the trees under, one directory per App")
	force := flags.Bool("force", false, "replace an App's directory that already exists")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: slipway-eject [-o DIR] [--force] FILE...")
		fmt.Fprintln(stderr, "Writes each App of the files (with the Platform among them) as DIR/<app>/base and DIR/<app>/overlays/<environment>.")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	var items []*yaml.RNode
	files := krm.NewFileReader()
	for _, name := range flags.Args() {
		nodes, err := files.Read(name, name)
		if err != nil {
			fmt.Fprintln(stderr, "error:", err)
			return 1
		}
		items = append(items, nodes...)
	}
	trees, results := kustomizetree.Build(items)
	if results.ExitCode() != 0 {
		for _, r := range results {
			fmt.Fprintln(stderr, "error:", r.Message)
		}
		return 1
	}
	if err := kustomizetree.Write(*out, trees, *force); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	for _, t := range trees {
		fmt.Fprintf(stderr, "wrote %d files to %s\n", len(t.Files), t.Dir)
	}
	return 0
}
