package cli

import (
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/kustomizetree"
	"github.com/slipway-dev/slipway/functions/version"
)

// Function is a KRM function binary. kpt and kustomize run it with no
// arguments and a ResourceList on stdin; a person gets an answer instead
// of a process waiting for input.
type Function struct {
	Name      string // the binary: slipway-render
	Help      string // what --help prints
	Processor framework.ResourceListProcessor
	// Command, if set, is the slipway subcommand the binary runs when given
	// arguments (slipway-eject -o DIR FILE...).
	Command *command
}

// RenderFunction is slipway-render.
var RenderFunction = &Function{
	Name:      "slipway-render",
	Processor: generate.Processor{},
	Help: `slipway-render is the App generator KRM function, for kustomize and kpt.

Usage:
  slipway-render < resource-list.yaml

It reads a ResourceList on stdin and writes it on stdout with every App
rendered; see docs/integrations.md. To render files, run:
  slipway render [-e ENVIRONMENT] PATH...

Flags:
  -h, --help     show this help
      --version  print the version
`,
}

// EjectFunction is slipway-eject.
var EjectFunction = &Function{
	Name:      "slipway-eject",
	Processor: kustomizetree.Processor{},
	Command:   ejectCommand,
	Help: `slipway-eject writes each App as a plain kustomize tree.

Usage:
  slipway-eject < resource-list.yaml           as a KRM function (kpt)
  slipway-eject [-o DIR] [--force] PATH...     as slipway eject

As a KRM function it adds the trees to the package; see README.md. Given
arguments, it is slipway eject: slipway eject --help tells more.

Flags:
  -h, --help     show this help
      --version  print the version
`,
}

// Run runs the binary with args (the arguments after the program name) and
// returns its exit code.
func (f *Function) Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &call{prog: f.Name, cmd: &command{help: f.Help}, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 1 {
		switch args[0] {
		case "-h", "-help", "--help":
			return c.printHelp(c.cmd)
		case "-version", "--version":
			fmt.Fprintln(stdout, version.Version)
			return exitOK
		}
	}
	switch {
	case len(args) > 0 && f.Command != nil:
		c.cmd = f.Command
		return f.Command.run(c, args)
	case len(args) > 0:
		return c.usageError(f.Name, "takes no arguments: it reads a ResourceList on stdin (slipway render PATH... renders files)")
	case isTerminal(stdin):
		return c.usageError(f.Name, "stdin is a terminal: pipe a ResourceList into it")
	}
	return krm.Run(f.Processor, stdin, stdout, stderr)
}
