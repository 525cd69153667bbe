package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/slipway-dev/slipway/schema"
)

var schemaCommand = &command{
	name:    "schema",
	summary: "Print the JSON Schema of the App or of the Platform",
	help: `Print the JSON Schema (draft 2020-12) of the App or of the Platform.

Usage:
  slipway schema app|platform

The same files are schema/app.schema.json and schema/platform.schema.json
in the repository. An editor running yaml-language-server checks a file
that names its schema in a comment:
  # yaml-language-server: $schema=<path or URL of app.schema.json>
The schema checks field names, types and enumerated values; slipway render
checks everything else.

Examples:
  slipway schema app > app.schema.json
`,
	run: runSchema,
}

func runSchema(c *call, args []string) int {
	args, code, done := c.parse(flag.NewFlagSet("schema", flag.ContinueOnError), args)
	if done {
		return code
	}
	if len(args) != 1 {
		return c.usageError(c.prog, "name one kind: app or platform")
	}
	var out []byte
	switch strings.ToLower(args[0]) {
	case "app":
		out = schema.App
	case "platform":
		out = schema.Platform
	default:
		return c.usageError(c.prog, "unknown kind %q: app or platform", args[0])
	}
	if _, err := c.stdout.Write(out); err != nil {
		return c.fail(fmt.Errorf("writing output: %w", err))
	}
	return exitOK
}
