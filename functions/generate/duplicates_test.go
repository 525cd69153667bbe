package generate

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestDuplicateNamesTheFile checks that a clash with an object of a kpt
// package names its file, and that a rendering of the output again (its
// objects marked as an earlier rendering) finds no clash.
func TestDuplicateNamesTheFile(t *testing.T) {
	items := []*yaml.RNode{
		yaml.MustParse("apiVersion: v1\nkind: Service\nmetadata:\n  name: shop-stable\n  namespace: web\n  annotations:\n    internal.config.kubernetes.io/path: svc.yaml\n    config.kubernetes.io/path: svc.yaml\n"),
		yaml.MustParse("apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata: {name: shop, namespace: web}\nspec: {image: registry.example.com/shop:1.0.0}\n"),
	}
	_, results := Render(items, nil, Options{})
	if want := "renders Service web/shop-stable, which is also in the input (svc.yaml: Service web/shop-stable)"; !strings.Contains(results.Error(), want) {
		t.Fatalf("want %q, got %v", want, results)
	}
	out, results := Render(items[1:], nil, Options{})
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	if _, results := Render(out, nil, Options{}); results.ExitCode() != 0 {
		t.Fatalf("rendering the output again: %v", results.Error())
	}
}
