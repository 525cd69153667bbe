package kustomizetree

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestProcessorReplacesItsOwnTreeOnly(t *testing.T) {
	items := readItems(t, "../../testdata/render/environments/input.yaml")
	rl := &framework.ResourceList{Items: items}
	if err := (Processor{}).Process(rl); err != nil {
		t.Fatal(err)
	}
	first := len(rl.Items)
	for _, item := range rl.Items {
		if file, _, _ := kioutil.GetFileAnnotations(item); item.GetKind() != "App" && !strings.HasPrefix(file, "admin/") {
			t.Errorf("%s %s placed at %q, outside admin/", item.GetKind(), item.GetName(), file)
		}
	}
	// A second eject over its own output replaces the tree, adding nothing.
	if err := (Processor{}).Process(rl); err != nil {
		t.Fatal(err)
	}
	if len(rl.Items) != first {
		t.Fatalf("a second eject went from %d to %d items", first, len(rl.Items))
	}
	// A file eject did not write stops it, and nothing changes.
	foreign := yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n  annotations:\n    internal.config.kubernetes.io/path: admin/base/mine.yaml\n")
	rl.Items = append(rl.Items, foreign)
	err := (Processor{}).Process(rl)
	if err == nil || !strings.Contains(err.Error(), "refusing to replace ConfigMap mine") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if len(rl.Items) != first+1 {
		t.Fatalf("a refused eject changed the items")
	}
}

func TestProcessorDirectoryOption(t *testing.T) {
	config := yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: o}\ndata: {directory: ../outside}\n")
	rl := &framework.ResourceList{Items: readItems(t, "../../testdata/render/minimal/input.yaml"), FunctionConfig: config}
	if err := (Processor{}).Process(rl); err == nil || !strings.Contains(err.Error(), "must be a relative path inside the package") {
		t.Fatalf("want a refusal of a directory outside the package, got %v", err)
	}
}

// Eject writes every environment, so an annotation that selects one is an
// error rather than ignored.
func TestBuildRefusesEnvironmentAnnotation(t *testing.T) {
	app := yaml.MustParse(`apiVersion: slipway.dev/v1alpha1
kind: App
metadata:
  name: admin
  annotations:
    slipway.dev/environment: prod
    internal.config.kubernetes.io/path: admin.yaml
spec:
  image: registry.example.com/admin:1.0.0
  environments:
    prod: {replicas: 3}
`)
	trees, results := Build([]*yaml.RNode{app})
	if trees != nil || len(results) != 1 {
		t.Fatalf("want one error and no tree, got %d trees, results %v", len(trees), results)
	}
	r := results[0]
	if r.Field == nil || r.Field.Path != "metadata.annotations[slipway.dev/environment]" || r.File == nil || r.File.Path != "admin.yaml" ||
		!strings.Contains(r.Message, "eject writes the base and an overlay per environment") {
		t.Errorf("unexpected result: %+v", r)
	}
}
