// Command normalize prints the Kubernetes objects of YAML files (or stdin)
// in a canonical form, so that outputs of different clients can be
// compared: slipway inputs (Apps, Platforms), local-config objects and the
// Kptfile are left out, file and index annotations removed, fields sorted,
// and the objects sorted by apiVersion, kind, namespace and name. It fails on a document
// that is not an object, and on an empty result.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/filters"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "normalize:", err)
		os.Exit(1)
	}
}

func run(files []string, stdin io.Reader, stdout io.Writer) error {
	var objs []*yaml.RNode
	read := func(name string, r io.Reader) error {
		nodes, err := (&kio.ByteReader{Reader: r, OmitReaderAnnotations: true}).Read()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for i, n := range nodes {
			if n.GetApiVersion() == "" || n.GetKind() == "" || n.GetName() == "" {
				return fmt.Errorf("%s: document %d: not a Kubernetes object (apiVersion, kind and metadata.name required)", name, i+1)
			}
			if strings.HasPrefix(n.GetApiVersion(), "slipway.dev/") || n.GetKind() == "Kptfile" ||
				n.GetAnnotations()[filters.LocalConfigAnnotation] == "true" {
				continue
			}
			annotations := n.GetAnnotations()
			for k := range annotations {
				if strings.HasPrefix(k, "internal.config.kubernetes.io/") || k == "config.kubernetes.io/path" ||
					k == "config.kubernetes.io/index" || k == "config.k8s.io/id" {
					delete(annotations, k)
				}
			}
			if err := n.SetAnnotations(annotations); err != nil {
				return err
			}
			// kustomize writes fields in alphabetical order, kpt and our
			// functions in schema order: a JSON round trip sorts them all.
			data, err := n.MarshalJSON()
			if err != nil {
				return err
			}
			sorted, err := yaml.ConvertJSONToYamlNode(string(data))
			if err != nil {
				return err
			}
			objs = append(objs, sorted)
		}
		return nil
	}
	if len(files) == 0 {
		if err := read("stdin", stdin); err != nil {
			return err
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := read(f, bytes.NewReader(data)); err != nil {
			return err
		}
	}
	if len(objs) == 0 {
		return fmt.Errorf("no objects")
	}
	key := func(n *yaml.RNode) string {
		return strings.Join([]string{n.GetApiVersion(), n.GetKind(), n.GetNamespace(), n.GetName()}, "\x00")
	}
	sort.SliceStable(objs, func(i, j int) bool { return key(objs[i]) < key(objs[j]) })
	return kio.ByteWriter{Writer: stdout}.Write(objs)
}
