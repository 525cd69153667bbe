// Package importer turns existing manifests (a directory of YAML, the
// output of kustomize build or helm template, objects read from a cluster)
// into Apps. It groups the objects into apps, one per Deployment or
// StatefulSet with what refers to it or it refers to; writes for each the
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
	"maps"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/generate"
)

// Result is what import makes of a set of manifests.
type Result struct {
	// Apps are the imported Apps, one per app, in input order.
	Apps []*App
	// Unplaced are the objects no app claims, and those of the apps that
	// could not be imported, as read.
	Unplaced []*yaml.RNode
	// Skipped say why an app could not be imported, one per app.
	Skipped []string
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
	exp, results := generate.Expand(apps, nil, generate.Options{})
	if results.ExitCode() != 0 {
		return nil, results
	}
	var out []*yaml.RNode
	for _, a := range exp.Apps {
		out = append(out, a.Objects...)
	}
	return out, nil
}

// Import imports the objects of the items that are not Apps or Platforms.
func Import(items []*yaml.RNode) (*Result, error) {
	var objects []*object
	seen := map[string]bool{}
	var errs []error
	for _, item := range items {
		if v1alpha1.InGroup(item.GetApiVersion()) {
			continue
		}
		o, err := newObject(item)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", item.GetKind(), item.GetName(), err))
			continue
		}
		if o.kind == "" || o.name == "" || o.doc["apiVersion"] == nil {
			errs = append(errs, fmt.Errorf("an object without apiVersion, kind or metadata.name: %s", short(o.doc)))
			continue
		}
		if key := o.group + "/" + o.id(); seen[key] {
			errs = append(errs, fmt.Errorf("%s is in the input twice: which one is meant?", o.id()))
			continue
		} else {
			seen[key] = true
		}
		objects = append(objects, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	apps, unplaced := groupApps(objects)
	out := &Result{}
	for _, a := range apps {
		imported, err := importApp(a)
		if err != nil {
			out.Skipped = append(out.Skipped, fmt.Sprintf("%s: not imported, its objects are kept as they are: %v", a.workload.id(), err))
			unplaced = append(unplaced, a.all()...)
			continue
		}
		out.Apps = append(out.Apps, imported)
	}
	for _, o := range unplaced {
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
			c.replace = exists(r.doc, c.pointer)
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

// objectMetadata finds the labels and annotations that every rendered
// object of a kind lacks and its imported counterpart has (a Platform's
// annotations, a team's label on its Services): the App's metadata for
// that kind, rather than a patch for each object.
func objectMetadata(rendered, imported []*object) map[string]v1alpha1.ObjectMetadata {
	out := map[string]v1alpha1.ObjectMetadata{}
	kinds := map[string][]*object{}
	var order []string
	for _, r := range rendered {
		if _, seen := kinds[r.kind]; !seen {
			order = append(order, r.kind)
		}
		kinds[r.kind] = append(kinds[r.kind], r)
	}
	for _, kind := range order {
		var meta v1alpha1.ObjectMetadata
		for _, field := range []string{"labels", "annotations"} {
			var common map[string]string
			for _, r := range kinds[kind] {
				var o *object
				for _, candidate := range imported {
					if counterpart([]*object{r}, candidate) != nil {
						o = candidate
					}
				}
				if o == nil {
					common = map[string]string{}
					break
				}
				have := stringMap(mapAt(mapAt(o.doc, "metadata"), field))
				rendered := mapAt(mapAt(r.doc, "metadata"), field)
				maps.DeleteFunc(have, func(k, _ string) bool { _, set := rendered[k]; return set || ownLabel(k) })
				if common == nil {
					common = have
				} else {
					maps.DeleteFunc(common, func(k, v string) bool { return have[k] != v })
				}
			}
			if len(common) > 0 && field == "labels" {
				meta.Labels = common
			} else if len(common) > 0 {
				meta.Annotations = common
			}
		}
		if meta.Labels != nil || meta.Annotations != nil {
			out[kind] = meta
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// renderModel renders a modelled App. A value the App refuses (a
// disruption budget that blocks every drain, a memory target without a
// memory request) is one the imported objects may have all the same: the
// field that holds it is left out of the model, and what it rendered is
// kept by a patch instead.
func renderModel(app *v1alpha1.App) ([]*object, error) {
	for {
		rendered, err := render(app)
		var results framework.Results
		if err == nil || !errors.As(err, &results) {
			return rendered, err
		}
		var fields []string
		for _, r := range results {
			if r.Field == nil {
				return nil, err
			}
			field, _, _ := strings.Cut(strings.TrimPrefix(r.Field.Path, "spec."), ".")
			field, _, _ = strings.Cut(field, "[")
			if field == "extraObjects" || field == "patches" || field == "" {
				return nil, err
			}
			if field == "compatibility" && app.Spec.Canary != nil {
				// Taking the live workload over comes first: its
				// selector would count a canary's pods as its own.
				field = "canary"
			}
			fields = append(fields, field)
		}
		if !leaveOut(&app.Spec, fields) {
			return nil, err
		}
	}
}

// leaveOut clears the named fields of a spec, and tells whether any was set.
func leaveOut(spec *v1alpha1.AppSpec, fields []string) bool {
	var doc map[string]any
	convert(spec, &doc)
	cleared := false
	for _, f := range fields {
		if _, set := doc[f]; set {
			delete(doc, f)
			cleared = true
		}
	}
	*spec = v1alpha1.AppSpec{}
	convert(doc, spec)
	return cleared
}

// render renders one App alone, as its objects.
func render(app *v1alpha1.App) ([]*object, error) {
	node, err := appNode(app)
	if err != nil {
		return nil, err
	}
	exp, results := generate.Expand([]*yaml.RNode{node}, nil, generate.Options{})
	if results.ExitCode() != 0 {
		return nil, results
	}
	var out []*object
	for _, a := range exp.Apps {
		for _, n := range a.Objects {
			o, err := newObject(n)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// appNode is the App as a node. An empty list of ports, which a Go
// encoding drops, is written: it means no ports, not the default one.
func appNode(app *v1alpha1.App) (*yaml.RNode, error) {
	node, err := orderedNode(app)
	if err != nil {
		return nil, err
	}
	// TypeMeta declares kind before apiVersion; manifests start with it.
	content := node.YNode().Content
	if len(content) >= 4 && content[0].Value == "kind" {
		content[0], content[1], content[2], content[3] = content[2], content[3], content[0], content[1]
	}
	spec, err := node.Pipe(yaml.Lookup("spec"))
	if err != nil {
		return nil, err
	}
	// Extra objects are written in the field order of manifests.
	for i, obj := range app.Spec.ExtraObjects {
		n, err := encode.Object(obj)
		if err != nil {
			return nil, err
		}
		extra, _ := spec.Pipe(yaml.Lookup("extraObjects"))
		extra.YNode().Content[i] = n.YNode()
	}
	if app.Spec.Ports == nil || len(app.Spec.Ports) > 0 {
		return node, nil
	}
	return node, spec.PipeE(yaml.SetField("ports", yaml.NewListRNode()))
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
// rendered as one of its extra objects: its namespace is the App's unless
// it has another.
// slipway's own labels, which it gives every extra object, are left out.
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

// exists tells whether a JSON pointer's place is in a decoded object.
func exists(doc any, pointer []string) bool {
	for _, t := range pointer {
		switch v := doc.(type) {
		case map[string]any:
			next, ok := v[t]
			if !ok {
				return false
			}
			doc = next
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i >= len(v) {
				return false
			}
			doc = v[i]
		default:
			return false
		}
	}
	return true
}

// A difference is one way in which a rendered object is not the imported
// one, and why.
type difference struct{ object, what, why string }

// listDifferences writes the differences one per line, each difference
// that several objects share once, naming them all.
func listDifferences(ds []difference) []string {
	var keys []string
	objects := map[string][]string{}
	for _, d := range ds {
		key := d.what + ": " + d.why
		if _, seen := objects[key]; !seen {
			keys = append(keys, key)
		}
		objects[key] = append(objects[key], d.object)
	}
	lines := make([]string, len(keys))
	for i, key := range keys {
		lines[i] = strings.Join(objects[key], ", ") + ": " + key
	}
	return lines
}

// differences are where the rendered object differs from the imported
// one, the additions grouped by reason, and the values it loses.
func differences(r, o *object) (found []difference, lost []string) {
	byReason := map[string][]string{}
	var reasons []string
	add := func(reason, what string) {
		if _, seen := byReason[reason]; !seen {
			reasons = append(reasons, reason)
		}
		byReason[reason] = append(byReason[reason], what)
	}
	for _, c := range compare(r.norm, o.norm, o.doc) {
		switch {
		case strings.Join(c.pointer, "/") == "metadata/namespace" && c.added:
			found = append(found, difference{o.kind + " " + o.name, "had no namespace; it now has " + r.namespace, "the App's namespace"})
		case c.added:
			add(whyAdded(r, c, valueAt(r.norm, c.pointer)), c.shown)
		case c.unpatchable() != "":
			what := fmt.Sprintf("%s is %s, was %s", c.shown, short(valueAt(r.norm, c.pointer)), short(c.value))
			if valueAt(r.norm, c.pointer) == nil {
				what = fmt.Sprintf("drops %s (was %s)", c.shown, short(c.value))
			}
			found = append(found, difference{r.id(), what, whyUnpatchable(r, c)})
		default:
			lost = append(lost, fmt.Sprintf("%s: %s was %s", o.id(), c.shown, short(c.value)))
		}
	}
	for _, reason := range reasons {
		found = append(found, difference{r.id(), "adds " + strings.Join(byReason[reason], ", "), reason})
	}
	return found, lost
}

// whyUnpatchable gives the reason for a difference no patch may undo.
func whyUnpatchable(r *object, c change) string {
	if strings.HasPrefix(strings.Join(c.pointer, "/"), "spec/selector") {
		return "slipway selects the same pods by its own labels, which they now carry too"
	}
	return c.unpatchable()
}

// whyAdded gives the reason the rendering has something the input had
// not: the value the rendering has there.
func whyAdded(r *object, c change, value any) string {
	p := strings.Join(c.pointer, "/")
	last := c.pointer[len(c.pointer)-1]
	switch {
	case r.kind == "Service" && p == "spec/selector/slipway.dev/track":
		return fmt.Sprintf("the Service selected every pod of the app; it now selects only the %s pods", value)
	case strings.HasPrefix(p, "spec/selector"):
		return "slipway selects the pods by its own labels, which they now carry too"
	case strings.HasSuffix(p, "labels") || strings.Contains(p, "labels/") && ownLabel(last):
		return "slipway's labels, which it finds and selects its objects by, and the App's"
	case last == "slipway.dev/config-hash":
		return "the hash of the App's config, which restarts the pods when the config changes"
	case strings.Contains(p, "securityContext") || last == "automountServiceAccountToken" || last == "volumes" || last == "volumeMounts" || strings.Contains(c.shown, "[tmp]"):
		return "slipway's restricted defaults: no service account token, no root, a read-only root filesystem with a writable /tmp (spec.security loosens them)"
	case strings.HasSuffix(p, "annotations") && strings.Contains(short(value), "argocd.argoproj.io/sync-wave") || strings.Contains(p, "annotations/argocd.argoproj.io"):
		return "the order Argo CD syncs in: what the pods need before them"
	case strings.Contains(p, "labels/"):
		return "the App's labels, which every object gets"
	}
	return "slipway's defaults"
}

func whyNew(r *object) string {
	switch {
	case r.kind == "Service" && strings.HasSuffix(r.name, "-canary"):
		return "the Service of the canary track, which routes send the canary's share to"
	case r.kind == "Service" && strings.HasSuffix(r.name, "-stable"):
		return "the Service of the stable track, which routes send the stable share to"
	case r.kind == "Service":
		return "the Service of every pod of the app"
	case r.kind == "PodDisruptionBudget":
		return "slipway keeps one replica of two or more up during node drains"
	}
	return "rendered from the App's defaults"
}

func valueAt(doc any, pointer []string) any {
	for _, t := range pointer {
		switch v := doc.(type) {
		case map[string]any:
			doc = v[t]
		case []any:
			i, _ := strconv.Atoi(t)
			if i >= len(v) {
				return nil
			}
			doc = v[i]
		}
	}
	return doc
}
