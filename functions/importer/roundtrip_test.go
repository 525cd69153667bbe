package importer

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestImportOfRenderings imports the rendering of every golden case, every
// environment, renders the imported Apps, and requires the same objects
// back, with no difference to list. Whether each imported App gives back
// the App the case rendered (both resolved, the Platform's defaults and
// the environment merged in), the spec fields where it does not, and how
// many patches and extra objects keep what those fields would have said,
// are written to testdata/import/renderings.txt, so that a change shows
// in review.
func TestImportOfRenderings(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/render/*/expected*.yaml")
	if len(files) == 0 {
		t.Fatal("no golden renderings")
	}
	var summary strings.Builder
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		items := renderedObjects(t, file)
		if len(items) == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			res, err := Import(items)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range res.Unplaced {
				t.Errorf("unplaced: %s %s", u.GetKind(), u.GetName())
			}
			originals := originalApps(t, file)
			for _, a := range res.Apps {
				for _, l := range append(a.Lost, a.Differences...) {
					t.Errorf("%s: %s", a.App.Name, l)
				}
				fmt.Fprintf(&summary, "%s %s: %s; %d patches, %d extra objects\n", name, a.App.Name,
					specDifference(t, originals[a.App.Namespace+"/"+a.App.Name], a.Node), len(a.App.Spec.Patches), len(a.App.Spec.ExtraObjects))
			}
			rendered, err := res.Rendered()
			if err != nil {
				t.Fatalf("the imported Apps do not render:\n%v", err)
			}
			got, want := decoded(t, rendered), decoded(t, items)
			for id, w := range want {
				if !reflect.DeepEqual(got[id], w) {
					t.Errorf("%s is not rendered back as it was", id)
				}
			}
			for id := range got {
				if want[id] == nil {
					t.Errorf("%s is rendered, but was not imported", id)
				}
			}
		})
	}
	golden.Compare(t, "../../testdata/import/renderings.txt", []byte(summary.String()))
}

// originalApps are the Apps of a golden case resolved for the environment
// of one of its renderings (expected.<environment>.yaml): with the
// Platform's defaults and their own environment merged in.
func originalApps(t *testing.T, expected string) map[string]*v1alpha1.App {
	t.Helper()
	env := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(expected), "expected"), ".yaml")
	items := readYAML(t, filepath.Join(filepath.Dir(expected), "input.yaml"))
	var config *yaml.RNode
	if cfg := filepath.Join(filepath.Dir(expected), "config.yaml"); golden.Exists(cfg) {
		config = readYAML(t, cfg)[0]
	}
	exp, results := generate.Expand(items, config, generate.Options{Environment: strings.TrimPrefix(env, ".")})
	if results.ExitCode() != 0 {
		t.Fatalf("the case does not render:\n%s", results.Error())
	}
	out := map[string]*v1alpha1.App{}
	for _, a := range exp.Apps {
		out[a.App.Namespace+"/"+a.App.Name] = a.App
	}
	return out
}

// specDifference names the fields of the original App's spec that the
// imported App, resolved the same way, does not give back: the import
// artefacts (patches, extra objects, per-kind metadata, a kept selector)
// aside.
func specDifference(t *testing.T, original *v1alpha1.App, imported *yaml.RNode) string {
	t.Helper()
	if original == nil {
		return "no such App in the case"
	}
	exp, results := generate.Expand([]*yaml.RNode{imported}, nil, generate.Options{})
	if results.ExitCode() != 0 || len(exp.Apps) != 1 {
		t.Fatalf("the imported App does not render:\n%s", results.Error())
	}
	var want, got map[string]any
	convert(original.Spec, &want)
	convert(exp.Apps[0].App.Spec, &got)
	for _, artefact := range []string{"patches", "extraObjects", "objectMetadata", "compatibility"} {
		delete(want, artefact)
		delete(got, artefact)
	}
	var differ []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !reflect.DeepEqual(want[k], got[k]) {
			differ = append(differ, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			differ = append(differ, k)
		}
	}
	if len(differ) == 0 {
		return "the App given back"
	}
	return "the App given back but for " + strings.Join(differ, ", ")
}

func readYAML(t *testing.T, file string) []*yaml.RNode {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// renderedObjects are the objects slipway rendered from Apps in a file:
// not the Apps, not the Platform's objects.
func renderedObjects(t *testing.T, file string) []*yaml.RNode {
	t.Helper()
	var out []*yaml.RNode
	for _, item := range readYAML(t, file) {
		labels := item.GetLabels()
		if labels["app.kubernetes.io/managed-by"] == "slipway" && labels["app"] != "" {
			out = append(out, item)
		}
	}
	return out
}

func decoded(t *testing.T, objects []*yaml.RNode) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, o := range objects {
		var v map[string]any
		if err := o.YNode().Decode(&v); err != nil {
			t.Fatal(err)
		}
		// The file kpt writes a rendering to is not part of the object.
		meta := mapAt(v, "metadata")
		for k := range mapAt(meta, "annotations") {
			if strings.HasPrefix(k, "internal.config.kubernetes.io/") {
				delete(mapAt(meta, "annotations"), k)
			}
		}
		dropEmpty(meta, "annotations")
		out[o.GetApiVersion()+" "+o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName()] = v
	}
	return out
}
