package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// renderedObjects are the objects slipway rendered from Apps in a file.
func renderedObjects(t *testing.T, file string) []*yaml.RNode {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	items, err := (&kio.ByteReader{Reader: strings.NewReader(string(data)), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []*yaml.RNode
	for _, item := range items {
		labels := item.GetLabels()
		if labels["app.kubernetes.io/managed-by"] == "slipway" && labels["app.kubernetes.io/name"] != "" {
			out = append(out, item)
		}
	}
	return out
}

// TestImportOfRenderings imports the rendering of every golden case and
// renders the imported Apps: every object comes back, and nothing else.
func TestImportOfRenderings(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/render/*/expected*.yaml")
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			items := renderedObjects(t, file)
			if len(items) == 0 {
				t.Skip("no rendered App")
			}
			res, err := Import(items)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range res.Unplaced {
				t.Errorf("unplaced: %s %s", u.GetKind(), u.GetName())
			}
			for _, a := range res.Apps {
				for _, l := range a.Lost {
					t.Errorf("%s lost: %s", a.App.Name, l)
				}
				for _, d := range a.Differences {
					t.Errorf("%s difference: %s", a.App.Name, d)
				}
			}
		})
	}
}
