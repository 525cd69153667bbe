package encode

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/slipway-dev/slipway/functions/internal/appgen"
)

// writerInputs are ResourceLists whose items exercise what the YAML emitter
// treats specially: comments, anchors and aliases, block scalars, long and
// multi-line strings, flow style, empty maps and lists, a function config
// and results.
var writerInputs = map[string]string{
	"empty": "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n",
	"no items": "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n" +
		"functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}\n",
	"comments": `# head of the list
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# before the first item
- apiVersion: v1 # line comment
  kind: ConfigMap
  metadata:
    name: a # name
    annotations:
      config.kubernetes.io/path: a.yaml
      config.kubernetes.io/index: "0"
      internal.config.kubernetes.io/path: a.yaml
  # before data
  data:
    script: |
      #!/bin/sh
        indented
      echo "hi"
    folded: >-
      a folded
      string
    leading: |2
        starts with spaces
    long: "` + strings.Repeat("a long line ", 30) + `"
    quoted: 'it''s'
    multi: "one\ntwo\n"
    empty: ""
  # foot of the first item
- apiVersion: v1
  kind: List
  metadata: {name: b, labels: {x: "1"}}
  items: []
  extra: {}
  anchors:
    base: &base {a: 1, b: [1, 2]}
    copy: *base
    merged:
      <<: *base
      c: 3
- apiVersion: v1
  kind: Secret
  metadata:
    name: c
    annotations: {}
  stringData:
    "key with: colon": "value # not a comment"
    "? odd": "- dash"
    unicode: "héllo ✓"
    tab: "a\tb"
    nul: "a\u0000b"
- apiVersion: v1
  kind: ConfigMap
  metadata:
    annotations: {}
  data: {multi: "a\nb\n", "8080": 8080}
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: fn}
results:
- message: a result
  severity: warning
`,
}

// TestWriteResourceListMatchesByteWriter checks that the item-by-item writer
// writes exactly what kio.ByteWriter writes.
func TestWriteResourceListMatchesByteWriter(t *testing.T) {
	inputs := map[string]string{}
	for k, v := range writerInputs {
		inputs[k] = v
	}
	apps, err := appgen.ResourceList(7, 50)
	if err != nil {
		t.Fatal(err)
	}
	inputs["apps"] = string(apps)
	files, _ := filepath.Glob("../../testdata/render/*/input.yaml")
	if len(files) == 0 {
		t.Fatal("no golden inputs found")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// A stream of objects becomes the items of a ResourceList.
		nodes, err := kio.FromBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := (kio.ByteWriter{Writer: &buf, WrappingKind: "ResourceList", WrappingAPIVersion: "config.kubernetes.io/v1"}).Write(nodes); err != nil {
			t.Fatal(err)
		}
		inputs[f] = buf.String()
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			read := func() *kio.ByteReadWriter {
				rw := &kio.ByteReadWriter{Reader: strings.NewReader(in), KeepReaderAnnotations: true}
				return rw
			}
			rwWant := read()
			items, err := rwWant.Read()
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			rwWant.Writer = &want
			if err := rwWant.Write(items); err != nil {
				t.Fatal(err)
			}
			rwGot := read()
			items, err = rwGot.Read()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := ReadWriterOutput(&got, rwGot, items); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), got.String()); diff != "" {
				t.Errorf("output differs from kio.ByteWriter's (-want +got):\n%s", diff)
			}
		})
	}
}
