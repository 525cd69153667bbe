package encode

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// aliasInputs are ResourceLists whose items alias anchors in places a
// reader of the written item alone cannot find: the function config,
// another item, an item left out of the output, an anchor redefined later.
var aliasInputs = map[string]struct {
	input string
	drop  string // the item, by name, left out of the output, as a replaced rendering is
	kept  int    // aliases written as aliases
}{
	"function config": {input: `apiVersion: config.kubernetes.io/v1
kind: ResourceList
functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: fn}, data: {x: &shared hello}}
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {y: *shared}}
`},
	"another item": {input: `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a, labels: &labels {team: x}}
  data: &data {k: v, l: [1, 2]}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: b, labels: *labels}
  data:
    <<: *data
    m: *labels
`, kept: 0},
	"a dropped item": {input: `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: old}, data: {x: &shared hello, k: &key kk}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {y: *shared, *key : v}}
`, drop: "old"},
	"the item's own anchors": {input: `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a, labels: &l {app: a}}
  data: {x: &x 1, y: *x}
  spec: {selector: *l, nested: &n {a: *x}, again: *n}
`, kept: 4},
	"an anchor redefined in the item": {input: `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {x: &x one}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {y: *x, x: &x two, z: *x}}
`, kept: 1},
	"an alias to what holds anchors and aliases": {input: `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: &outer {x: &inner [1, 2], y: *inner}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, spec: {o: *outer, p: *outer, i: *inner}}
`, kept: 1},
}

// TestSelfContained checks that every item written by WriteResourceList or
// SelfContained reads back on its own, means what it meant, and keeps the
// aliases whose anchors it holds.
func TestSelfContained(t *testing.T) {
	for name, tc := range aliasInputs {
		t.Run(name, func(t *testing.T) {
			rw := &kio.ByteReadWriter{Reader: strings.NewReader(tc.input), KeepReaderAnnotations: true}
			items, err := rw.Read()
			if err != nil {
				t.Fatal(err)
			}
			var kept []*yaml.RNode
			var want []any
			for _, item := range items {
				if item.GetName() != tc.drop {
					kept = append(kept, item)
					want = append(want, decode(t, item.YNode()))
				}
			}
			var out bytes.Buffer
			if err := ReadWriterOutput(&out, rw, kept); err != nil {
				t.Fatal(err)
			}
			// Each item is read back alone, as kpt writes it to its own file.
			back, err := (&kio.ByteReader{Reader: &out, OmitReaderAnnotations: true}).Read()
			if err != nil {
				t.Fatalf("the output does not read back: %v\n%s", err, out.String())
			}
			var stream bytes.Buffer
			if err := (kio.ByteWriter{Writer: &stream}).Write(back); err != nil {
				t.Fatal(err)
			}
			aliases := 0
			for i, item := range back {
				text, err := item.String()
				if err != nil {
					t.Fatal(err)
				}
				alone, err := yaml.Parse(text)
				if err != nil {
					t.Fatalf("item %d does not read back alone: %v\n%s", i, err, text)
				}
				if got := decode(t, alone.YNode()); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("item %d reads back as\n%v\nwant\n%v", i, got, want[i])
				}
				aliases += countAliases(alone.YNode())
			}
			if aliases != tc.kept {
				t.Errorf("%d aliases kept, want %d:\n%s", aliases, tc.kept, out.String())
			}

			// SelfContained, for stream writers, gives the same items.
			rw = &kio.ByteReadWriter{Reader: strings.NewReader(tc.input)}
			items, _ = rw.Read()
			kept = kept[:0]
			for _, item := range items {
				if item.GetName() != tc.drop {
					kept = append(kept, item)
				}
			}
			SelfContained(kept)
			var buf bytes.Buffer
			if err := (kio.ByteWriter{Writer: &buf}).Write(kept); err != nil {
				t.Fatal(err)
			}
			back, err = (&kio.ByteReader{Reader: &buf, OmitReaderAnnotations: true}).Read()
			if err != nil {
				t.Fatalf("the stream does not read back: %v\n%s", err, buf.String())
			}
			for i, item := range back {
				if got := decode(t, item.YNode()); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("stream item %d reads back as\n%v\nwant\n%v", i, got, want[i])
				}
			}
		})
	}
}

func decode(t *testing.T, n *yaml.Node) any {
	t.Helper()
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func countAliases(n *yaml.Node) int {
	c := 0
	if n.Kind == yaml.AliasNode {
		c++
	}
	for _, child := range n.Content {
		c += countAliases(child)
	}
	return c
}
