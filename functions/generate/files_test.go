package generate

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestFilesPerEnvironment renders a kpt package that holds earlier
// renderings and checks where each rendered object goes and which earlier
// objects are kept: the App's (and the Platform's) files of its other
// environments stay; the
// rendered environment's, the base's, a removed App's and a removed
// environment's files are replaced.
func TestFilesPerEnvironment(t *testing.T) {
	app := yaml.MustParse(`apiVersion: slipway.dev/v1alpha1
kind: App
metadata:
  name: shop
  namespace: web
  annotations:
    config.kubernetes.io/path: apps/shop.yaml
    internal.config.kubernetes.io/path: apps/shop.yaml
spec:
  image: registry.example.com/shop:1.0.0
  environments:
    staging: {replicas: 1}
    prod: {replicas: 3}
`)
	platform := yaml.MustParse(`apiVersion: slipway.dev/v1alpha1
kind: Platform
metadata:
  name: acme
  annotations:
    config.kubernetes.io/path: platform/acme.yaml
    internal.config.kubernetes.io/path: platform/acme.yaml
spec:
  tenants: [{namespace: web}]
`)
	earlier := func(file string) *yaml.RNode {
		return yaml.MustParse(fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: web
  labels: {app.kubernetes.io/managed-by: slipway}
  annotations:
    config.kubernetes.io/path: %[1]s
    internal.config.kubernetes.io/path: %[1]s
spec: {ports: [{port: 80}]}
`, file))
	}
	earlierFiles := []string{
		"apps/shop.generated.yaml",         // the base
		"apps/shop.staging.generated.yaml", // another environment: kept
		"apps/shop.prod.generated.yaml",    // this environment: replaced
		"apps/gone.prod.generated.yaml",    // an App since removed
		"apps/shop.qa.generated.yaml",      // no environment qa any more
		"platform/acme.staging.generated.yaml",
		"platform/acme.generated.yaml",
	}
	for _, tc := range []struct {
		environment string
		want        []string // the files of the output
	}{
		{"prod", []string{"apps/shop.prod.generated.yaml", "apps/shop.staging.generated.yaml", "apps/shop.yaml",
			"platform/acme.prod.generated.yaml", "platform/acme.staging.generated.yaml", "platform/acme.yaml"}},
		{"staging", []string{"apps/shop.prod.generated.yaml", "apps/shop.staging.generated.yaml", "apps/shop.yaml",
			"platform/acme.staging.generated.yaml", "platform/acme.yaml"}},
		{"", []string{"apps/shop.generated.yaml", "apps/shop.prod.generated.yaml", "apps/shop.staging.generated.yaml", "apps/shop.yaml",
			"platform/acme.generated.yaml", "platform/acme.staging.generated.yaml", "platform/acme.yaml"}},
	} {
		t.Run("environment="+tc.environment, func(t *testing.T) {
			items := []*yaml.RNode{app.Copy(), platform.Copy()}
			for _, f := range earlierFiles {
				items = append(items, earlier(f))
			}
			out, results := Render(items, nil, Options{Environment: tc.environment})
			if results.ExitCode() != 0 {
				t.Fatal(results.Error())
			}
			renderedFile := "apps/shop.generated.yaml"
			if tc.environment != "" {
				renderedFile = "apps/shop." + tc.environment + ".generated.yaml"
			}
			var files []string
			rendered := 0
			for _, obj := range out {
				file, _, _ := kioutil.GetFileAnnotations(obj)
				if !slices.Contains(files, file) {
					files = append(files, file)
				}
				if file == renderedFile {
					rendered++
				}
			}
			slices.Sort(files)
			if diff := cmp.Diff(tc.want, files); diff != "" {
				t.Errorf("files of the output (-want +got):\n%s", diff)
			}
			if rendered < 3 { // Deployment and Services, at least
				t.Errorf("%d objects in %s, want the App's rendering", rendered, renderedFile)
			}
		})
	}
}
