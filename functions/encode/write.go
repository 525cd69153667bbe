package encode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/internal/parallel"
)

// ReadWriterOutput writes the items wrapped in a ResourceList, byte for
// byte as kio.ByteWriter does, but one item at a time. The YAML emitter keeps
// every event of a document until the document ends, so encoding the
// ResourceList as one document costs memory in proportion to all of its
// items (1.4 GB of allocations for 1000 Apps); encoding each item in the
// same context ("items:" at the top level, then one sequence entry) gives
// the same bytes at the cost of one item, and lets items be encoded in
// parallel.
func ReadWriterOutput(w io.Writer, rw *kio.ByteReadWriter, items []*yaml.RNode) error {
	return WriteResourceList(w, rw.WrappingAPIVersion, rw.WrappingKind, items, rw.FunctionConfig, rw.Results)
}

// WriteResourceList writes items, and the function config and results when
// not nil, as a ResourceList (or a List: apiVersion and kind say which).
// It clears the items' empty annotations, and writes out each alias whose
// anchor the item does not hold (see SelfContained).
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
	chunks, err := encodeItems(items)
	if err != nil {
		return err
	}
	if g, ok := w.(interface{ Grow(int) }); ok { // a buffer: grown once, not doubled
		size := 0
		for _, chunk := range chunks {
			size += len(chunk)
		}
		g.Grow(size + 4<<10)
	}
	for _, chunk := range chunks {
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	var tail []any
	if functionConfig != nil {
		tail = append(tail, "functionConfig", selfContained(functionConfig.YNode()))
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

// itemsPerChunk sets how finely encodeItems shares out the items: small
// enough to keep every CPU busy, large enough that each chunk is worth a
// buffer of its own.
const itemsPerChunk = 64

// encodeItems encodes the items as entries of the "items:" sequence, in
// chunks encoded on every CPU (encoding is a fifth of a large rendering),
// and returns the chunks in item order.
func encodeItems(items []*yaml.RNode) ([][]byte, error) {
	n := (len(items) + itemsPerChunk - 1) / itemsPerChunk
	chunks := make([][]byte, n)
	errs := make([]error, n)
	var sizeHint atomic.Int64 // the largest chunk so far, to size the next
	parallel.ForEach(n, func(c int) {
		var buf bytes.Buffer
		buf.Grow(int(sizeHint.Load()))
		defer func() {
			if size := int64(buf.Len()); size > sizeHint.Load() {
				sizeHint.Store(size)
			}
		}()
		fast := emitters.Get().(*blockEmitter)
		defer emitters.Put(fast)
		for _, item := range items[c*itemsPerChunk : min((c+1)*itemsPerChunk, len(items))] {
			if errs[c] = encodeItem(&buf, fast, item); errs[c] != nil {
				return
			}
		}
		chunks[c] = buf.Bytes()
	})
	return chunks, errors.Join(errs...)
}

// emitters keeps block emitters, and what they learnt of quoting, from one
// chunk to the next.
var emitters = sync.Pool{New: func() any { return newBlockEmitter() }}

// encodeItem writes one item as an entry of the "items:" sequence, with the
// block emitter when it can and with yaml.v3 otherwise.
func encodeItem(w *bytes.Buffer, fast *blockEmitter, item *yaml.RNode) error {
	// The reader's annotations are kept (kpt needs them); empty annotations
	// and metadata are dropped, as kio.ByteWriter does.
	clearEmptyAnnotations(item.YNode())
	if fast.item(w, item.YNode()) { // it declines anchors and aliases
		return nil
	}
	one := mapping("items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{selfContained(item.YNode())}})
	return encodeInto(w, one, itemsKey)
}

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

// clearEmptyAnnotations drops an empty metadata.annotations, then an empty
// metadata, as yaml.ClearEmptyAnnotations does without the cost of its
// filter pipeline (a seventh of writing a large rendering).
func clearEmptyAnnotations(obj *yaml.Node) {
	for i := 0; i+1 < len(obj.Content); i += 2 {
		if obj.Content[i].Value == yaml.MetadataField && obj.Content[i+1].Kind == yaml.MappingNode {
			dropEmptyField(obj.Content[i+1], yaml.AnnotationsField)
			break
		}
	}
	dropEmptyField(obj, yaml.MetadataField)
}

// dropEmptyField removes the first field named name from a mapping when its
// value has no content, as yaml.FieldClearer with IfEmpty does.
func dropEmptyField(m *yaml.Node, name string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			if len(m.Content[i+1].Content) == 0 {
				m.Content = append(m.Content[:i:i], m.Content[i+2:]...)
			}
			return
		}
	}
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
