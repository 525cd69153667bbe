package kustomizetree

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// OptionDirectory is the function config (ConfigMap) key naming the package
// directory the trees are written under. Default: the package root.
const OptionDirectory = "directory"

// Processor is the eject KRM function: it adds each App's tree to the
// package, as items whose path annotations place them, replacing the tree of
// an earlier eject. It refuses to replace a file that eject did not write.
type Processor struct{}

// Process implements framework.ResourceListProcessor.
func (Processor) Process(rl *framework.ResourceList) error {
	dir, results := directory(rl.FunctionConfig)
	trees, res := Build(rl.Items)
	results = append(results, res...)
	if results.ExitCode() != 0 {
		rl.Results = append(rl.Results, results...)
		return results
	}
	roots := make([]string, len(trees))
	for i, t := range trees {
		roots[i] = path.Join(dir, t.Dir) + "/"
	}
	var kept []*yaml.RNode
	for _, item := range rl.Items {
		file, _, _ := kioutil.GetFileAnnotations(item)
		if !underAny(file, roots) {
			kept = append(kept, item)
			continue
		}
		if !ejected(item) {
			results = append(results, &framework.Result{Severity: framework.Error,
				File:    &framework.File{Path: file},
				Message: fmt.Sprintf("refusing to replace %s %s, which eject did not write; move it or the App", item.GetKind(), item.GetName())})
		}
	}
	if results.ExitCode() != 0 {
		rl.Results = append(rl.Results, results...)
		return results
	}
	for _, t := range trees {
		for _, f := range t.Files {
			for i, obj := range f.Objects {
				if err := krm.SetFile(obj, path.Join(dir, f.Path), i); err != nil {
					return err
				}
				kept = append(kept, obj)
			}
		}
	}
	rl.Items = kept
	return nil
}

// ejected reports whether an item is one that eject writes.
func ejected(item *yaml.RNode) bool {
	return item.GetLabels()[manifests.LabelManagedBy] == manifests.ManagedBy ||
		item.GetAnnotations()[AnnotationEjectedFrom] != ""
}

func underAny(file string, roots []string) bool {
	for _, root := range roots {
		if strings.HasPrefix(path.Clean(file), root) {
			return true
		}
	}
	return false
}

func directory(config *yaml.RNode) (string, framework.Results) {
	if config == nil || config.YNode() == nil || len(config.YNode().Content) == 0 {
		return ".", nil
	}
	var results framework.Results
	dir := "."
	data := config.GetDataMap()
	for _, k := range slices.Sorted(maps.Keys(data)) {
		v := data[k]
		if k != OptionDirectory {
			results = append(results, generate.ConfigResult(config, "data."+k, "unknown option; known: "+OptionDirectory))
			continue
		}
		dir = path.Clean(v)
		if path.IsAbs(dir) || strings.HasPrefix(dir, "..") {
			results = append(results, generate.ConfigResult(config, "data."+k, fmt.Sprintf("%q must be a relative path inside the package", v)))
		}
	}
	return dir, results
}
