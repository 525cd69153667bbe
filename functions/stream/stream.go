// Package stream renders the Apps read from files and directories into a
// plain YAML stream of manifests, the form that is applied to a cluster: the
// output of the Argo CD plugin's generate and of `slipway render`. Unlike a
// KRM function's output it holds no App, no Platform, no local config and
// no annotation that kpt and kustomize use among themselves.
package stream

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
)

// Output is a rendering as a YAML stream.
type Output struct {
	// YAML is the stream: the input's other objects, in input order, then
	// the objects rendered from each App.
	YAML []byte
	// Apps and Objects count the Apps rendered and the objects of YAML.
	Apps, Objects int
	// Options are those the Apps were rendered with, the environment
	// annotations applied.
	Options generate.Options
	// Warnings are the problems that did not stop the rendering.
	Warnings framework.Results
}

// Render renders every App of the items. Objects other than Apps and
// Platforms pass through, except those marked
// config.kubernetes.io/local-config: "true" and those an earlier rendering
// made (they are replaced). An input without an App is an error: whoever
// applies the stream would otherwise apply, and with pruning delete down
// to, nothing. The problems of the input are returned as a
// framework.Results error, one result each.
func Render(items []*yaml.RNode, opts generate.Options) (*Output, error) {
	apps := 0
	for _, item := range items {
		if v1alpha1.InGroup(item.GetApiVersion()) && item.GetKind() == v1alpha1.KindApp {
			apps++
		}
	}
	if apps == 0 {
		return nil, fmt.Errorf("no %s (apiVersion %s) in the input (of a directory, only the top-level YAML files are read)", v1alpha1.KindApp, v1alpha1.APIVersion)
	}
	exp, results := generate.Expand(items, nil, opts)
	if results.ExitCode() != 0 {
		return nil, results
	}
	var out []*yaml.RNode
	for _, obj := range exp.PassThrough {
		if v1alpha1.InGroup(obj.GetApiVersion()) || krm.IsLocalConfig(obj) {
			continue
		}
		if err := clearInternalAnnotations(obj); err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	out = append(out, exp.PlatformObjects...)
	for _, a := range exp.Apps {
		out = append(out, a.Objects...)
	}
	var buf bytes.Buffer
	encode.SelfContained(out) // no alias whose anchor another object holds
	if err := (kio.ByteWriter{Writer: &buf}).Write(out); err != nil {
		return nil, fmt.Errorf("writing output: %w", err)
	}
	return &Output{YAML: buf.Bytes(), Apps: len(exp.Apps), Objects: len(out), Options: exp.Options, Warnings: results}, nil
}

// Read reads the objects of each path: a YAML file, a directory (its
// top-level YAML files, see YAMLFiles), or "-" for stdin. Each object is
// annotated with the file it came from, named as the path gives it, so that
// messages name it. All of them are one input, held to its limits.
func Read(paths []string, stdin io.Reader) ([]*yaml.RNode, error) {
	var items []*yaml.RNode
	files := krm.NewFileReader()
	for _, p := range paths {
		var nodes []*yaml.RNode
		var err error
		if p == "-" {
			nodes, err = files.Read(stdin, "stdin")
		} else if info, statErr := os.Stat(p); statErr != nil {
			err = statErr
		} else if info.IsDir() {
			nodes, err = readDir(files, p, p)
		} else {
			nodes, err = files.ReadFile(p, p)
		}
		if err != nil {
			return nil, err
		}
		items = append(items, nodes...)
	}
	return items, nil
}

// ReadDir reads the objects of dir's top-level YAML files, each named as
// shown joined with its name (shown may be empty), as one input.
func ReadDir(dir, shown string) ([]*yaml.RNode, error) {
	return readDir(krm.NewFileReader(), dir, shown)
}

func readDir(files *krm.FileReader, dir, shown string) ([]*yaml.RNode, error) {
	names, err := YAMLFiles(dir)
	if err != nil {
		return nil, err
	}
	var items []*yaml.RNode
	for _, name := range names {
		nodes, err := files.ReadFile(filepath.Join(dir, name), filepath.Join(shown, name))
		if err != nil {
			return nil, err
		}
		items = append(items, nodes...)
	}
	return items, nil
}

// KustomizationFiles are the names kustomize reads a kustomization from.
var KustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// YAMLFiles lists the *.yaml and *.yml files directly in dir, by name,
// except hidden files and kustomization files: subdirectories are not read,
// as with Argo CD's own directory source without recurse.
func YAMLFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") || slices.Contains(KustomizationFiles, name) {
			continue
		}
		names = append(names, name)
	}
	return names, nil
}

// clearInternalAnnotations removes the file and index annotations set on
// reading: they would be applied to the cluster.
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
