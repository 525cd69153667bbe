package generate

import (
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const appYAML = `apiVersion: slipway.dev/v1alpha1
kind: App
metadata:
  name: hello
  namespace: demo
  annotations:
    config.kubernetes.io/function: |
      exec: {path: ./slipway-render}
    config.kubernetes.io/local-config: "true"
    slipway.dev/environment: prod
spec:
  image: registry.example.com/hello:1.0.0
  environments:
    prod: {replicas: 3}
`

// kustomize passes a generator's config both as the function config and as
// the only item: the App is rendered once, passes through with its
// local-config mark (so kustomize drops it), and no rendered object inherits
// a function or local-config annotation (kustomize would drop it silently).
func TestAppAsFunctionConfig(t *testing.T) {
	config := yaml.MustParse(appYAML)
	out, results := Render([]*yaml.RNode{yaml.MustParse(appYAML)}, config, Options{})
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	var apps, deployments int
	for _, obj := range out {
		switch obj.GetKind() {
		case "App":
			apps++
			continue
		case "Deployment":
			deployments++
			if got := obj.Field("spec").Value.Field("replicas").Value.YNode().Value; got != "3" {
				t.Errorf("the annotation selected no environment: replicas %s, want 3", got)
			}
		}
		for k := range obj.GetAnnotations() {
			if strings.HasPrefix(k, "config.kubernetes.io/") || strings.HasPrefix(k, "internal.config.kubernetes.io/") {
				t.Errorf("%s %s carries %s", obj.GetKind(), obj.GetName(), k)
			}
		}
	}
	if apps != 1 || deployments != 1 {
		t.Errorf("got %d Apps and %d Deployments in the output, want 1 and 1", apps, deployments)
	}
}

// kpt passes the function config's file among the items, with its file
// annotations: the same App, rendered once. An item with the config's name
// and other content is an error.
func TestAppAsFunctionConfigAndItem(t *testing.T) {
	const app = "apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata:\n  name: hello\n  namespace: demo\n%sspec:\n  image: registry.example.com/hello:%s\n"
	config := yaml.MustParse(fmt.Sprintf(app, "", "1.0.0"))
	same := yaml.MustParse(fmt.Sprintf(app, "  annotations:\n    internal.config.kubernetes.io/path: fn.yaml\n    config.kubernetes.io/path: fn.yaml\n", "1.0.0"))
	out, results := Render([]*yaml.RNode{same}, config, Options{})
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	deployments := 0
	for _, obj := range out {
		if obj.GetKind() == "Deployment" {
			deployments++
		}
	}
	if deployments != 1 {
		t.Errorf("%d Deployments, want 1", deployments)
	}
	other := yaml.MustParse(fmt.Sprintf(app, "", "2.0.0"))
	_, results = Render([]*yaml.RNode{other}, config, Options{})
	if want := `"hello" is also the function config's name, with other content`; results.ExitCode() == 0 || !strings.Contains(results.Error(), want) {
		t.Errorf("want an error containing %q, got %v", want, results)
	}
}

func TestPlatformAsFunctionConfig(t *testing.T) {
	config := yaml.MustParse(`apiVersion: slipway.dev/v1alpha1
kind: Platform
metadata: {name: acme}
spec: {namespace: apps, imageRegistry: registry.acme.example}
`)
	app := yaml.MustParse(`apiVersion: slipway.dev/v1alpha1
kind: App
metadata: {name: hello}
spec: {image: hello:1.0.0}
`)
	out, results := Render([]*yaml.RNode{app}, config, Options{})
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	for _, obj := range out {
		if obj.GetKind() == "Deployment" {
			if obj.GetNamespace() != "apps" {
				t.Errorf("namespace %q, want the Platform's apps", obj.GetNamespace())
			}
			image, _ := obj.Pipe(yaml.Lookup("spec", "template", "spec", "containers", "[name=hello]", "image"))
			if got := image.YNode().Value; got != "registry.acme.example/hello:1.0.0" {
				t.Errorf("image %q, want the Platform's registry prefix", got)
			}
			return
		}
	}
	t.Fatal("no Deployment rendered")
}

func TestConfigMapOptions(t *testing.T) {
	config := yaml.MustParse(`apiVersion: v1
kind: ConfigMap
metadata: {name: options}
data: {environment: prod, defaultNamespace: fallback, enviroment: typo}
`)
	_, results := Render([]*yaml.RNode{yaml.MustParse(appYAML)}, config, Options{})
	if results.ExitCode() == 0 || !strings.Contains(results.Error(), `data.enviroment: unknown option`) {
		t.Fatalf("want an unknown option error, got %v", results)
	}
}

// Rendering the output of a rendering again gives the same items: objects
// of the earlier rendering are replaced, not duplicated.
func TestRenderIsIdempotent(t *testing.T) {
	items, _ := ReadCase(t, "../../testdata/render/admin-istio-eso")
	first, results := Render(copyNodes(items), nil, Options{})
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	second, results := Render(copyNodes(first), nil, Options{})
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	if a, b := string(Encode(t, first)), string(Encode(t, second)); a != b {
		t.Fatalf("a second rendering changed the output:\n%s\n---\n%s", a, b)
	}
}

// kpt passes the package's files as items with their paths: an App or
// Platform file without local-config gets a warning on its file, since kpt
// live apply would send it to the cluster; a marked one and an App that came
// from no file (a pipe, kustomize) get none.
func TestUnmarkedSourcesWarning(t *testing.T) {
	item := func(name, annotations string) *yaml.RNode {
		return yaml.MustParse("apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata:\n  name: " + name +
			"\n  namespace: demo\n  annotations:\n" + annotations + "spec:\n  image: registry.example.com/" + name + ":1.0.0\n")
	}
	rl := &framework.ResourceList{Items: []*yaml.RNode{
		item("unmarked", "    config.kubernetes.io/path: apps/unmarked.yaml\n    internal.config.kubernetes.io/path: apps/unmarked.yaml\n"),
		item("marked", "    config.kubernetes.io/path: apps/marked.yaml\n    config.kubernetes.io/local-config: \"true\"\n"),
		item("piped", "    team: web\n"),
	}}
	if err := (Processor{}).Process(rl); err != nil {
		t.Fatal(err)
	}
	if len(rl.Results) != 1 {
		t.Fatalf("want 1 result, got %d:\n%s", len(rl.Results), rl.Results.Error())
	}
	r := rl.Results[0]
	if r.Severity != framework.Warning || r.ResourceRef.Name != "unmarked" || r.File == nil || r.File.Path != "apps/unmarked.yaml" ||
		r.Field == nil || r.Field.Path != "metadata.annotations" || !strings.Contains(r.Message, "local-config") {
		t.Errorf("unexpected result: %+v", r)
	}
}

// A kustomize transformer shared by every App's kustomization sees the one
// Platform in each: with the function config's sharedPlatform, the
// Platform's own objects are left to the Platform's own rendering; without
// it, they are rendered. A value other than true or false is an error.
func TestSharedPlatformOption(t *testing.T) {
	platform := `apiVersion: slipway.dev/v1alpha1
kind: Platform
metadata: {name: acme}
spec:
  tenants: [{namespace: demo}]
`
	app := `apiVersion: slipway.dev/v1alpha1
kind: App
metadata: {name: hello, namespace: demo}
spec: {image: registry.example.com/hello:1.0.0}
`
	for _, tc := range []struct {
		shared     string
		namespaces int
		err        string
	}{
		{"", 1, ""},
		{`"false"`, 1, ""},
		{`"true"`, 0, ""},
		{"maybe", 0, `data.sharedPlatform: "maybe" is not true or false`},
	} {
		var config *yaml.RNode
		if tc.shared != "" {
			config = yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {sharedPlatform: " + tc.shared + "}\n")
		}
		out, results := Render([]*yaml.RNode{yaml.MustParse(platform), yaml.MustParse(app)}, config, Options{})
		if tc.err != "" {
			if results.ExitCode() == 0 || !strings.Contains(results.Error(), tc.err) {
				t.Errorf("%s: want an error with %q, got %v", tc.shared, tc.err, results)
			}
			continue
		}
		if results.ExitCode() != 0 {
			t.Fatalf("%s: %v", tc.shared, results.Error())
		}
		namespaces := 0
		for _, obj := range out {
			if obj.GetKind() == "Namespace" {
				namespaces++
			}
		}
		if namespaces != tc.namespaces {
			t.Errorf("sharedPlatform %s: %d Namespaces rendered, want %d", tc.shared, namespaces, tc.namespaces)
		}
	}
}
