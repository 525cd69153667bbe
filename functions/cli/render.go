package cli

import (
	"flag"
	"fmt"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/stream"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

var renderCommand = &command{
	name:    "render",
	summary: "Render Apps into Kubernetes manifests, printed as one YAML stream",
	help: `Render the Apps of files and directories into Kubernetes manifests.

Usage:
  slipway render [-e ENVIRONMENT] [-n NAMESPACE] [PATH...]

Each PATH is a YAML file, a directory (its top-level *.yaml and *.yml files,
as the Argo CD plugin reads it: not subdirectories, hidden files or
kustomization files), or - for stdin. Without a PATH, stdin is read, unless
it is a terminal.

Printed on stdout, as one YAML stream for kubectl apply -f -: the objects of
the input other than Apps and Platforms, in input order (except objects
annotated config.kubernetes.io/local-config: "true", and objects of an
earlier rendering, which the new one replaces), then the Platform's own
objects (its tenants', its Argo CD Applications), then the objects rendered
from each App. Warnings go to stderr. On any problem nothing is printed on
stdout, every problem is printed on stderr, and the exit code is 1.

Flags:
  -e, --environment NAME  the environment to render; without it, the one the
                          annotation slipway.dev/environment of the Apps or
                          the Platform names, or else the base. An annotation
                          that names another one is an error.
  -n, --namespace NAME    the namespace of the Apps for which neither the App
                          nor the Platform sets one
  -h, --help              show this help

Examples:
  slipway render examples/quickstart/app.yaml
  slipway render -e prod examples/platform-team
  slipway render - < app.yaml | kubectl apply -f -
`,
	run: runRender,
}

func runRender(c *call, args []string) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	var opts generate.Options
	stringFlag(fs, &opts.Environment, "", "e", "environment")
	stringFlag(fs, &opts.DefaultNamespace, "", "n", "namespace")
	opts.EnvironmentFrom = "--environment"
	items, code, done := c.input(fs, args)
	if done {
		return code
	}
	out, err := stream.Render(items, opts)
	if err != nil {
		krm.PrintError(c.stderr, err)
		return exitInvalid
	}
	for _, r := range out.Warnings {
		fmt.Fprintf(c.stderr, "%s: %s\n", r.Severity, krm.FormatResult(r))
	}
	if _, err := c.stdout.Write(out.YAML); err != nil {
		return c.fail(fmt.Errorf("writing output: %w", err))
	}
	return exitOK
}

// input parses a command's flags and reads the items of its paths.
func (c *call) input(fs *flag.FlagSet, args []string) ([]*yaml.RNode, int, bool) {
	paths, code, done := c.parse(fs, args)
	if done {
		return nil, code, true
	}
	return c.read(paths)
}

// read reads the items of the paths a command is given, or of stdin ("-")
// when none is given and stdin is not a terminal. Stdin can be read once.
func (c *call) read(paths []string) ([]*yaml.RNode, int, bool) {
	if len(paths) == 0 {
		if isTerminal(c.stdin) {
			return nil, c.usageError(c.prog, "no input: give files or directories, or - to read stdin"), true
		}
		paths = []string{"-"}
	}
	if n := countStdin(paths); n > 1 {
		return nil, c.usageError(c.prog, "- (stdin) is given %d times; it can be read once", n), true
	}
	items, err := stream.Read(paths, c.stdin)
	if err != nil {
		return nil, c.fail(err), true
	}
	return items, exitOK, false
}

func countStdin(paths []string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	return n
}
