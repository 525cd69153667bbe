package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestExamples renders the examples that keep their expected output beside
// them (examples/<name>/rendered/), so the documented output is the real one:
// every YAML file of the example is input, and each environment renders to
// rendered/<environment>.yaml, the base to rendered/base.yaml.
func TestExamples(t *testing.T) {
	for _, dir := range []string{"../../examples/quickstart", "../../examples/platform-team", "../../examples/rails"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			items := readDir(t, dir)
			for _, env := range append([]string{""}, Environments(t, items)...) {
				out, results := Render(copyNodes(items), nil, Options{Environment: env})
				if results.ExitCode() != 0 {
					t.Fatalf("rendering %q failed:\n%s", env, results.Error())
				}
				var generated []*yaml.RNode
				for _, obj := range out {
					if !strings.HasPrefix(obj.GetApiVersion(), "slipway.dev/") {
						generated = append(generated, obj)
					}
				}
				name := env
				if name == "" {
					name = "base"
				}
				golden.Compare(t, filepath.Join(dir, "rendered", name+".yaml"), Encode(t, generated))
			}
		})
	}
}

func readDir(t *testing.T, dir string) []*yaml.RNode {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no input files in %s", dir)
	}
	var items []*yaml.RNode
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, nodes...)
	}
	return items
}
