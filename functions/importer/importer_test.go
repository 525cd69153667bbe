package importer

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
)

// TestLiveSelectorThatCannotBeKept: a live selector whose app label is not
// the App's name cannot be kept (slipway's Services select by it), so the
// Deployment's selector changes; the report must say that Kubernetes
// refuses that change, not that it is harmless.
func TestLiveSelectorThatCannotBeKept(t *testing.T) {
	in := `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: api, image: registry.example.com/api:1.0.0}]}
`
	items, err := (&kio.ByteReader{Reader: strings.NewReader(in), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(items)
	if err != nil || len(res.Apps) != 1 {
		t.Fatalf("import: %v, %d Apps", err, len(res.Apps))
	}
	report := strings.Join(res.Apps[0].Differences, "\n")
	if !strings.Contains(report, "Deployment web/api: spec.selector.matchLabels.app is api, was web: Kubernetes refuses any change to a workload's selector") {
		t.Errorf("the report does not say the selector change is refused:\n%s", report)
	}
}
