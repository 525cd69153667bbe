// Package importer turns existing manifests (a directory of YAML, the
// output of kustomize build or helm template, objects read from a cluster)
// into Apps. It groups the objects into apps, one per Deployment,
// StatefulSet or Rollout with what refers to it or it refers to; writes for each the
// App whose fields say as much as they can; renders that App and compares
// every imported object with its rendering; and keeps whatever the
// rendering does not reproduce in the App's patches, or, for an object the
// App does not render, in its extra objects. What cannot be kept that way
// (a selector, a name, a namespace, slipway's own labels) and what the
// rendering adds is listed, one difference per line with its reason.
package importer

import (
	"errors"
	"fmt"
	"slices"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/internal/parallel"
)

// Result is what import makes of a set of manifests.
type Result struct {
	// Apps are the imported Apps, one per app, in input order.
	Apps []*App
	// Unplaced are the objects no app claims, and those of the apps that
	// could not be imported, as read.
	Unplaced []*yaml.RNode
	// Warnings say why an app could not be imported, and which unplaced
	// objects hold secret values in plain text.
	Warnings []string
}

// App is one imported App and how its rendering differs from the objects
// it was imported from.
type App struct {
	App *v1alpha1.App
	// Node is the App as a YAML node, ready to write.
	Node *yaml.RNode
	// Differences say, one per line, where the rendering of the App is not
	// the imported objects and why.
	Differences []string
	// Lost are the imported values the App could not be made to render;
	// empty unless import has a bug, and reported as an error.
	Lost []string
}

// Nodes are what import writes: the Apps, then the objects no App claims.
// Rendered, they give back every imported object.
func (r *Result) Nodes() []*yaml.RNode {
	var out []*yaml.RNode
	for _, a := range r.Apps {
		out = append(out, a.Node)
	}
	return append(out, r.Unplaced...)
}

// Rendered are the objects the imported Apps render, together.
func (r *Result) Rendered() ([]*yaml.RNode, error) {
	var apps []*yaml.RNode
	for _, a := range r.Apps {
		apps = append(apps, a.Node)
	}
	return renderNodes(apps)
}

// Import imports the objects of the items that are not Apps or Platforms.
func Import(items []*yaml.RNode) (*Result, error) {
	var objects, unplaced []*object
	seen := map[string]bool{}
	var errs []error
	for i, item := range items {
		o, err := newObject(item)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", item.GetKind(), item.GetName(), err))
			continue
		}
		o.position = i
		if v1alpha1.InGroup(item.GetApiVersion()) {
			unplaced = append(unplaced, o) // an App or a Platform already
			continue
		}
		if o.kind == "" || o.name == "" || o.doc["apiVersion"] == nil {
			errs = append(errs, fmt.Errorf("an object without apiVersion, kind or metadata.name: %s", short(o.doc)))
			continue
		}
		key := o.group + "/" + o.id()
		if seen[key] {
			errs = append(errs, fmt.Errorf("%s is in the input twice: which one is meant?", o.id()))
			continue
		}
		seen[key] = true
		objects = append(objects, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	apps, rest := groupApps(objects)
	unplaced = append(unplaced, rest...)
	out := &Result{}
	imported := make([]*App, len(apps))
	errs = make([]error, len(apps))
	parallel.ForEach(len(apps), func(i int) { imported[i], errs[i] = importApp(apps[i]) })
	for i, a := range apps {
		if err := errs[i]; err != nil {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: not imported, its objects are kept as they are: %v", a.workload.id(), err))
			unplaced = append(unplaced, a.all()...)
			continue
		}
		out.Apps = append(out.Apps, imported[i])
	}
	slices.SortFunc(unplaced, func(a, b *object) int { return a.position - b.position })
	for _, o := range unplaced {
		if o.group == "" && o.kind == "Secret" {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s holds its values in plain text, and so does the file it is kept in: declare it in an App's externalSecrets, which fetches it from the secret store, rather than commit it", o.id()))
		}
		node, err := encode.Object(o.read)
		if err != nil {
			return nil, err
		}
		out.Unplaced = append(out.Unplaced, node)
	}
	return out, nil
}

// importApp models the app, renders the model, keeps in patches and extra
// objects what the rendering misses, and checks the result by rendering
// it again.
func importApp(a *app) (*App, error) {
	spec := model(a)
	rendered, err := renderModel(spec)
	if err != nil {
		return nil, fmt.Errorf("the App modelled from it does not render: %w", err)
	}
	if spec.Spec.ObjectMetadata = objectMetadata(rendered, a.all()); spec.Spec.ObjectMetadata != nil {
		if rendered, err = render(spec); err != nil {
			return nil, fmt.Errorf("the App with its objects' metadata does not render: %w", err)
		}
	}
	imported := map[*object]*object{}
	var notes []difference
	for _, o := range a.all() {
		r := counterpart(rendered, o)
		if r == nil {
			spec.Spec.ExtraObjects = append(spec.Spec.ExtraObjects, extraObject(o, spec))
			continue
		}
		rewritten, lines := rewrite(o)
		imported[o] = rewritten
		r, rewritten, scaled := scaledReplicas(a, r, rewritten)
		notes = append(append(notes, lines...), scaled...)
		r, ops := alignContainers(r, rewritten)
		for _, c := range compare(r.norm, rewritten.norm, rewritten.doc) {
			if c.added || c.unpatchable() != "" {
				continue
			}
			_, c.replace = lookup(r.doc, c.pointer)
			ops = append(ops, c.op())
		}
		if len(ops) > 0 {
			target := v1alpha1.PatchTarget{Kind: o.kind}
			if r.name != spec.Name {
				target.Name = r.name
			}
			spec.Spec.Patches = append(spec.Spec.Patches, v1alpha1.Patch{Target: target, Ops: ops})
		}
	}
	if rendered, err = render(spec); err != nil {
		return nil, fmt.Errorf("the App with its patches does not render: %w", err)
	}
	out := &App{App: spec}
	found := notes
	matched := map[*object]bool{}
	for _, o := range a.all() {
		r := counterpart(rendered, o)
		if r == nil {
			out.Lost = append(out.Lost, o.id()+" is not rendered")
			continue
		}
		matched[r] = true
		if imported[o] != nil {
			r, o, _ = scaledReplicas(a, r, imported[o])
		}
		d, lost := differences(r, o)
		found = append(found, d...)
		out.Lost = append(out.Lost, lost...)
	}
	for _, r := range rendered {
		if !matched[r] {
			found = append(found, difference{r.id(), "new", whyNew(r)})
		}
	}
	out.Differences = listDifferences(found)
	if out.Node, err = appNode(spec); err != nil {
		return nil, err
	}
	return out, nil
}

// counterpart is the rendered object of the same group, kind and name.
func counterpart(rendered []*object, o *object) *object {
	for _, r := range rendered {
		if r.group == o.group && r.kind == o.kind && r.name == o.name {
			return r
		}
	}
	return nil
}

// extraObject is an object the App does not render, as read, to be
// rendered as one of its extra objects: without its namespace when it is
// the App's, and without the labels the App gives every extra object.
func extraObject(o *object, app *v1alpha1.App) map[string]any {
	doc := deepCopy(o.read)
	meta := mapAt(doc, "metadata")
	if o.namespace == app.Namespace {
		delete(meta, "namespace")
	}
	labels := mapAt(meta, "labels")
	for k, v := range labels {
		if ownLabel(k) && (v == app.Name || v == "slipway") || app.Labels[k] == v {
			delete(labels, k)
		}
	}
	dropEmpty(meta, "labels")
	return doc
}
