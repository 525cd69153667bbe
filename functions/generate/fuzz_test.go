package generate

import (
	"io"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/krm"
)

// maxFuzzInput keeps each fuzz input small enough to run in milliseconds;
// size limits are the business of the ResourceList reader (FuzzRun).
const maxFuzzInput = 16 << 10

// hangAfter is far beyond the time any input of maxFuzzInput bytes takes;
// an input that takes longer is a hang.
const hangAfter = 5 * time.Second

// FuzzRender parses one YAML item (an App, most likely) and renders it:
// decode, strict check, defaults, validation, rendering and encoding. It
// must not panic or hang, and it must return either objects or errors,
// never both. The seed corpus is in testdata/fuzz/FuzzRender.
func FuzzRender(f *testing.F) {
	f.Add([]byte("apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata: {name: shop}\nspec: {image: registry.example.com/shop:1.0.0}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		node, err := yaml.Parse(string(data))
		if err != nil || node == nil || yaml.IsMissingOrNull(node) {
			return
		}
		// The reader (krm) refuses items that are not objects before the
		// renderer sees them: do the same.
		if krm.CheckLimits([]*yaml.RNode{node}, nil) != nil {
			return
		}
		start := time.Now()
		out, results := Render([]*yaml.RNode{node}, nil, Options{})
		if d := time.Since(start); d > hangAfter {
			t.Fatalf("rendering took %v", d)
		}
		if results.ExitCode() != 0 {
			if out != nil {
				t.Fatalf("a failed rendering returned %d items", len(out))
			}
			return
		}
		if err := encode.WriteResourceList(io.Discard, kio.ResourceListAPIVersion, kio.ResourceListKind, out, nil, nil); err != nil {
			t.Fatalf("rendered objects cannot be written: %v", err)
		}
	})
}
