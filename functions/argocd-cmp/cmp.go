package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/stream"
	"github.com/slipway-dev/slipway/functions/version"
)

const usage = `usage: slipway-argocd-cmp generate|discover|version

  generate  render the Apps of the current directory's top-level YAML files
            to a YAML stream on stdout (Argo CD CMP "generate")
  discover  print the names of the top-level YAML files holding an App
            (Argo CD CMP "discover": the plugin matches when this prints anything)
  version   print the version (also --version); --help prints this

The environment is the plugin parameter "environment" (ARGOCD_APP_PARAMETERS,
PARAM_ENVIRONMENT) or ARGOCD_ENV_ENVIRONMENT; the Platform shared by the
repository's Apps is the file the parameter "platform" (or PARAM_PLATFORM,
ARGOCD_ENV_PLATFORM) names, from the repository's root; see
docs/integrations.md.
`

// run runs one subcommand in dir and returns the exit code. Nothing reaches
// stdout unless the whole command succeeded: Argo CD applies whatever
// generate prints, and with auto-pruning an empty or partial stream deletes
// what is missing from it.
func run(args []string, dir string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var out []byte
	var err error
	switch args[0] {
	case "generate":
		var opts generate.Options
		var platform string
		if opts, err = options(getenv); err == nil {
			platform, err = platformFile(dir, getenv)
		}
		if err == nil {
			var summary string
			out, summary, err = render(dir, platform, opts)
			if err == nil {
				fmt.Fprintf(stderr, "slipway-argocd-cmp generate: %s\n", summary)
			}
		}
	case "discover":
		out, err = discover(dir)
	case "version", "-version", "--version":
		out = []byte(version.Version + "\n")
	case "-h", "-help", "--help":
		out = []byte(usage)
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "slipway-argocd-cmp %s: %v\n", args[0], err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "slipway-argocd-cmp %s: writing output: %v\n", args[0], err)
		return 1
	}
	return 0
}

// render renders the Apps of dir's top-level YAML files (see stream.Render),
// with the Platform of the file platform when it is not empty, and returns
// the stream and a summary for the log: a line, then one line per warning.
func render(dir, platform string, opts generate.Options) ([]byte, string, error) {
	items, err := stream.ReadDir(dir, "")
	if err != nil {
		return nil, "", err
	}
	if platform != "" {
		shown, _ := filepath.Rel(dir, platform)
		nodes, err := krm.NewFileReader().ReadFile(platform, filepath.ToSlash(shown))
		if err != nil {
			return nil, "", fmt.Errorf("platform: %w", err)
		}
		items = append(items, nodes...)
		// The shared Platform's own objects are the Platform directory's
		// to deploy, not every App directory's.
		opts.SharedPlatform = true
	}
	out, err := stream.Render(items, opts)
	var results framework.Results
	if errors.As(err, &results) {
		msgs := make([]string, 0, len(results))
		for _, r := range results {
			msgs = append(msgs, krm.FormatResult(r))
		}
		return nil, "", fmt.Errorf("%d problem(s):\n%s", len(msgs), strings.Join(msgs, "\n"))
	}
	if err != nil {
		return nil, "", err
	}
	summary := fmt.Sprintf("%d App(s), environment %q, default namespace %q: %d object(s)", out.Apps, out.Options.Environment, opts.DefaultNamespace, out.Objects)
	for _, r := range out.Warnings { // shown in the Argo CD repo-server log
		summary += fmt.Sprintf("\n%s: %s", r.Severity, krm.FormatResult(r))
	}
	return out.YAML, summary, nil
}

// discover lists the top-level YAML files of dir that hold an App, unless
// dir is a kustomization: Argo CD prefers a matching plugin to its own
// kustomize, and a kustomization runs slipway itself as a generator.
func discover(dir string) ([]byte, error) {
	for _, name := range stream.KustomizationFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil, nil
		}
	}
	names, err := stream.YAMLFiles(dir)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if holdsApp(data) {
			fmt.Fprintln(&out, name)
		}
	}
	return out.Bytes(), nil
}

func holdsApp(data []byte) bool {
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		// A broken file that mentions our API still matches, so that
		// generate runs and reports the problem rather than Argo CD
		// applying the directory as plain manifests.
		return bytes.Contains(data, []byte(v1alpha1.Group+"/"))
	}
	for _, n := range nodes {
		if v1alpha1.InGroup(n.GetApiVersion()) && n.GetKind() == v1alpha1.KindApp {
			return true
		}
	}
	return false
}
