// Package generate is the App generator: it finds the Apps and the Platform
// in a KRM ResourceList, renders every App, and replaces the objects of any
// earlier rendering with the new ones. It either renders everything or,
// when any input is wrong, nothing, with every problem reported as a result.
package generate

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/filters"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/internal/parallel"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// AnnotationEnvironment on an App or a Platform selects the environment to
// render, unless the caller's options select one (see selectEnvironment).
const AnnotationEnvironment = "slipway.dev/environment"

// Options are the settings the caller knows before the function config is
// read; the function config may override them.
type Options = v1alpha1.Options

// Processor renders the Apps of a ResourceList. It is a
// framework.ResourceListProcessor.
type Processor struct {
	Options Options
}

// Process implements framework.ResourceListProcessor.
func (p Processor) Process(rl *framework.ResourceList) error {
	out, results := Render(rl.Items, rl.FunctionConfig, p.Options)
	rl.Results = append(rl.Results, results...)
	if results.ExitCode() != 0 {
		return results
	}
	rl.Items = out
	rl.Results = append(rl.Results, unmarkedSources(out)...)
	return nil
}

// unmarkedSources warns of every App and Platform of a package file (kpt
// passes items with their file) that is not annotated
// config.kubernetes.io/local-config: "true": kpt live apply would send it to
// the cluster, which serves no such kind. kustomize marks a generator's
// config itself, and Argo CD's plugin leaves Apps out.
func unmarkedSources(items []*yaml.RNode) framework.Results {
	var results framework.Results
	for _, item := range items {
		if !v1alpha1.InGroup(item.GetApiVersion()) { // cheap: rendered objects are most items
			continue
		}
		file, index, _ := kioutil.GetFileAnnotations(item)
		if file == "" || krm.IsLocalConfig(item) {
			continue
		}
		r := &framework.Result{
			Severity: framework.Warning,
			Message: fmt.Sprintf("not annotated %s: \"true\": kpt live apply would send this %s to the cluster, which has no such kind",
				filters.LocalConfigAnnotation, item.GetKind()),
			ResourceRef: &yaml.ResourceIdentifier{TypeMeta: yaml.TypeMeta{APIVersion: item.GetApiVersion(), Kind: item.GetKind()},
				NameMeta: yaml.NameMeta{Name: item.GetName(), Namespace: item.GetNamespace()}},
			Field: &framework.Field{Path: "metadata.annotations"},
			File:  &framework.File{Path: file},
		}
		r.File.Index, _ = strconv.Atoi(index)
		results = append(results, r)
	}
	return results
}

// Render returns the items with every App rendered, or, if any problem is
// found, the problems as error results and no items.
func Render(items []*yaml.RNode, config *yaml.RNode, opts Options) ([]*yaml.RNode, framework.Results) {
	exp, results := Expand(items, config, opts)
	if results.ExitCode() != 0 {
		return nil, results
	}
	out := append(exp.PassThrough, exp.OtherEnvironments...)
	if err := place(exp.PlatformObjects, exp.platformSource, exp.Options.Environment); exp.platformSource != nil && err != nil {
		return nil, append(results, exp.platformSource.results([]v1alpha1.FieldError{{Detail: err.Error()}})...)
	}
	out = append(out, exp.PlatformObjects...)
	for _, a := range exp.Apps {
		if err := place(a.Objects, a.source, exp.Options.Environment); err != nil {
			return nil, append(results, a.source.results([]v1alpha1.FieldError{{Detail: err.Error()}})...)
		}
		out = append(out, a.Objects...)
	}
	return out, results
}

// Expansion is a ResourceList with its Apps rendered.
type Expansion struct {
	// PassThrough are the input items that are kept as they are: everything
	// but the objects of an earlier rendering.
	PassThrough []*yaml.RNode
	// OtherEnvironments are the objects of an earlier rendering of another
	// environment into its own files ("<app>.<environment>.generated.yaml"),
	// which kpt keeps beside this rendering's; a stream drops them.
	OtherEnvironments []*yaml.RNode
	// Options are those the Apps were rendered with: the caller's, with the
	// function config's and the environment annotations applied.
	Options Options
	// Platform is the Platform of the input, resolved, or nil.
	Platform *v1alpha1.Platform
	// PlatformObjects are the Platform's own objects (manifests.PlatformKinds):
	// its tenants', and the Argo CD Applications of the Apps. They come
	// before the Apps' objects.
	PlatformObjects []*yaml.RNode
	// PlatformEnvironments are the environments the Platform defines.
	PlatformEnvironments []string
	// Apps are the rendered Apps, sorted by namespace and name.
	Apps []*RenderedApp

	platformSource *source
}

// RenderedApp is one App and the objects rendered from it.
type RenderedApp struct {
	App *v1alpha1.App
	// Environments are the environments the App or the Platform defines.
	Environments []string
	Objects      []*yaml.RNode
	source       *source
}

func (a *RenderedApp) key() string { return a.App.Namespace + "/" + a.App.Name }

// InputID identifies the App as written in the input, which stays the same
// whatever environment is rendered.
func (a *RenderedApp) InputID() string { return a.source.namespace + "/" + a.source.name }

// Expand renders every App of the items for the environment the options or
// the function config select. It returns the error results of every problem
// found and, only when there is none, the expansion.
func Expand(items []*yaml.RNode, config *yaml.RNode, opts Options) (*Expansion, framework.Results) {
	in, results := read(items, config, &opts)
	exp := &Expansion{PassThrough: in.passThrough}
	results = append(results, selectEnvironment(in, &opts)...)
	exp.Options = opts
	exp.OtherEnvironments = otherEnvironments(in, opts.Environment)
	var platformDoc map[string]any
	if in.platform != nil {
		var errs []v1alpha1.FieldError
		platformDoc = in.platform.doc
		exp.Platform, errs = v1alpha1.ResolvePlatform(in.platform.doc, opts.Environment)
		exp.PlatformEnvironments = v1alpha1.KnownEnvironments(platformDoc)
		results = append(results, in.platform.results(errs)...)
	}
	resolved := make([]*v1alpha1.App, len(in.apps))
	appErrs := make([][]v1alpha1.FieldError, len(in.apps))
	parallel.ForEach(len(in.apps), func(i int) {
		resolved[i], appErrs[i] = v1alpha1.ResolveApp(in.apps[i].doc, exp.Platform, opts)
	})
	for i, src := range in.apps {
		if len(appErrs[i]) > 0 {
			results = append(results, src.results(appErrs[i])...)
			continue
		}
		exp.Apps = append(exp.Apps, &RenderedApp{App: resolved[i], Environments: v1alpha1.KnownEnvironments(src.doc, platformDoc), source: src})
	}
	results = append(results, conflicts(exp.Apps)...)
	results = append(results, secretWarnings(exp.Apps)...)
	if results.ExitCode() != 0 {
		return nil, results
	}
	sort.SliceStable(exp.Apps, func(i, j int) bool { return exp.Apps[i].key() < exp.Apps[j].key() })
	renderErrs := make([]error, len(exp.Apps))
	parallel.ForEach(len(exp.Apps), func(i int) {
		exp.Apps[i].Objects, renderErrs[i] = manifests.Render(exp.Apps[i].App, exp.Platform)
	})
	for i, err := range renderErrs {
		var fieldErrs manifests.FieldErrors
		switch {
		case errors.As(err, &fieldErrs):
			results = append(results, exp.Apps[i].source.results(fieldErrs)...)
		case err != nil:
			results = append(results, exp.Apps[i].source.results([]v1alpha1.FieldError{{Detail: err.Error()}})...)
		}
	}
	if in.platform != nil && !opts.SharedPlatform {
		exp.platformSource = in.platform
		var errs []v1alpha1.FieldError
		exp.PlatformObjects, errs = renderPlatform(exp.Platform, exp.Apps, in.platform)
		results = append(results, in.platform.results(errs)...)
	}
	if results.ExitCode() != 0 {
		return nil, results
	}
	if dups := duplicates(in.passThroughMeta, exp.Apps, exp.platformHolder()); len(dups) > 0 {
		return nil, append(results, dups...)
	}
	return exp, results
}

// renderPlatform renders the Platform's own objects. An App's Argo CD
// Application deploys the App's directory: its file's (kpt and the CLI
// pass it in the internal.config.kubernetes.io/path annotation), or the
// one its slipway.dev/argocd-path annotation names. Problems of an App are
// reported on the Platform, which renders its Application.
func renderPlatform(p *v1alpha1.Platform, rendered []*RenderedApp, src *source) ([]*yaml.RNode, []v1alpha1.FieldError) {
	var errs []v1alpha1.FieldError
	var apps []manifests.PlatformApp
	if a := p.Spec.ArgoCD; a != nil {
		if a.PlatformPath == "" && src.file == "" {
			errs = append(errs, v1alpha1.FieldError{Path: "spec.argoCD.platformPath",
				Detail: "required: the Platform came from no file, so its path in the repository is unknown"})
		}
		names := map[string]*RenderedApp{} // Application name: the App of it
		for _, r := range rendered {
			dir := r.source.meta.Annotations[v1alpha1.AnnotationArgoCDSourcePath]
			if dir == "" && r.source.file != "" {
				dir = path.Dir(r.source.file)
			}
			if dir == "" {
				errs = append(errs, v1alpha1.FieldError{Path: "spec.argoCD",
					Detail: fmt.Sprintf("%s came from no file: annotate it %s: <its directory in the repository> for its Applications", r.source.describe(), v1alpha1.AnnotationArgoCDSourcePath)})
				continue
			}
			app := manifests.PlatformApp{Name: r.App.Name, Namespace: r.App.Namespace, Path: dir}
			apps = append(apps, app)
			for _, env := range slices.Sorted(maps.Keys(a.Environments)) {
				if !slices.Contains(r.Environments, env) {
					// The plugin refuses an environment the input does not define.
					known := "it knows none"
					if len(r.Environments) > 0 {
						known = "it knows " + strings.Join(r.Environments, ", ")
					}
					errs = append(errs, v1alpha1.FieldError{Path: envsPath.Key(env).String(),
						Detail: fmt.Sprintf("%s has no environment %q (%s) for its Application to render: define it in the Platform's environments, or the App's",
							r.source.describe(), env, known)})
				}
				for _, c := range a.Environments[env].Clusters {
					name := manifests.ApplicationName(app, env, c.Name)
					for _, msg := range manifests.ApplicationNameErrors(name) {
						errs = append(errs, v1alpha1.FieldError{Path: envsPath.Key(env).String(),
							Detail: fmt.Sprintf("the Application %q of %s: %s", name, r.source.describe(), msg)})
					}
					if first, dup := names[name]; dup {
						errs = append(errs, v1alpha1.FieldError{Path: "spec.argoCD",
							Detail: fmt.Sprintf("%s and %s would both have the Application %q (<namespace>-<app>-<environment>-<cluster>): rename one", first.source.describe(), r.source.describe(), name)})
					}
					names[name] = r
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	objects, err := manifests.RenderPlatform(p, apps, src.file)
	if err != nil {
		return nil, []v1alpha1.FieldError{{Detail: err.Error()}}
	}
	return objects, nil
}

var envsPath = field.NewPath("spec", "argoCD", "environments")

// platformHolder holds the Platform's objects for the duplicate check, as
// if the Platform were an App without one.
func (e *Expansion) platformHolder() *RenderedApp {
	if e.platformSource == nil || len(e.PlatformObjects) == 0 {
		return nil
	}
	return &RenderedApp{Objects: e.PlatformObjects, source: e.platformSource}
}

// place tells kpt which file each rendered object goes to: one file per App
// and environment, beside the App's own file: "<app>.generated.yaml" for
// the base, "<app>.<environment>.generated.yaml" for an environment, so that
// a package can hold the renderings of several environments; the same for
// the Platform's own objects, beside the Platform. Objects rendered from an
// App that came from no file (kustomize, a pipe) get no path.
func place(objects []*yaml.RNode, src *source, environment string) error {
	if src == nil || src.file == "" {
		return nil
	}
	file := src.generatedFile(environment)
	for i, obj := range objects {
		if err := krm.SetFile(obj, file, i); err != nil {
			return err
		}
	}
	return nil
}

// generatedFile is the file of the source's rendering for an environment
// ("" for the base), beside the source's own file.
func (s *source) generatedFile(environment string) string {
	name := s.name + ".generated.yaml"
	if environment != "" {
		name = s.name + "." + environment + ".generated.yaml"
	}
	return path.Join(path.Dir(s.file), name)
}

// otherEnvironments returns the objects of earlier renderings that are
// kept: those in the file of an App (or the Platform) of the input for a
// known environment other than the one rendered. Every other object of an
// earlier rendering is replaced: the rendered environment's and the base's
// files, and those of Apps or environments since removed.
func otherEnvironments(in *input, rendered string) []*yaml.RNode {
	keep := map[string]bool{}
	sources := in.apps
	if in.platform != nil {
		sources = append(slices.Clip(sources), in.platform)
	}
	for _, env := range v1alpha1.KnownEnvironments(in.docs()...) {
		for _, src := range sources {
			if env != rendered && src.file != "" {
				keep[src.generatedFile(env)] = true
			}
		}
	}
	var kept []*yaml.RNode
	for _, obj := range in.earlier {
		if file, _, _ := kioutil.GetFileAnnotations(obj); keep[file] {
			kept = append(kept, obj)
		}
	}
	return kept
}

// source is a slipway object of the input.
type source struct {
	kind, name, namespace string
	file                  string
	index                 int // in the file
	item                  int // among the input's items; -1 for the function config
	doc                   map[string]any
	meta                  yaml.ResourceMeta
}

func (s *source) results(errs []v1alpha1.FieldError) framework.Results {
	results := make(framework.Results, 0, len(errs))
	for _, e := range errs {
		r := &framework.Result{
			Message:     e.Detail,
			Severity:    framework.Error,
			ResourceRef: &yaml.ResourceIdentifier{TypeMeta: yaml.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: s.kind}, NameMeta: yaml.NameMeta{Name: s.name, Namespace: s.namespace}},
		}
		if e.Path != "" {
			r.Field = &framework.Field{Path: e.Path}
		}
		if s.file != "" {
			r.File = &framework.File{Path: s.file, Index: s.index}
		}
		results = append(results, r)
	}
	return results
}

// describe names the object for a message about another one: "file: Kind
// namespace/name", or, when it came from no file, "items[i]: Kind
// namespace/name" or "function config: ...", since names alone may be the
// same.
func (s *source) describe() string {
	id := s.name
	if id == "" {
		id = "(unnamed)"
	}
	if s.namespace != "" {
		id = s.namespace + "/" + id
	}
	d := s.kind + " " + id
	switch {
	case s.file != "":
		return s.file + ": " + d
	case s.item < 0:
		return "function config: " + d
	}
	return fmt.Sprintf("items[%d]: %s", s.item, d)
}

// input is a ResourceList sorted out.
type input struct {
	apps        []*source
	platform    *source
	passThrough []*yaml.RNode
	// earlier are the objects of an earlier rendering (labelled
	// app.kubernetes.io/managed-by: slipway).
	earlier []*yaml.RNode
	// passThroughMeta is what each item of passThrough is, read through
	// aliases and merge keys.
	passThroughMeta []passThroughItem
}

// passThroughItem is an item kept as it is, and its place among the items.
type passThroughItem struct {
	meta yaml.ResourceMeta
	item int
}

// docs are the App and Platform documents of the input.
func (in *input) docs() []map[string]any {
	docs := make([]map[string]any, 0, len(in.apps)+1)
	for _, src := range in.apps {
		docs = append(docs, src.doc)
	}
	if in.platform != nil {
		docs = append(docs, in.platform.doc)
	}
	return docs
}

// read sorts the items and function config into Apps, the Platform, and
// items that pass through, and applies the function config's options.
func read(items []*yaml.RNode, config *yaml.RNode, opts *Options) (*input, framework.Results) {
	in := &input{}
	var results framework.Results
	var fromConfig *source
	if config != nil && !isEmpty(config) {
		var res framework.Results
		fromConfig, res = readConfig(config, opts)
		if fromConfig != nil {
			fromConfig.item = -1
		}
		results = append(results, res...)
	}
	seen := map[string]*source{}
	add := func(src *source) {
		id := src.kind + "/" + src.namespace + "/" + src.name
		if first, dup := seen[id]; dup {
			results = append(results, src.results([]v1alpha1.FieldError{{Path: "metadata.name",
				Detail: fmt.Sprintf("%q is duplicated (first in %s)", src.name, first.describe())}})...)
			return
		}
		seen[id] = src
		results = append(results, src.results(checkReservedLabels(src, src.meta))...)
		switch src.kind {
		case v1alpha1.KindApp:
			in.apps = append(in.apps, src)
		case v1alpha1.KindPlatform:
			if in.platform != nil {
				results = append(results, src.results([]v1alpha1.FieldError{{
					Detail: fmt.Sprintf("only one Platform may be in an input; %s is another", in.platform.describe())}})...)
				return
			}
			in.platform = src
		}
	}
	if fromConfig != nil {
		add(fromConfig)
	}
	for i, item := range items {
		meta, err := readMeta(item)
		if err != nil {
			results = append(results, &framework.Result{Severity: framework.Error, Message: "an input item has no readable metadata: " + err.Error()})
			continue
		}
		if !v1alpha1.InGroup(meta.APIVersion) {
			if meta.Labels[manifests.LabelManagedBy] == manifests.ManagedBy {
				in.earlier = append(in.earlier, item)
				continue
			}
			if r := nearMiss(item, meta, i); r != nil {
				results = append(results, r)
				continue
			}
			in.passThrough = append(in.passThrough, item)
			in.passThroughMeta = append(in.passThroughMeta, passThroughItem{meta: meta, item: i})
			continue
		}
		src, res := newSource(item, meta)
		if src != nil {
			src.item = i
		}
		if res != nil {
			results = append(results, res...)
			continue
		}
		in.passThrough = append(in.passThrough, item)
		in.passThroughMeta = append(in.passThroughMeta, passThroughItem{meta: meta, item: i})
		// kustomize passes a generator's config as its only item too; kpt
		// may pass the config's file among the package's items. Only the
		// same object may be both.
		if fromConfig != nil && src.kind == fromConfig.kind && src.name == fromConfig.name && src.namespace == fromConfig.namespace {
			if !reflect.DeepEqual(src.doc, fromConfig.doc) {
				results = append(results, src.results([]v1alpha1.FieldError{{Path: "metadata.name",
					Detail: fmt.Sprintf("%q is also the function config's name, with other content: the function config and an item may be one %s only when they are the same", src.name, src.kind)}})...)
			}
			continue
		}
		add(src)
	}
	return in, results
}

// readConfig applies a function config: an App or a Platform (rendered as
// if it were an item), or a ConfigMap of options (kpt fn eval -- key=value).
func readConfig(config *yaml.RNode, opts *Options) (*source, framework.Results) {
	meta, err := readMeta(config)
	if err != nil {
		return nil, framework.Results{{Severity: framework.Error, Message: "function config: " + err.Error()}}
	}
	if meta.Kind == "ConfigMap" && meta.APIVersion == "v1" {
		return nil, applyConfigMap(config, opts)
	}
	return newSource(config, meta)
}

// ConfigMap option keys.
const (
	OptionEnvironment = "environment"
	OptionNamespace   = "defaultNamespace"
	// OptionSharedPlatform "true" says the Platform of the input is shared
	// with other inputs (see Options.SharedPlatform), as a kustomize
	// transformer shared by every App's kustomization sees it.
	OptionSharedPlatform = "sharedPlatform"
)

func applyConfigMap(config *yaml.RNode, opts *Options) framework.Results {
	var results framework.Results
	data := config.GetDataMap()
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case OptionEnvironment:
			opts.Environment, opts.EnvironmentFrom = data[k], "the function config's data."+OptionEnvironment
		case OptionNamespace:
			opts.DefaultNamespace = data[k]
		case OptionSharedPlatform:
			shared, err := strconv.ParseBool(data[k])
			if err != nil {
				results = append(results, ConfigResult(config, "data."+k, fmt.Sprintf("%q is not true or false", data[k])))
			}
			opts.SharedPlatform = shared
		default:
			results = append(results, ConfigResult(config, "data."+k,
				fmt.Sprintf("unknown option; known: %s, %s, %s", OptionEnvironment, OptionNamespace, OptionSharedPlatform)))
		}
	}
	return results
}

// ConfigResult is an error result about a field of the function config.
func ConfigResult(config *yaml.RNode, fieldPath, message string) *framework.Result {
	return &framework.Result{
		Severity:    framework.Error,
		Message:     message,
		Field:       &framework.Field{Path: fieldPath},
		ResourceRef: &yaml.ResourceIdentifier{TypeMeta: yaml.TypeMeta{APIVersion: config.GetApiVersion(), Kind: config.GetKind()}, NameMeta: yaml.NameMeta{Name: config.GetName(), Namespace: config.GetNamespace()}},
	}
}

// newSource decodes a slipway object, or reports why it is not one.
func newSource(node *yaml.RNode, meta yaml.ResourceMeta) (*source, framework.Results) {
	file, index, _ := kioutil.GetFileAnnotations(node)
	src := &source{kind: meta.Kind, name: meta.Name, namespace: meta.Namespace, file: file, meta: meta}
	src.index, _ = strconv.Atoi(index)
	if meta.APIVersion != v1alpha1.APIVersion {
		return nil, src.results([]v1alpha1.FieldError{{Path: "apiVersion",
			Detail: fmt.Sprintf("unsupported version %q: this release serves %s", meta.APIVersion, v1alpha1.APIVersion)}})
	}
	if meta.Kind != v1alpha1.KindApp && meta.Kind != v1alpha1.KindPlatform {
		detail := fmt.Sprintf("%q is not served: %s serves %s and %s", meta.Kind, v1alpha1.APIVersion, v1alpha1.KindApp, v1alpha1.KindPlatform)
		if meta.Kind == "" {
			detail = fmt.Sprintf("required: %s serves %s and %s", v1alpha1.APIVersion, v1alpha1.KindApp, v1alpha1.KindPlatform)
		}
		return nil, src.results([]v1alpha1.FieldError{{Path: "kind", Detail: detail}})
	}
	keyErrs, bigNumbers := checkKeys(node.YNode(), meta.Kind)
	if len(keyErrs) > 0 {
		return nil, src.results(keyErrs)
	}
	var doc map[string]any
	if err := node.YNode().Decode(&doc); err != nil {
		return nil, src.results([]v1alpha1.FieldError{{Detail: "cannot decode: " + err.Error()}})
	}
	if bigNumbers {
		markNumbers(node.YNode(), doc)
	}
	stripInternalAnnotations(doc)
	src.doc = doc
	return src, nil
}

// stripInternalAnnotations removes the annotations that kpt and kustomize
// add to the objects they pass to functions, so that none of them reaches a
// rendered object and the strict checks see the object as written.
func stripInternalAnnotations(doc map[string]any) {
	meta, _ := doc["metadata"].(map[string]any)
	annotations, _ := meta["annotations"].(map[string]any)
	stripped := false
	for k := range annotations {
		if krm.IsClientAnnotation(k) {
			delete(annotations, k)
			stripped = true
		}
	}
	if stripped && len(annotations) == 0 {
		delete(meta, "annotations") // as written before kpt or kustomize annotated it
	}
}

func isEmpty(node *yaml.RNode) bool {
	return node.YNode() == nil || (node.YNode().Kind == yaml.MappingNode && len(node.YNode().Content) == 0)
}
