package apiserver

import (
	"bytes"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/importer"
	"github.com/slipway-dev/slipway/functions/stream"
)

// TestImportTakesOverInPlace imports each testdata/import case and applies
// the rendering of the imported Apps over the imported objects, as the
// updates the API server validates: every built-in object it renders back
// is an update in place (no immutable field changes), and each
// Deployment's selector is the imported one, byte for byte.
func TestImportTakesOverInPlace(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(root, "testdata/import/*/input"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no import cases: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(filepath.Dir(dir)), func(t *testing.T) {
			live, err := stream.Read([]string{dir}, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := importer.Import(live)
			if err != nil {
				t.Fatal(err)
			}
			var apps []*yaml.RNode
			for _, a := range res.Apps {
				apps = append(apps, a.Node)
			}
			// The Helm chart's output has no namespace: it is applied
			// with one, as the rendering is.
			out, err := stream.Render(apps, generate.Options{DefaultNamespace: "shop"})
			if err != nil {
				t.Fatal(err)
			}
			rendered, err := stream.Read([]string{"-"}, bytes.NewReader(out.YAML))
			if err != nil {
				t.Fatal(err)
			}
			updates := 0
			for _, old := range live {
				gvk := schema.FromAPIVersionAndKind(old.GetApiVersion(), old.GetKind())
				if _, ok := builtin[gvk]; !ok {
					continue
				}
				updated := find(rendered, old)
				if updated == nil {
					continue
				}
				if old.GetNamespace() == "" {
					// Applied where the App renders it, as the import report says.
					if err := old.SetNamespace(updated.GetNamespace()); err != nil {
						t.Fatal(err)
					}
				}
				updated = keepAllocated(t, old, updated)
				if msgs := ValidateUpdate(document(t, old), document(t, updated)); len(msgs) > 0 {
					t.Errorf("%s %s: the update is refused: %q", old.GetKind(), old.GetName(), msgs)
				}
				updates++
				if old.GetKind() == "Deployment" {
					before, after := selector(t, old), selector(t, updated)
					if before != after {
						t.Errorf("Deployment %s: selector %s, was %s", old.GetName(), after, before)
					}
				}
			}
			if updates == 0 {
				t.Error("no imported object is rendered back")
			}
		})
	}
}

// keepAllocated gives the rendered Service the addresses the live one was
// allocated, as applying it does (kubectl apply and Argo CD patch the live
// object; no manifest sets them): the update then runs as applied.
func keepAllocated(t *testing.T, live, rendered *yaml.RNode) *yaml.RNode {
	t.Helper()
	if live.GetKind() != "Service" {
		return rendered
	}
	out := rendered.Copy()
	for _, field := range []string{"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"} {
		value, err := live.Pipe(yaml.Lookup("spec", field))
		if err != nil {
			t.Fatal(err)
		}
		if value != nil {
			if err := out.PipeE(yaml.LookupCreate(yaml.MappingNode, "spec"), yaml.SetField(field, value)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

func find(objects []*yaml.RNode, like *yaml.RNode) *yaml.RNode {
	for _, o := range objects {
		if o.GetKind() == like.GetKind() && o.GetName() == like.GetName() {
			return o
		}
	}
	return nil
}

func document(t *testing.T, n *yaml.RNode) []byte {
	t.Helper()
	n = n.Copy()
	_ = n.PipeE(yaml.ClearAnnotation("internal.config.kubernetes.io/path"))
	s, err := n.String()
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}

func selector(t *testing.T, n *yaml.RNode) string {
	t.Helper()
	sel, err := n.Pipe(yaml.Lookup("spec", "selector"))
	if err != nil || sel == nil {
		t.Fatalf("%s: no spec.selector", n.GetName())
	}
	var v any
	if err := sel.YNode().Decode(&v); err != nil {
		t.Fatal(err)
	}
	data, err := sigsyaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
