package importer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestImportOfRenderings imports the rendering of every golden case, every
// environment, renders the imported Apps, and requires the same objects
// back, with no difference to list. How much of each imported App its
// fields say, and how much its patches and extra objects keep, is written
// to testdata/import/renderings.txt, so that a change shows in review.
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
			for _, a := range res.Apps {
				for _, l := range append(a.Lost, a.Differences...) {
					t.Errorf("%s: %s", a.App.Name, l)
				}
				fmt.Fprintf(&summary, "%s %s: %d patches, %d extra objects\n", name, a.App.Name, len(a.App.Spec.Patches), len(a.App.Spec.ExtraObjects))
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

// renderedObjects are the objects slipway rendered from Apps in a file:
// not the Apps, not the Platform's objects.
func renderedObjects(t *testing.T, file string) []*yaml.RNode {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []*yaml.RNode
	for _, item := range items {
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
