package encode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// presenceKeys are the keys whose empty map means something ("emptyDir: {}"
// asks for an empty directory, a NetworkPolicy's "podSelector: {}" selects
// every pod of its namespace); every other empty map or null is dropped.
var presenceKeys = map[string]bool{"emptyDir": true, "pause": true, "podSelector": true}

// MeansPresence tells whether an empty map under key means something, and
// must be written rather than dropped.
func MeansPresence(key string) bool { return presenceKeys[key] }

// Object encodes a typed object as a YAML node in the field order of
// kustomize and kpt formatting (apiVersion, kind, metadata, spec; name first;
// then the known Kubernetes fields in their usual order; other keys sorted),
// without a status and without the nulls and empty maps that Go's JSON
// encoding leaves for unset struct fields (creationTimestamp: null,
// resources: {}), and with every string a YAML 1.1 reader would take for
// another type quoted.
func Object(obj any) (*yaml.RNode, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	// The nodes are built straight from the JSON bytes, which keeps the
	// encoded key order and costs a fraction of reading them token by token
	// with a json.Decoder.
	b := nodeBuilder{data: data}
	if free, ok := freeNodes.Get().(*[]yaml.Node); ok {
		b.free = *free
	}
	node, err := b.value("")
	if len(b.free) > 0 {
		freeNodes.Put(&b.free)
	}
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
	quoteYAML11(node)
	return rn, nil
}

// freeNodes holds the unused end of a block of nodes that a nodeBuilder
// allocated, for the next object to use. Every node of a block is kept
// alive by any other, so the end of each object's last block would
// otherwise be lost: half a block per object, a third of the memory of a
// large rendering.
var freeNodes sync.Pool

// nodeBuilder builds YAML nodes from the output of json.Marshal (compact,
// valid JSON), allocating the nodes in blocks rather than one at a time.
type nodeBuilder struct {
	data  []byte
	pos   int
	free  []yaml.Node
	ranks []int // the field ranks of the mappings being read, innermost last
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
		return b.scalar(yaml.NodeTagString, s, key), nil
	case b.literal("true"):
		return b.scalar(yaml.NodeTagBool, "true", key), nil
	case b.literal("false"):
		return b.scalar(yaml.NodeTagBool, "false", key), nil
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
		return b.scalar(tag, num, key), nil
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
	base := len(b.ranks)
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
			key := keyNode(k)
			node.Content = append(node.Content, key.node, v)
			b.ranks = append(b.ranks, key.rank)
		}
	}
	if err := b.expect('}'); err != nil {
		return nil, err
	}
	sortFields(node, b.ranks[base:])
	b.ranks = b.ranks[:base]
	if len(node.Content) == 0 && !presenceKeys[key] {
		return nil, nil
	}
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

// scalar returns the node of a scalar value under key: one node per
// distinct value, shared by every object as keys are (names, labels, ports
// and constants repeat across the objects of an App and across Apps: half
// of the remaining nodes), quoted once as quoteYAML11 would quote it. No
// operation on a rendered object changes a value node in place, except
// kpt's and kustomize's annotations, which kyaml sets in place when they
// exist: their values are never shared. Long values, which rarely repeat,
// are not either.
func (b *nodeBuilder) scalar(tag, value, key string) *yaml.Node {
	if len(value) > maxSharedValue || isClientAnnotation(key) {
		return b.node(yaml.ScalarNode, tag, value)
	}
	id := tag + "\x00" + value
	if n, ok := valueNodes.load(id); ok {
		return n
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
	if tag == yaml.NodeTagString && yaml11NonString(value) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return valueNodes.store(id, n)
}

// maxSharedValue is the longest value whose node is shared.
const maxSharedValue = 128

var valueNodes = boundedCache[*yaml.Node]{max: 1 << 16}

// isClientAnnotation reports whether a key is one of the annotations kpt
// and kustomize set on objects, such as the file an object goes to.
func isClientAnnotation(key string) bool {
	for _, prefix := range []string{"internal.config.kubernetes.io/", "config.kubernetes.io/", "config.k8s.io/", "kustomize.config.k8s.io/"} {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// mappingKey is the node of a mapping key and its rank in field order.
type mappingKey struct {
	node *yaml.Node
	rank int
}

// keyNode returns the node of a mapping key and its rank. Keys repeat
// across objects (half of all nodes are keys: name, labels, app, ...) and no
// operation on a rendered object changes a key node, so each distinct key
// has one node, shared, and never changed after it is made (which also
// makes rendering safe on several goroutines): it saves about a third of the
// memory a large rendering holds.
func keyNode(k string) mappingKey {
	if key, ok := keyNodes.load(k); ok {
		return key
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: k}
	if yaml11NonString(k) {
		n.Style = yaml.DoubleQuotedStyle // as quoteYAML11 does for values
	}
	key := mappingKey{node: n, rank: unknownField}
	if rank, known := yaml.FieldOrder[k]; known {
		key.rank = rank
	}
	return keyNodes.store(k, key)
}

var keyNodes = boundedCache[mappingKey]{max: 1 << 16}

// unknownField ranks the keys kyaml does not order after those it does.
const unknownField = math.MaxInt

// sortFields orders the keys of a mapping node by their ranks (one per
// key): the fields kyaml knows in its order, then the others in the order
// they were encoded (the Go field order of a struct, sorted keys of a map).
// An insertion sort: it is stable, and mappings have a few keys.
func sortFields(node *yaml.Node, ranks []int) {
	c := node.Content
	for i := 1; i < len(ranks); i++ {
		for j := i; j > 0 && ranks[j-1] > ranks[j]; j-- {
			ranks[j-1], ranks[j] = ranks[j], ranks[j-1]
			c[2*j-2], c[2*j] = c[2*j], c[2*j-2]
			c[2*j-1], c[2*j+1] = c[2*j+1], c[2*j-1]
		}
	}
}
