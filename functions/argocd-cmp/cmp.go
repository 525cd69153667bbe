package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/version"
)

const usage = `usage: slipway-argocd-cmp generate|discover|version

  generate  render the Apps of the current directory's top-level YAML files
            to a YAML stream on stdout (Argo CD CMP "generate")
  discover  print the names of the top-level YAML files holding an App
            (Argo CD CMP "discover": the plugin matches when this prints anything)
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
		if opts, err = options(getenv); err == nil {
			var summary string
			out, summary, err = render(dir, opts)
			if err == nil {
				fmt.Fprintf(stderr, "slipway-argocd-cmp generate: %s\n", summary)
			}
		}
	case "discover":
		out, err = discover(dir)
	case "version":
		out = []byte(version.Version + "\n")
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

// render renders the Apps of dir's top-level YAML files and returns the YAML
// stream of the rendered objects and of the other manifests found there,
// without Apps, Platforms and local-config objects, and a summary for the
// log: a line, then one line per warning.
func render(dir string, opts generate.Options) ([]byte, string, error) {
	items, err := readDir(dir)
	if err != nil {
		return nil, "", err
	}
	apps := 0
	for _, item := range items {
		if v1alpha1.InGroup(item.GetApiVersion()) && item.GetKind() == v1alpha1.KindApp {
			apps++
		}
	}
	if apps == 0 {
		// Discover matched, or the plugin was named, yet there is nothing to
		// render: an empty stream would make Argo CD prune the application.
		return nil, "", fmt.Errorf("no %s (apiVersion %s) in the top-level YAML files of the directory", v1alpha1.KindApp, v1alpha1.APIVersion)
	}
	rendered, results := generate.Render(items, nil, opts)
	if results.ExitCode() != 0 {
		msgs := make([]string, 0, len(results))
		for _, r := range results {
			msgs = append(msgs, krm.FormatResult(r))
		}
		return nil, "", fmt.Errorf("%d problem(s):\n%s", len(msgs), strings.Join(msgs, "\n"))
	}
	var out []*yaml.RNode
	for _, obj := range rendered {
		if v1alpha1.InGroup(obj.GetApiVersion()) || krm.IsLocalConfig(obj) {
			continue
		}
		if err := clearInternalAnnotations(obj); err != nil {
			return nil, "", err
		}
		out = append(out, obj)
	}
	var buf bytes.Buffer
	encode.SelfContained(out)
	if err := (kio.ByteWriter{Writer: &buf}).Write(out); err != nil {
		return nil, "", fmt.Errorf("writing output: %w", err)
	}
	summary := fmt.Sprintf("%d App(s), environment %q, default namespace %q: %d object(s)", apps, opts.Environment, opts.DefaultNamespace, len(out))
	for _, r := range results { // warnings, shown in the Argo CD repo-server log
		summary += fmt.Sprintf("\n%s: %s", r.Severity, krm.FormatResult(r))
	}
	return buf.Bytes(), summary, nil
}

// discover lists the top-level YAML files of dir that hold an App, unless
// dir is a kustomization: Argo CD prefers a matching plugin to its own
// kustomize, and a kustomization runs slipway itself as a generator.
func discover(dir string) ([]byte, error) {
	for _, name := range kustomizationFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil, nil
		}
	}
	names, err := yamlFiles(dir)
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

// kustomizationFiles are the names kustomize reads a kustomization from.
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// yamlFiles lists the *.yaml and *.yml files directly in dir, by name,
// except hidden files and kustomization files: subdirectories are not read,
// as with Argo CD's own directory source without recurse.
func yamlFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") || slices.Contains(kustomizationFiles, name) {
			continue
		}
		names = append(names, name)
	}
	return names, nil
}

// readDir reads the objects of dir's YAML files, each annotated with its
// file and index so that error results name the file, within the limits of
// one input.
func readDir(dir string) ([]*yaml.RNode, error) {
	names, err := yamlFiles(dir)
	if err != nil {
		return nil, err
	}
	var items []*yaml.RNode
	files := krm.NewFileReader()
	for _, name := range names {
		nodes, err := files.Read(filepath.Join(dir, name), name)
		if err != nil {
			return nil, err
		}
		items = append(items, nodes...)
	}
	return items, nil
}

// clearInternalAnnotations removes the file and index annotations set on
// reading or by the renderer: Argo CD would apply them to the cluster.
func clearInternalAnnotations(n *yaml.RNode) error {
	annotations := n.GetAnnotations()
	for k := range annotations {
		if strings.HasPrefix(k, "internal.config.kubernetes.io/") || k == kioutil.LegacyPathAnnotation ||
			k == kioutil.LegacyIndexAnnotation || k == kioutil.LegacyIdAnnotation {
			delete(annotations, k)
		}
	}
	return n.SetAnnotations(annotations)
}
