package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/slipway-dev/slipway/functions/check"
)

var checkCommand = &command{
	name:    "check",
	summary: "Check every App of a directory tree, and the clashes between them",
	help: `Check every App under a directory, and what clashes between Apps of
different directories.

Usage:
  slipway check [-e ENVIRONMENT] [--platform FILE] [-o text|json|github] [DIR]

DIR (default: the current directory) is read recursively: every *.yaml and
*.yml file, except hidden files and directories and kustomization files.
The Platform is the one Platform of the tree, or the file --platform names;
a second Platform is an error.

Each App is rendered with the Platform as slipway render renders it, and
every problem of its rendering is reported (policy violations included).
Then, among the Apps deployed in one environment, it reports:
  - a routed host or a NodePort used by two Apps;
  - two rendered objects of one identity (API group, kind, namespace, name),
    such as one ExternalSecret declared by two Apps of a namespace;
  - an App defined twice (same namespace and name);
  - as a warning, a Secret an App uses (env secretKeyRef, envFrom secretRef,
    a secret volume) that no ExternalSecret of an App of its namespace
    produces: it may be made by hand.
A clash is reported on the later App, in file order, and names the file of
the earlier one.

Without --environment, the base and every environment an App or the
Platform defines are checked, each finding naming its environment: an App
that does not define an environment is deployed there as its base; an App
annotated slipway.dev/environment (or under an annotated Platform) in that
environment only.

Flags:
  -e, --environment NAME  check this environment only
      --platform FILE     the Platform (one in the tree is then an error)
  -o, --output FORMAT     text (default): one line per finding,
                          "severity: file: App namespace/name: field: message";
                          json: a list of {severity, file, object, field,
                          message, environment} ("" is the base);
                          github: GitHub Actions ::error and ::warning lines
  -h, --help              show this help

Exit codes: 0 no error (warnings allowed); 1 an error was found, or the tree
cannot be read; 2 wrong usage. A summary goes to stderr.

Examples:
  slipway check deploy/
  slipway check -e prod --output json . > findings.json
`,
	run: runCheck,
}

func runCheck(c *call, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var opts check.Options
	output := "text"
	stringFlag(fs, &opts.Environment, "", "e", "environment")
	stringFlag(fs, &output, "text", "o", "output")
	fs.StringVar(&opts.Platform, "platform", "", "")
	paths, code, done := c.parse(fs, args)
	if done {
		return code
	}
	write, ok := checkOutputs[output]
	if !ok {
		return c.usageError(c.prog, "unknown --output %q: text, json or github", output)
	}
	if len(paths) > 1 {
		return c.usageError(c.prog, "takes one directory, not %d arguments", len(paths))
	}
	dir := "."
	if len(paths) == 1 {
		dir = paths[0]
	}
	tuneCheckGC()
	report, err := check.Tree(dir, opts)
	if err != nil {
		return c.fail(err)
	}
	if err := write(c.stdout, report); err != nil {
		return c.fail(fmt.Errorf("writing output: %w", err))
	}
	errs := report.Errors()
	envs := make([]string, len(report.Environments))
	for i, e := range report.Environments {
		envs[i] = environmentName(e)
	}
	fmt.Fprintf(c.stderr, "%s: %d Apps, environments %s: %d errors, %d warnings\n",
		c.prog, report.Apps, strings.Join(envs, ", "), errs, len(report.Findings)-errs)
	if errs > 0 {
		return exitInvalid
	}
	return exitOK
}

var checkOutputs = map[string]func(io.Writer, *check.Report) error{
	"text":   writeCheckText,
	"json":   writeCheckJSON,
	"github": writeCheckGitHub,
}

func environmentName(env string) string {
	if env == "" {
		return "base"
	}
	return env
}

// checkLine is a finding as one line, with its environment when more than
// one is checked.
func checkLine(f check.Finding, r *check.Report) string {
	var parts []string
	for _, p := range []string{f.File, f.Object, f.Field} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	line := strings.Join(append(parts, f.Message), ": ")
	if len(r.Environments) > 1 {
		line += " (" + environmentName(f.Environment) + ")"
	}
	return strings.ReplaceAll(line, "\n", " ")
}

func writeCheckText(w io.Writer, r *check.Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s: %s\n", f.Severity, checkLine(f, r))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCheckJSON(w io.Writer, r *check.Report) error {
	findings := r.Findings
	if findings == nil {
		findings = []check.Finding{} // a list, never null
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(findings)
}

// writeCheckGitHub writes workflow commands that GitHub Actions shows as
// annotations of the file.
func writeCheckGitHub(w io.Writer, r *check.Report) error {
	escape := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	escapeProperty := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	var b strings.Builder
	for _, f := range r.Findings {
		level := "error"
		if f.Severity != check.Error {
			level = "warning"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+escapeProperty.Replace(f.File))
		}
		props = append(props, "title="+escapeProperty.Replace("slipway check ("+environmentName(f.Environment)+")"))
		msg := f.Message
		if f.Field != "" {
			msg = f.Field + ": " + msg
		}
		if f.Object != "" {
			msg = f.Object + ": " + msg
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", level, strings.Join(props, ","), escape.Replace(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tuneCheckGC sets the collector for a check, unless GOGC or GOMEMLIMIT
// are set: a check holds every App of the tree as YAML nodes for the whole
// run (5,000 Apps: about 150 MiB), over the function processes' soft limit
// of 192 MiB, under which the collector would run again and again (25 s
// rather than 2 s). GOGC 100 under a limit of 320 MiB keeps the peak near
// the limit.
func tuneCheckGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(100)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(320 << 20)
	}
}
