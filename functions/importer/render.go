package importer

import (
	"errors"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/generate"
)

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
	nodes, err := renderNodes([]*yaml.RNode{node})
	if err != nil {
		return nil, err
	}
	out := make([]*object, len(nodes))
	for i, n := range nodes {
		if out[i], err = newObject(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// renderNodes renders Apps, alone, into their objects.
func renderNodes(apps []*yaml.RNode) ([]*yaml.RNode, error) {
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
	// Written where the reference has it: after image, replicas, command
	// and args.
	fields := spec.YNode().Content
	at := 0
	for at < len(fields) && slices.Contains([]string{"image", "replicas", "command", "args"}, fields[at].Value) {
		at += 2
	}
	ports := []*yaml.Node{{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: "ports"}, {Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Style: yaml.FlowStyle}}
	spec.YNode().Content = slices.Insert(fields, at, ports...)
	return node, nil
}
