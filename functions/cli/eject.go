package cli

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/kustomizetree"
)

var ejectCommand = &command{
	name:    "eject",
	summary: "Write each App as a plain kustomize tree: base/ and overlays/<environment>/",
	help: `Write each App as a plain kustomize tree, to leave slipway.

Usage:
  slipway eject [-o DIR] [--force] [PATH...]

Reads the Apps (and the Platform among them) of each PATH, as slipway render
does (a file, a directory's top-level YAML files, or - for stdin; without a
PATH, stdin unless it is a terminal), and writes DIR/<app>/base/ and
DIR/<app>/overlays/<environment>/: kustomize build of an overlay gives what
slipway render -e <environment> gives. All trees are written, or none.

Flags:
  -o, --output DIR  the directory to write the trees under, one directory per
                    App (default: the current directory)
      --force       replace an App's directory that exists (everything in it
                    is deleted)
  -h, --help        show this help
`,
	run: runEject,
}

func runEject(c *call, args []string) int {
	fs := flag.NewFlagSet("eject", flag.ContinueOnError)
	out := "."
	stringFlag(fs, &out, out, "o", "output")
	force := fs.Bool("force", false, "")
	items, code, done := c.input(fs, args)
	if done {
		return code
	}
	trees, results := kustomizetree.Build(items)
	if results.ExitCode() != 0 {
		krm.PrintError(c.stderr, results)
		return exitInvalid
	}
	for _, r := range results {
		fmt.Fprintf(c.stderr, "%s: %s\n", r.Severity, krm.FormatResult(r))
	}
	if err := kustomizetree.Write(out, trees, *force); err != nil {
		return c.fail(err)
	}
	for _, t := range trees {
		fmt.Fprintf(c.stderr, "wrote %d files to %s\n", len(t.Files), filepath.Join(out, t.Dir))
	}
	return exitOK
}
