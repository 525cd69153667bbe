package encode

import (
	"sync"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

type sample struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   map[string]any    `json:"metadata"`
	Data       map[string]string `json:"data"`
}

// TestSharedValues checks that objects share the nodes of equal values,
// quoted once and never written again (encoding runs on every CPU: the race
// detector sees a write), and that kpt's and kustomize's annotations, which
// kyaml sets in place, get nodes of their own.
func TestSharedValues(t *testing.T) {
	obj := func() sample {
		return sample{APIVersion: "v1", Kind: "ConfigMap",
			Metadata: map[string]any{"name": "a", "annotations": map[string]string{"config.kubernetes.io/path": "a.yaml", "team": "on"}},
			Data:     map[string]string{"flag": "on", "name": "a"}}
	}
	nodes := make([]*yaml.RNode, 8)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			n, err := Object(obj())
			if err != nil {
				t.Error(err)
			}
			nodes[i] = n
		})
	}
	wg.Wait()
	lookup := func(n *yaml.RNode, path ...string) *yaml.Node {
		v, err := n.Pipe(yaml.Lookup(path...))
		if err != nil || v == nil {
			t.Fatalf("%v: %v", path, err)
		}
		return v.YNode()
	}
	for _, n := range nodes[1:] {
		if lookup(n, "data", "flag") != lookup(nodes[0], "data", "flag") {
			t.Error("equal values have nodes of their own")
		}
		if lookup(n, "metadata", "annotations", "config.kubernetes.io/path") == lookup(nodes[0], "metadata", "annotations", "config.kubernetes.io/path") {
			t.Error("a client annotation's value node is shared")
		}
	}
	if flag := lookup(nodes[0], "data", "flag"); flag.Style != yaml.DoubleQuotedStyle {
		t.Errorf("\"on\" is not quoted: style %v", flag.Style)
	}
}
