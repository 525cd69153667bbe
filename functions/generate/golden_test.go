package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/internal/golden"
	"github.com/slipway-dev/slipway/functions/internal/secretscan"
	"github.com/slipway-dev/slipway/functions/krm"
)

// TestGolden renders each testdata/render/<case>/input.yaml (with
// config.yaml as the function config, when present) and compares the output
// items with expected.yaml, or the error results with errors.txt. Without a
// config.yaml, every environment the input defines is rendered too and
// compared with expected.<environment>.yaml (or errors.<environment>.txt).
// A golden file no rendering is compared with is an error: it would claim
// what nothing checks.
func TestGolden(t *testing.T) {
	for _, dir := range golden.Cases(t, "../../testdata/render") {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			compared := map[string]bool{}
			defer checkAllCompared(t, dir, compared)
			items, config := ReadCase(t, dir)
			if !checkVariant(t, dir, "", items, config, Options{}, compared) || config != nil {
				return
			}
			for _, env := range Environments(t, items) {
				t.Run(env, func(t *testing.T) {
					checkVariant(t, dir, "."+env, items, nil, Options{Environment: env}, compared)
				})
			}
		})
	}
}

// checkAllCompared fails for every golden file of a case that no rendering
// was compared with.
func checkAllCompared(t *testing.T, dir string, compared map[string]bool) {
	t.Helper()
	for _, pattern := range []string{"expected*.yaml", "errors*.txt"} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, file := range files {
			if !compared[file] {
				t.Errorf("%s: no rendering is compared with it; remove it", file)
			}
		}
	}
}

// checkVariant compares one rendering with its golden file, noting it in
// compared, and reports whether the rendering succeeded.
func checkVariant(t *testing.T, dir, suffix string, items []*yaml.RNode, config *yaml.RNode, opts Options, compared map[string]bool) bool {
	t.Helper()
	out, results := Render(copyNodes(items), config, opts)
	errorsFile, expectedFile := filepath.Join(dir, "errors"+suffix+".txt"), filepath.Join(dir, "expected"+suffix+".yaml")
	if golden.Exists(errorsFile) || (results.ExitCode() != 0 && golden.Updating()) {
		if out != nil {
			t.Errorf("a failed rendering returned %d items; want none", len(out))
		}
		if results.ExitCode() == 0 {
			t.Fatalf("want errors, rendering succeeded")
		}
		var msgs strings.Builder
		for _, r := range results {
			msg := krm.FormatResult(r)
			if what := secretscan.InValue(msg); what != "" {
				t.Errorf("a message shows what looks like %s: %s", what, msg)
			}
			msgs.WriteString(msg + "\n")
		}
		compared[errorsFile] = true
		golden.Compare(t, errorsFile, []byte(msgs.String()))
		return false
	}
	if results.ExitCode() != 0 {
		t.Fatalf("rendering failed:\n%s", results.Error())
	}
	compared[expectedFile] = true
	golden.Compare(t, expectedFile, Encode(t, out))
	return true
}

// Environments lists the environments the Apps and Platform of items define.
func Environments(t *testing.T, items []*yaml.RNode) []string {
	t.Helper()
	var docs []map[string]any
	for _, item := range items {
		if strings.HasPrefix(item.GetApiVersion(), v1alpha1.Group+"/") {
			var doc map[string]any
			if err := item.YNode().Decode(&doc); err == nil {
				docs = append(docs, doc)
			}
		}
	}
	return v1alpha1.KnownEnvironments(docs...)
}

func copyNodes(items []*yaml.RNode) []*yaml.RNode {
	out := make([]*yaml.RNode, len(items))
	for i, item := range items {
		out[i] = item.Copy()
	}
	return out
}

// ReadCase reads a case's input.yaml and optional config.yaml.
func ReadCase(t *testing.T, dir string) ([]*yaml.RNode, *yaml.RNode) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	var config *yaml.RNode
	if cfg, err := os.ReadFile(filepath.Join(dir, "config.yaml")); err == nil {
		if config, err = yaml.Parse(string(cfg)); err != nil {
			t.Fatal(err)
		}
	}
	return items, config
}

// Encode writes items as a YAML stream.
func Encode(t *testing.T, items []*yaml.RNode) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (kio.ByteWriter{Writer: &buf}).Write(items); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
