package apiserver

import (
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/slipway-dev/slipway/functions/internal/oracle"
)

// liveDeployment is the hand-written Deployment that testdata/render/
// compatibility takes over: its own selector and labels, as a team wrote it.
const liveDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-application
  namespace: legacy
  labels: {app: my-application}
spec:
  replicas: 3
  selector:
    matchLabels: {app: my-application, tier: web}
  template:
    metadata:
      labels: {app: my-application, tier: web}
    spec:
      containers:
      - name: app
        image: registry.example.com/my-application:3.1.0
        ports: [{containerPort: 8080}]
`

// TestTakeOverInPlace applies the rendering of an App with
// spec.compatibility over the live Deployment it takes over, as an update
// the API server validates: the kept selector makes it an update in place.
// The same rendering with slipway's own selector is refused, as the live
// cluster would refuse it: the check can tell the two apart.
func TestTakeOverInPlace(t *testing.T) {
	for _, file := range []string{"expected.yaml", "expected.prod.yaml"} {
		rendered := renderedDeployment(t, filepath.Join(root, "testdata/render/compatibility", file), "my-application")
		if msgs := ValidateUpdate([]byte(liveDeployment), rendered.Raw); len(msgs) > 0 {
			t.Errorf("%s: the update of the live Deployment is refused: %q", file, msgs)
		}
		own := rendered.Doc["spec"].(map[string]any)
		own["selector"] = map[string]any{"matchLabels": map[string]any{"app": "my-application", "slipway.dev/track": "stable"}}
		data, err := yaml.Marshal(rendered.Doc)
		if err != nil {
			t.Fatal(err)
		}
		msgs := ValidateUpdate([]byte(liveDeployment), data)
		if !strings.Contains(strings.Join(msgs, "\n"), "spec.selector") || !strings.Contains(strings.Join(msgs, "\n"), "immutable") {
			t.Errorf("%s: with slipway's own selector, want the selector refused as immutable, got %q", file, msgs)
		}
	}
}

func renderedDeployment(t *testing.T, file, name string) *oracle.Object {
	t.Helper()
	objs, err := oracle.ReadRendered(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, obj := range objs {
		if obj.Kind == "Deployment" && obj.Name == name {
			return obj
		}
	}
	t.Fatalf("%s: no Deployment %s", file, name)
	return nil
}
