// Package cli is the slipway command line: the slipway command and its
// subcommands, and the arguments of the KRM function binaries
// (slipway-render, slipway-eject). It follows kubectl's conventions:
// subcommands, -h/--help on each, flags before or after the arguments,
// errors on stderr, and exit codes 0 (success), 1 (invalid input) and 2
// (usage).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/slipway-dev/slipway/functions/version"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // the input is wrong, or cannot be read or written
	exitUsage   = 2 // the command line is wrong
)

// command is a subcommand of slipway.
type command struct {
	name    string
	summary string // one line, for slipway --help
	help    string // for slipway <name> --help
	run     func(c *call, args []string) int
}

// commands are slipway's subcommands, in the order help lists them. A new
// subcommand is a file holding its command and run function, and a line
// here.
var commands = []*command{
	renderCommand,
	ejectCommand,
	importCommand,
	checkCommand,
	schemaCommand,
	versionCommand,
}

const help = `slipway expands compact App specs, with a Platform's defaults, into
Kubernetes manifests.

Usage:
  slipway COMMAND [flags] [ARGS...]

Commands:
%s
Flags:
  -h, --help     show this help, or a command's: slipway COMMAND --help
      --version  print the version

Exit codes: 0 success; 1 invalid input (every problem is printed on stderr);
2 wrong usage. The KRM functions (slipway-render, slipway-eject) and the
Argo CD plugin (slipway-argocd-cmp) are binaries of their own, for kustomize,
kpt and Argo CD: see docs/integrations.md.
`

// Run runs the slipway command with args (the arguments after the program
// name) and returns its exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &call{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		return c.printHelp(nil)
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return c.printHelp(nil)
	case "help":
		if len(args) == 1 {
			return c.printHelp(nil)
		}
		cmd := find(args[1])
		if cmd == nil {
			return c.usageError("slipway", "unknown command %q", args[1])
		}
		return c.printHelp(cmd)
	case "-version", "--version":
		c.prog, c.cmd = "slipway version", versionCommand
		return versionCommand.run(c, nil)
	}
	cmd := find(args[0])
	if cmd == nil {
		return c.usageError("slipway", "unknown command %q", args[0])
	}
	c.prog, c.cmd = "slipway "+cmd.name, cmd
	return cmd.run(c, args[1:])
}

func find(name string) *command {
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd
		}
	}
	return nil
}

// call is one run of a command.
type call struct {
	cmd            *command
	prog           string // as messages name it: "slipway render"
	stdin          io.Reader
	stdout, stderr io.Writer
}

// printHelp prints slipway's help, or a command's, on stdout.
func (c *call) printHelp(cmd *command) int {
	if cmd != nil {
		fmt.Fprint(c.stdout, cmd.help)
		return exitOK
	}
	var list strings.Builder
	for _, cmd := range commands {
		fmt.Fprintf(&list, "  %-8s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(c.stdout, help, list.String())
	return exitOK
}

// usageError reports a wrong command line.
func (c *call) usageError(prog, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\nRun '%s --help' for usage.\n", prog, fmt.Sprintf(format, args...), prog)
	return exitUsage
}

// fail reports invalid input.
func (c *call) fail(err error) int {
	fmt.Fprintf(c.stderr, "error: %v\n", err)
	return exitInvalid
}

// parse parses the flags defined on fs, before, between or after the
// arguments, as kubectl does ("--" ends the flags), and returns the
// arguments. done is set, with the exit code, when the command has nothing
// more to do: help was asked for, or the flags are wrong.
func (c *call) parse(fs *flag.FlagSet, args []string) (positional []string, code int, done bool) {
	fs.SetOutput(io.Discard) // the command's help is its own
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.stdout, c.cmd.help)
			return nil, exitOK, true
		}
		if err != nil {
			return nil, c.usageError(c.prog, "%v", err), true
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), exitOK, false
		}
		if len(rest) == 0 {
			return positional, exitOK, false
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// stringFlag defines a string flag under each of its names (a short and a
// long one: -o and --output), with one value.
func stringFlag(fs *flag.FlagSet, value *string, def string, names ...string) {
	for _, name := range names {
		fs.StringVar(value, name, def, "")
	}
}

// isTerminal reports whether r is a terminal or another character device
// (such as /dev/null), rather than a pipe or a file: a command does not wait
// for a person to type YAML.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

var versionCommand = &command{
	name:    "version",
	summary: "Print the version",
	help: `Print the version of slipway.

Usage:
  slipway version
`,
	run: func(c *call, args []string) int {
		args, code, done := c.parse(flag.NewFlagSet("version", flag.ContinueOnError), args)
		if done {
			return code
		}
		if len(args) > 0 {
			return c.usageError(c.prog, "takes no arguments")
		}
		fmt.Fprintln(c.stdout, version.Version)
		return exitOK
	},
}
