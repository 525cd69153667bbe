package stream

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
)

const app = "apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata: {name: hello}\nspec: {image: registry.example.com/hello:1.0.0}\n"

// TestRead: files, a directory's top-level YAML files and stdin, each
// object named by its file as the path gives it; a ResourceList with options
// is refused rather than its options dropped.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"app.yaml":           app,
		"b.yml":              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
		".hidden.yaml":       "not: [read",
		"kustomization.yaml": "resources: []\n",
		"notes.txt":          "not read",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	items, err := Read([]string{dir, filepath.Join(dir, "app.yaml"), "-"}, strings.NewReader(strings.Replace(app, "hello", "piped", 1)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, item := range items {
		file, _, _ := kioutil.GetFileAnnotations(item)
		got = append(got, item.GetName()+" from "+strings.TrimPrefix(file, dir))
	}
	want := []string{"hello from /app.yaml", "b from /b.yml", "hello from /app.yaml", "piped from stdin"}
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}

	resourceList := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: o}, data: {environment: prod}}\n"
	if _, err := Read([]string{"-"}, strings.NewReader(resourceList)); err == nil || !strings.Contains(err.Error(), "stdin: a ResourceList with a functionConfig") {
		t.Errorf("want a refusal of the function config, got %v", err)
	}
	if _, err := Read([]string{filepath.Join(dir, "missing.yaml")}, nil); err == nil {
		t.Error("a missing file was read")
	}
}
