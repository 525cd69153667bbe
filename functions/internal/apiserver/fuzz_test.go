package apiserver

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/oracle"
	"github.com/slipway-dev/slipway/functions/krm"
)

// maxFuzzInput keeps an input small enough to render and check in
// milliseconds.
const maxFuzzInput = 16 << 10

// maxEnvironments bounds the renderings of one input: each environment
// is one more rendering and check.
const maxEnvironments = 3

// FuzzAcceptedIsValid renders an input (a stream of items or a
// ResourceList: Apps, a Platform, other objects) with slipway's renderer,
// as is and in each environment it defines; whenever slipway accepts it,
// every object it rendered must be accepted by the API server too. A
// counterexample is an App slipway should have refused, or a rendering
// bug. The seed corpus is every golden case's input and the bad-input
// corpus. An input with patches or extra objects is rendered (it must
// not crash) but not checked: their content is the author's, which
// slipway decodes into its type and no further, as kustomize does.
func FuzzAcceptedIsValid(f *testing.F) {
	for _, pattern := range []string{"testdata/render/*/input.yaml", "testdata/corpus/*/stdin.yaml"} {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		if len(files) == 0 {
			f.Fatalf("no seed matches %s", pattern)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		reader := &kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}
		items, err := reader.Read()
		if err != nil || krm.CheckLimits(items, reader.FunctionConfig) != nil {
			return // the ResourceList reader refuses it before rendering
		}
		checked := !usesEscapeHatch(append(items, reader.FunctionConfig))
		checkAccepted(t, items, reader.FunctionConfig, generate.Options{}, checked)
		if reader.FunctionConfig != nil {
			return // the function config chooses the environment
		}
		for i, env := range environments(items) {
			if i == maxEnvironments {
				break
			}
			checkAccepted(t, items, nil, generate.Options{Environment: env}, checked)
		}
	})
}

// checkAccepted renders copies of the items and, if slipway accepts them
// and validate is set, validates every object it rendered.
func checkAccepted(t *testing.T, items []*yaml.RNode, config *yaml.RNode, opts generate.Options, validate bool) {
	t.Helper()
	copies := make([]*yaml.RNode, len(items))
	for i, item := range items {
		copies[i] = item.Copy()
	}
	if config != nil {
		config = config.Copy()
	}
	out, results := generate.Render(copies, config, opts)
	if results.ExitCode() != 0 || !validate {
		return
	}
	// Only what slipway rendered: the items it passes through are the
	// input's own business.
	var rendered []*yaml.RNode
	for _, node := range out {
		if node.GetLabels()["app.kubernetes.io/managed-by"] == "slipway" {
			rendered = append(rendered, node)
		}
	}
	var buf bytes.Buffer
	if err := (kio.ByteWriter{Writer: &buf}).Write(rendered); err != nil {
		t.Fatalf("rendered objects cannot be written: %v", err)
	}
	objects, err := oracle.ReadObjects(buf.Bytes())
	if err != nil {
		t.Fatalf("rendered objects cannot be read back: %v", err)
	}
	for _, obj := range objects {
		if msgs := Validate(obj.Raw); len(msgs) > 0 {
			t.Errorf("environment %q: slipway rendered %s, which the API server refuses:\n  %s", opts.Environment, obj.ID(), strings.Join(msgs, "\n  "))
		}
	}
}

// environments are the environments the Apps and the Platform define.
func environments(items []*yaml.RNode) []string {
	var docs []map[string]any
	for _, item := range items {
		if !v1alpha1.InGroup(item.GetApiVersion()) {
			continue
		}
		var doc map[string]any
		if err := item.YNode().Decode(&doc); err == nil {
			docs = append(docs, doc)
		}
	}
	return v1alpha1.KnownEnvironments(docs...)
}

// usesEscapeHatch tells whether an App or Platform of the items (or the
// function config) has patches or extra objects anywhere: in its spec, its
// environments or the Platform's defaults.
func usesEscapeHatch(items []*yaml.RNode) bool {
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i].Value; k == "patches" || k == "extraObjects" {
					return true
				}
			}
		}
		for _, c := range n.Content {
			if walk(c) {
				return true
			}
		}
		return false
	}
	for _, item := range items {
		if item != nil && v1alpha1.InGroup(item.GetApiVersion()) && walk(item.YNode()) {
			return true
		}
	}
	return false
}
