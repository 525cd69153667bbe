package krm

import (
	"bytes"
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// writeResourceList writes the items wrapped in a ResourceList, byte for
// byte as kio.ByteWriter does, but one item at a time. The YAML emitter keeps
// every event of a document until the document ends, so encoding the
// ResourceList as one document costs memory in proportion to all of its
// items (1.4 GB of allocations for 1000 Apps); encoding each item in the
// same context ("items:" at the top level, then one sequence entry) gives
// the same bytes at the cost of one item.
func writeResourceList(w io.Writer, rw *kio.ByteReadWriter, items []*yaml.RNode) error {
	return WriteResourceList(w, rw.WrappingAPIVersion, rw.WrappingKind, items, rw.FunctionConfig, rw.Results)
}

// WriteResourceList writes items, and the function config and results when
// not nil, as a ResourceList (or a List: apiVersion and kind say which).
// It clears the items' empty annotations.
func WriteResourceList(w io.Writer, apiVersion, kind string, items []*yaml.RNode, functionConfig, results *yaml.RNode) error {
	head := mapping("apiVersion", scalar(apiVersion), "kind", scalar(kind))
	if err := encodeInto(w, head, ""); err != nil {
		return err
	}
	if len(items) == 0 {
		if err := encodeInto(w, mapping("items", &yaml.Node{Kind: yaml.SequenceNode}), ""); err != nil {
			return err
		}
	} else if _, err := io.WriteString(w, itemsKey); err != nil {
		return err
	}
	fast := newBlockEmitter()
	for _, item := range items {
		// The reader's annotations are kept (kpt needs them); empty
		// annotations and metadata are dropped, as kio.ByteWriter does.
		if err := yaml.ClearEmptyAnnotations(item); err != nil {
			return err
		}
		if out, ok := fast.item(item.YNode()); ok {
			if _, err := w.Write(out); err != nil {
				return err
			}
			continue
		}
		one := mapping("items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item.YNode()}})
		if err := encodeInto(w, one, itemsKey); err != nil {
			return err
		}
	}
	var tail []any
	if functionConfig != nil {
		tail = append(tail, "functionConfig", functionConfig.YNode())
	}
	if results != nil {
		tail = append(tail, "results", results.YNode())
	}
	if len(tail) == 0 {
		return nil
	}
	return encodeInto(w, mapping(tail...), "")
}

const itemsKey = "items:\n"

// encodeInto encodes a top-level mapping as a YAML document and writes it
// without the given prefix, which the document must start with.
func encodeInto(w io.Writer, node *yaml.Node, prefix string) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{node}}); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	out, ok := bytes.CutPrefix(buf.Bytes(), []byte(prefix))
	if !ok {
		return fmt.Errorf("writing the ResourceList: an item does not start with %q", prefix)
	}
	_, err := w.Write(out)
	return err
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

// mapping builds a mapping node from alternating keys (strings) and values
// (nodes).
func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i < len(kv); i += 2 {
		m.Content = append(m.Content, scalar(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}
