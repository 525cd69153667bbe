package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/importer"
)

var importCommand = &command{
	name:    "import",
	summary: "Turn existing manifests into Apps that render them back",
	help: `Turn existing manifests into Apps.

Usage:
  slipway import [-o DIR] [PATH...]

Reads the objects of each PATH (a file, a directory's top-level YAML files,
or - for stdin; without a PATH, stdin unless it is a terminal): hand-written
manifests, the output of kustomize build or helm template, or objects read
from a cluster. Each Deployment, StatefulSet or Rollout becomes an App, with
the objects that belong to it: the Services that select its pods, the
routes to them, the ExternalSecrets and ConfigMaps it uses, its autoscaler,
disruption budget, service account and monitor, and its workers and jobs.

The App keeps the live selector (spec.compatibility.selector) and the
Service names, so that applying its rendering updates the live objects in
place. Whatever its fields cannot say goes into its patches, and objects it
does not render into its extra objects: rendering the App gives back every
imported object, except for the differences import lists, one per line with
its reason, on stderr (and with -o in DIR/import-report.txt). Objects that
belong to no App are kept beside the Apps, as they are.

Written: without -o, the Apps and then the objects no App claims, as one
YAML stream on stdout, which slipway render renders back; with -o,
DIR/<app>.yaml for each App (DIR/<namespace>.<app>.yaml for Apps of the
same name), DIR/unplaced.yaml and DIR/import-report.txt.

Flags:
  -o, --output DIR  the directory to write the Apps to (it must not hold
                    any of the files)
  -h, --help        show this help

Examples:
  slipway import base/ > apps.yaml && slipway render apps.yaml
  helm template my-release ./chart | slipway import -o apps -
  kubectl get deploy,svc,vs,gw,es,hpa,pdb -n backend -o yaml | slipway import -
`,
	run: runImport,
}

func runImport(c *call, args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	out := ""
	stringFlag(fs, &out, out, "o", "output")
	items, code, done := c.input(fs, args)
	if done {
		return code
	}
	res, err := importer.Import(listItems(items))
	if err != nil {
		return c.fail(err)
	}
	var lost []string
	var report strings.Builder
	var files []outputFile
	names := appFiles(res.Apps)
	for i, a := range res.Apps {
		lost = append(lost, a.Lost...)
		for _, d := range a.Differences {
			fmt.Fprintf(&report, "%s: %s\n", a.App.Name, d)
		}
		files = append(files, outputFile{names[i], []*yaml.RNode{a.Node}})
	}
	if len(lost) > 0 {
		return c.fail(fmt.Errorf("the imported Apps would lose:\n  %s", strings.Join(lost, "\n  ")))
	}
	for _, s := range res.Warnings {
		fmt.Fprintf(&report, "warning: %s\n", s)
	}
	for _, u := range res.Unplaced {
		fmt.Fprintf(&report, "not in any App, kept as it is in %s: %s %s\n", unplacedFile, u.GetKind(), qualified(u))
	}
	fmt.Fprint(c.stderr, report.String())
	if len(res.Unplaced) > 0 {
		files = append(files, outputFile{unplacedFile, res.Unplaced})
	}
	if len(res.Apps) == 0 {
		fmt.Fprintln(c.stderr, "warning: no Deployment, StatefulSet or Rollout in the input, so no App")
	}
	if out == "" {
		return c.write(c.stdout, res.Nodes())
	}
	return c.writeFiles(out, files, report.String())
}

// An outputFile is a file of objects that import writes.
type outputFile struct {
	name  string
	nodes []*yaml.RNode
}

// The files import writes besides the Apps.
const (
	unplacedFile = "unplaced.yaml"
	reportFile   = "import-report.txt"
)

// appFiles names the file of each App: <name>.yaml, or, when another App
// or the unplaced objects' file would have the same name,
// <namespace>.<name>.yaml (and a number after it, should that clash too).
func appFiles(apps []*importer.App) []string {
	count := map[string]int{unplacedFile: 1}
	for _, a := range apps {
		count[a.App.Name+".yaml"]++
	}
	out := make([]string, len(apps))
	taken := map[string]bool{unplacedFile: true, reportFile: true}
	for i, a := range apps {
		name := a.App.Name + ".yaml"
		if count[name] > 1 {
			ns := a.App.Namespace
			if ns == "" {
				ns = "default"
			}
			name = ns + "." + name
		}
		base := strings.TrimSuffix(name, ".yaml")
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s.%d.yaml", base, n)
		}
		taken[name] = true
		out[i] = name
	}
	return out
}

// listItems expands the items of List objects (kubectl get -o yaml).
func listItems(items []*yaml.RNode) []*yaml.RNode {
	var out []*yaml.RNode
	for _, item := range items {
		if item.GetKind() != "List" || item.GetApiVersion() != "v1" {
			out = append(out, item)
			continue
		}
		elements, _ := item.Pipe(yaml.Lookup("items"))
		if elements != nil {
			nodes, _ := elements.Elements()
			out = append(out, nodes...)
		}
	}
	return out
}

func qualified(n *yaml.RNode) string {
	if ns := n.GetNamespace(); ns != "" {
		return ns + "/" + n.GetName()
	}
	return n.GetName()
}

func (c *call) write(w io.Writer, nodes []*yaml.RNode) int {
	data, err := encodeNodes(nodes)
	if err != nil {
		return c.fail(err)
	}
	if _, err := w.Write(data); err != nil {
		return c.fail(fmt.Errorf("writing output: %w", err))
	}
	return exitOK
}

func encodeNodes(nodes []*yaml.RNode) ([]byte, error) {
	var buf bytes.Buffer
	err := (kio.ByteWriter{Writer: &buf}).Write(nodes)
	return buf.Bytes(), err
}

// writeFiles writes every file and the report, or none when one of them
// exists.
func (c *call) writeFiles(dir string, files []outputFile, report string) int {
	data := map[string][]byte{reportFile: []byte(report)}
	names := make([]string, 0, len(files)+1)
	for _, f := range files {
		encoded, err := encodeNodes(f.nodes)
		if err != nil {
			return c.fail(err)
		}
		names, data[f.name] = append(names, f.name), encoded
	}
	names = append(names, reportFile)
	var errs []error
	for _, name := range names {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			errs = append(errs, fmt.Errorf("%s already exists", filepath.Join(dir, name)))
		}
	}
	if len(errs) > 0 {
		return c.fail(errors.Join(errs...))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return c.fail(err)
	}
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), data[name], 0o644); err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stderr, "wrote %s\n", filepath.Join(dir, name))
	}
	return exitOK
}
