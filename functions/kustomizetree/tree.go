// Package kustomizetree ejects Apps into plain kustomize trees: for each App
// a base/ with one file per kind of object and an overlays/<environment>/ per
// environment holding the smallest patches that turn the base into that
// environment. `kustomize build overlays/<env>` gives exactly what rendering
// the App for <env> gives, so a team can leave slipway without losing
// anything.
package kustomizetree

import (
	"fmt"
	"path"
	"reflect"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/filters"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// File is one file of a tree.
type File struct {
	// Path is relative to the tree's root: "<app>/base/deployment.yaml".
	Path    string
	Objects []*yaml.RNode
}

// Tree is the ejected tree of one App.
type Tree struct {
	// Dir is the App's directory, relative to the root: its name.
	Dir   string
	Files []File
}

// AnnotationEjectedFrom marks the kustomization objects of a tree.
const AnnotationEjectedFrom = "slipway.dev/ejected-from"

// Build ejects every App of the items (with the Platform among them, if
// any). It returns every problem as an error result, and trees only when
// there is none.
func Build(items []*yaml.RNode) ([]Tree, framework.Results) {
	if results := refuseEnvironment(items); len(results) > 0 {
		return nil, results
	}
	base, results := generate.Expand(copyNodes(items), nil, generate.Options{})
	if results.ExitCode() != 0 {
		return nil, results
	}
	byEnv := map[string]*generate.Expansion{}
	var platformEnvs []string
	if len(base.PlatformObjects) > 0 {
		platformEnvs = base.PlatformEnvironments
	}
	envLists := [][]string{platformEnvs}
	for _, a := range base.Apps {
		envLists = append(envLists, a.Environments)
	}
	for _, envs := range envLists {
		for _, env := range envs {
			if byEnv[env] != nil {
				continue
			}
			exp, res := generate.Expand(copyNodes(items), nil, generate.Options{Environment: env})
			results = append(results, res...)
			byEnv[env] = exp
		}
	}
	if results.ExitCode() != 0 {
		return nil, results
	}
	trees := make([]Tree, 0, len(base.Apps)+1)
	if len(base.PlatformObjects) > 0 {
		tree, err := platformTree(base, byEnv, platformEnvs)
		if err != nil {
			return nil, append(results, &framework.Result{Severity: framework.Error, Message: "Platform " + base.Platform.Name + ": eject: " + err.Error()})
		}
		trees = append(trees, tree)
	}
	for _, a := range base.Apps {
		id := a.App.Namespace + "/" + a.App.Name
		tree := Tree{Dir: a.App.Name}
		files, err := baseFiles(a.Objects, id)
		if err != nil {
			return nil, append(results, errorResult(id, err))
		}
		tree.Files = append(tree.Files, files...)
		for _, env := range a.Environments {
			files, err := overlayFiles(env, a.Objects, appIn(byEnv[env], a.InputID()).Objects, id, objectID)
			if err != nil {
				return nil, append(results, errorResult(id, err))
			}
			tree.Files = append(tree.Files, files...)
		}
		for j := range tree.Files {
			tree.Files[j].Path = path.Join(tree.Dir, tree.Files[j].Path)
		}
		trees = append(trees, tree)
	}
	return trees, results
}

// platformID stands for the Platform where an App's namespace/name would.
const platformID = "platform:"

// PlatformDir is the directory of the Platform's own objects (tenants,
// Argo CD Applications) in an ejected tree, beside the Apps' directories.
func PlatformDir(platform string) string { return "platform-" + platform }

// platformTree ejects the Platform's own objects as the Apps' are: a base,
// and an overlay per environment of the Platform.
func platformTree(base *generate.Expansion, byEnv map[string]*generate.Expansion, envs []string) (Tree, error) {
	tree := Tree{Dir: PlatformDir(base.Platform.Name)}
	for _, a := range base.Apps {
		if a.App.Name == tree.Dir {
			return Tree{}, fmt.Errorf("its directory %q is App %s's too: rename one", tree.Dir, a.InputID())
		}
	}
	id := platformID + base.Platform.Name
	files, err := baseFiles(base.PlatformObjects, id)
	if err != nil {
		return Tree{}, err
	}
	tree.Files = files
	for _, env := range envs {
		files, err := overlayFiles(env, base.PlatformObjects, byEnv[env].PlatformObjects, id, platformObjectID)
		if err != nil {
			return Tree{}, err
		}
		tree.Files = append(tree.Files, files...)
	}
	for j := range tree.Files {
		tree.Files[j].Path = path.Join(tree.Dir, tree.Files[j].Path)
	}
	return tree, nil
}

// refuseEnvironment reports every App and Platform annotated with an
// environment: eject writes the base and every environment, so it cannot
// honour an annotation that selects one, and does not ignore it either.
func refuseEnvironment(items []*yaml.RNode) framework.Results {
	var results framework.Results
	for _, item := range items {
		if _, ok := item.GetAnnotations()[generate.AnnotationEnvironment]; !ok || !v1alpha1.InGroup(item.GetApiVersion()) {
			continue
		}
		r := &framework.Result{
			Severity: framework.Error,
			Message:  "eject writes the base and an overlay per environment, and this annotation selects one: remove it (kustomize build overlays/<environment> renders that environment)",
			ResourceRef: &yaml.ResourceIdentifier{TypeMeta: yaml.TypeMeta{APIVersion: item.GetApiVersion(), Kind: item.GetKind()},
				NameMeta: yaml.NameMeta{Name: item.GetName(), Namespace: item.GetNamespace()}},
			Field: &framework.Field{Path: "metadata.annotations[" + generate.AnnotationEnvironment + "]"},
		}
		if file, index, _ := kioutil.GetFileAnnotations(item); file != "" {
			r.File = &framework.File{Path: file}
			r.File.Index, _ = strconv.Atoi(index)
		}
		results = append(results, r)
	}
	return results
}

// kustomization is a kustomize Kustomization file.
type kustomization struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   kustomizationMeta `json:"metadata"`
	Resources  []string          `json:"resources,omitempty"`
	Patches    []patch           `json:"patches,omitempty"`
}

// kustomizationMeta names the kustomization and marks it as eject's own, so
// that a later eject may replace it and kpt does not apply it.
type kustomizationMeta struct {
	Name        string            `json:"name"`
	Annotations map[string]string `json:"annotations"`
}

type patch struct {
	Target *target `json:"target,omitempty"`
	Patch  string  `json:"patch"`
}

type target struct {
	Group     string `json:"group,omitempty"`
	Version   string `json:"version"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

func newKustomization(name, app string) *kustomization {
	from := "App " + app
	if platform, ok := strings.CutPrefix(app, platformID); ok {
		from = "Platform " + platform
	}
	return &kustomization{
		APIVersion: "kustomize.config.k8s.io/v1beta1",
		Kind:       "Kustomization",
		Metadata: kustomizationMeta{Name: name, Annotations: map[string]string{
			AnnotationEjectedFrom:         from,
			filters.LocalConfigAnnotation: "true",
		}},
	}
}

// kustomizationName names the kustomizations of an App ("namespace-name")
// or of the Platform ("platform-name").
func kustomizationName(app string) string {
	return strings.NewReplacer("/", "-", ":", "-").Replace(strings.TrimPrefix(app, "/"))
}

// baseFiles are the App's objects grouped into one file per kind, plus the
// kustomization that lists them, in the order the objects render.
func baseFiles(objects []*yaml.RNode, app string) ([]File, error) {
	files := groupByKind(objects, "base")
	k := newKustomization(kustomizationName(app)+"-base", app)
	for _, f := range files {
		k.Resources = append(k.Resources, path.Base(f.Path))
	}
	kfile, err := kustomizationFile("base", k)
	if err != nil {
		return nil, err
	}
	return append(files, kfile), nil
}

// overlayFiles turn the base into the environment: objects only the
// environment has are added as resources, objects it lacks are deleted, and
// the others get a JSON 6902 patch of exactly the fields that differ.
//
// objectID identifies an object across environments (objectID for an App's,
// platformObjectID for the Platform's).
func overlayFiles(env string, base, rendered []*yaml.RNode, app string, objectID func(*yaml.RNode) string) ([]File, error) {
	dir := path.Join("overlays", env)
	k := newKustomization(kustomizationName(app)+"-"+env, app)
	k.Resources = []string{"../../base"}
	baseByID := map[string]*yaml.RNode{}
	for _, obj := range base {
		baseByID[objectID(obj)] = obj
	}
	var added []*yaml.RNode
	seen := map[string]bool{}
	for _, obj := range rendered {
		id := objectID(obj)
		seen[id] = true
		from, ok := baseByID[id]
		if !ok {
			added = append(added, obj)
			continue
		}
		ops, err := diffObjects(from, obj)
		if err != nil {
			return nil, err
		}
		if len(ops) == 0 {
			continue
		}
		text, err := yaml.Marshal(ops)
		if err != nil {
			return nil, err
		}
		k.Patches = append(k.Patches, patch{Target: targetOf(from), Patch: survivingTrim(text)})
	}
	for _, obj := range base {
		if !seen[objectID(obj)] {
			k.Patches = append(k.Patches, patch{Patch: deletePatch(obj)})
		}
	}
	files := groupByKind(added, dir)
	for _, f := range files {
		k.Resources = append(k.Resources, path.Base(f.Path))
	}
	kfile, err := kustomizationFile(dir, k)
	if err != nil {
		return nil, err
	}
	return append(files, kfile), nil
}

func kustomizationFile(dir string, k *kustomization) (File, error) {
	node, err := encode.Object(k)
	if err != nil {
		return File{}, err
	}
	return File{Path: path.Join(dir, "kustomization.yaml"), Objects: []*yaml.RNode{node}}, nil
}

// groupByKind puts objects into one file per kind, named after the kind
// ("virtual-service.yaml"; Services share "services.yaml"), in order of
// first appearance.
func groupByKind(objects []*yaml.RNode, dir string) []File {
	var files []File
	index := map[string]int{}
	for _, obj := range objects {
		name := path.Join(dir, manifests.FileName(obj.GetKind()))
		i, ok := index[name]
		if !ok {
			i = len(files)
			index[name] = i
			files = append(files, File{Path: name})
		}
		files[i].Objects = append(files[i].Objects, obj)
	}
	return files
}

// objectID identifies an object across environments. The namespace is left
// out: an environment may move the App, which patches the namespace.
func objectID(obj *yaml.RNode) string {
	return obj.GetApiVersion() + "/" + obj.GetKind() + "/" + obj.GetName()
}

// platformObjectID identifies an object of the Platform across
// environments: its objects are in many namespaces, and a tenant of another
// namespace is another object.
func platformObjectID(obj *yaml.RNode) string {
	return objectID(obj) + "/" + obj.GetNamespace()
}

func targetOf(obj *yaml.RNode) *target {
	group, version, found := strings.Cut(obj.GetApiVersion(), "/")
	if !found {
		group, version = "", group
	}
	return &target{Group: group, Version: version, Kind: obj.GetKind(), Name: obj.GetName(), Namespace: obj.GetNamespace()}
}

// trimComment ends a patch whose last value would lose its final newline
// to kustomize, which trims a patch's text before reading it.
const trimComment = "# (this line keeps the final newline of the value above)"

// survivingTrim returns a patch's text such that kustomize, which trims
// it (strings.TrimSpace), reads the same operations: when the text ends
// with a block scalar, trimming would cut that value's final newline, so a
// comment line closes the text.
func survivingTrim(text []byte) string {
	trimmed := strings.TrimSpace(string(text))
	var want, got any
	if yaml.Unmarshal(text, &want) != nil || yaml.Unmarshal([]byte(trimmed), &got) != nil || !reflect.DeepEqual(want, got) {
		return trimmed + "\n" + trimComment
	}
	return trimmed
}

// deletePatch removes an object of the base.
func deletePatch(obj *yaml.RNode) string {
	lines := []string{
		"$patch: delete",
		"apiVersion: " + obj.GetApiVersion(),
		"kind: " + obj.GetKind(),
		"metadata:",
		"  name: " + obj.GetName(),
	}
	if ns := obj.GetNamespace(); ns != "" {
		lines = append(lines, "  namespace: "+ns)
	}
	return strings.Join(lines, "\n")
}

// appIn finds an App of an expansion by its input identity.
func appIn(exp *generate.Expansion, id string) *generate.RenderedApp {
	for _, a := range exp.Apps {
		if a.InputID() == id {
			return a
		}
	}
	return nil // unreachable: every expansion holds every App of the same input
}

func errorResult(app string, err error) *framework.Result {
	return &framework.Result{Severity: framework.Error, Message: fmt.Sprintf("App %s: eject: %v", strings.TrimPrefix(app, "/"), err)}
}

func copyNodes(items []*yaml.RNode) []*yaml.RNode {
	out := make([]*yaml.RNode, len(items))
	for i, item := range items {
		out[i] = item.Copy()
	}
	return out
}
