package manifests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// presenceKeys are the keys whose empty map means something ("emptyDir: {}"
// asks for an empty directory); every other empty map or null is dropped.
var presenceKeys = map[string]bool{"emptyDir": true, "pause": true}

// ToNode encodes a typed object as a YAML node in the field order of
// kustomize and kpt formatting (apiVersion, kind, metadata, spec; name first;
// then the known Kubernetes fields in their usual order; other keys sorted),
// without a status and without the nulls and empty maps that Go's JSON
// encoding leaves for unset struct fields (creationTimestamp: null,
// resources: {}).
func ToNode(obj any) (*yaml.RNode, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	// The nodes are built straight from the JSON bytes, which keeps the
	// encoded key order and costs a fraction of reading them token by token
	// with a json.Decoder.
	b := nodeBuilder{data: data}
	node, err := b.value("")
	if err == nil && b.pos != len(b.data) {
		err = b.fail("trailing data")
	}
	if err != nil {
		return nil, fmt.Errorf("encoding %T: %w", obj, err)
	}
	if node == nil {
		return nil, fmt.Errorf("encoding %T: empty object", obj)
	}
	rn := yaml.NewRNode(node)
	if err := rn.PipeE(yaml.Clear("status")); err != nil {
		return nil, err
	}
	return rn, nil
}

// nodeBuilder builds YAML nodes from the output of json.Marshal (compact,
// valid JSON), allocating the nodes in blocks rather than one at a time.
type nodeBuilder struct {
	data []byte
	pos  int
	free []yaml.Node
}

func (b *nodeBuilder) fail(what string) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", b.pos, what)
}

func (b *nodeBuilder) node(kind yaml.Kind, tag, value string) *yaml.Node {
	if len(b.free) == 0 {
		b.free = make([]yaml.Node, 64)
	}
	n := &b.free[0]
	b.free = b.free[1:]
	n.Kind, n.Tag, n.Value = kind, tag, value
	return n
}

// value reads one JSON value and returns it as a node, or nil when it is to
// be dropped: a null, or an empty map under a key not in presenceKeys.
func (b *nodeBuilder) value(key string) (*yaml.Node, error) {
	if b.pos >= len(b.data) {
		return nil, b.fail("unexpected end")
	}
	switch c := b.data[b.pos]; {
	case c == '{':
		return b.mapping(key)
	case c == '[':
		return b.list()
	case c == '"':
		s, err := b.str()
		if err != nil {
			return nil, err
		}
		return b.node(yaml.ScalarNode, yaml.NodeTagString, s), nil
	case b.literal("true"):
		return b.node(yaml.ScalarNode, yaml.NodeTagBool, "true"), nil
	case b.literal("false"):
		return b.node(yaml.ScalarNode, yaml.NodeTagBool, "false"), nil
	case b.literal("null"):
		return nil, nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := b.pos
		for b.pos < len(b.data) && strings.IndexByte("+-.0123456789eE", b.data[b.pos]) >= 0 {
			b.pos++
		}
		num := string(b.data[start:b.pos])
		tag := yaml.NodeTagInt
		if _, err := strconv.ParseInt(num, 10, 64); err != nil {
			tag = yaml.NodeTagFloat
		}
		return b.node(yaml.ScalarNode, tag, num), nil
	}
	return nil, b.fail("unexpected character")
}

func (b *nodeBuilder) literal(word string) bool {
	if bytes.HasPrefix(b.data[b.pos:], []byte(word)) {
		b.pos += len(word)
		return true
	}
	return false
}

// str reads a JSON string.
func (b *nodeBuilder) str() (string, error) {
	start := b.pos
	b.pos++ // the opening quote
	escaped := false
	for b.pos < len(b.data) {
		switch b.data[b.pos] {
		case '\\':
			escaped = true
			b.pos += 2
			continue
		case '"':
			b.pos++
			if !escaped {
				return string(b.data[start+1 : b.pos-1]), nil
			}
			var s string
			if err := json.Unmarshal(b.data[start:b.pos], &s); err != nil {
				return "", err
			}
			return s, nil
		}
		b.pos++
	}
	return "", b.fail("unterminated string")
}

func (b *nodeBuilder) expect(c byte) error {
	if b.pos >= len(b.data) || b.data[b.pos] != c {
		return b.fail(fmt.Sprintf("expected %q", c))
	}
	b.pos++
	return nil
}

func (b *nodeBuilder) mapping(key string) (*yaml.Node, error) {
	b.pos++ // {
	node := b.node(yaml.MappingNode, yaml.NodeTagMap, "")
	for first := true; b.pos < len(b.data) && b.data[b.pos] != '}'; first = false {
		if !first {
			if err := b.expect(','); err != nil {
				return nil, err
			}
		}
		if b.pos >= len(b.data) || b.data[b.pos] != '"' {
			return nil, b.fail("expected a key")
		}
		k, err := b.str()
		if err != nil {
			return nil, err
		}
		if err := b.expect(':'); err != nil {
			return nil, err
		}
		v, err := b.value(k)
		if err != nil {
			return nil, err
		}
		if v != nil {
			node.Content = append(node.Content, keyNode(k), v)
		}
	}
	if err := b.expect('}'); err != nil {
		return nil, err
	}
	if len(node.Content) == 0 && !presenceKeys[key] {
		return nil, nil
	}
	sortFields(node)
	return node, nil
}

func (b *nodeBuilder) list() (*yaml.Node, error) {
	b.pos++ // [
	node := b.node(yaml.SequenceNode, yaml.NodeTagSeq, "")
	for first := true; b.pos < len(b.data) && b.data[b.pos] != ']'; first = false {
		if !first {
			if err := b.expect(','); err != nil {
				return nil, err
			}
		}
		v, err := b.value("")
		if err != nil {
			return nil, err
		}
		if v == nil {
			v = b.node(yaml.MappingNode, yaml.NodeTagMap, "")
		}
		node.Content = append(node.Content, v)
	}
	if err := b.expect(']'); err != nil {
		return nil, err
	}
	return node, nil
}

// keyNode returns the node of a mapping key. Keys repeat across objects
// (half of all nodes are keys: name, labels, app, ...) and no operation on a
// rendered object changes a key node, so each distinct key has one node,
// shared, and never changed after it is made (which also makes rendering
// safe on several goroutines): it saves about a third of the memory a large
// rendering holds.
func keyNode(k string) *yaml.Node {
	if n, ok := keyNodes.Load(k); ok {
		return n.(*yaml.Node)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: k}
	if yaml11NonString(k) {
		n.Style = yaml.DoubleQuotedStyle // as quoteYAML11 does for values
	}
	if keyNodesSize.Add(1) <= maxKeyNodes {
		keyNodes.Store(k, n)
	}
	return n
}

var (
	keyNodes     sync.Map // string -> *yaml.Node
	keyNodesSize atomic.Int64
)

const maxKeyNodes = 1 << 16

// sortFields orders the keys of a mapping node: the fields kyaml knows in
// its order, then the others in the order they were encoded (the Go field
// order of a struct, sorted keys of a map).
func sortFields(node *yaml.Node) {
	pairs := make([][2]*yaml.Node, 0, len(node.Content)/2)
	for i := 0; i < len(node.Content); i += 2 {
		pairs = append(pairs, [2]*yaml.Node{node.Content[i], node.Content[i+1]})
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		a, b := pairs[i][0].Value, pairs[j][0].Value
		ra, knownA := yaml.FieldOrder[a]
		rb, knownB := yaml.FieldOrder[b]
		switch {
		case knownA && knownB:
			return ra < rb
		}
		return knownA && !knownB
	})
	for i, p := range pairs {
		node.Content[2*i], node.Content[2*i+1] = p[0], p[1]
	}
}
