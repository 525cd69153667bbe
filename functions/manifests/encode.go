package manifests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	node, err := decodeValue(dec, "")
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

// decodeValue reads one JSON value and returns it as a node, or nil when it
// is to be dropped.
func decodeValue(dec *json.Decoder, key string) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return decodeMap(dec, key)
		}
		return decodeList(dec)
	case nil:
		return nil, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: t}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagBool, Value: fmt.Sprint(t)}, nil
	case json.Number:
		tag := yaml.NodeTagInt
		if _, err := t.Int64(); err != nil {
			tag = yaml.NodeTagFloat
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

func decodeMap(dec *json.Decoder, key string) (*yaml.Node, error) {
	node := &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		v, err := decodeValue(dec, k)
		if err != nil {
			return nil, err
		}
		if v != nil {
			node.Content = append(node.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: k}, v)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if len(node.Content) == 0 && !presenceKeys[key] {
		return nil, nil
	}
	sortFields(node)
	return node, nil
}

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

func decodeList(dec *json.Decoder) (*yaml.Node, error) {
	node := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq}
	for dec.More() {
		v, err := decodeValue(dec, "")
		if err != nil {
			return nil, err
		}
		if v == nil {
			v = &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap}
		}
		node.Content = append(node.Content, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return node, nil
}

// WriteYAML writes nodes as a YAML stream, documents separated by "---".
func WriteYAML(w io.Writer, nodes []*yaml.RNode) error {
	enc := yaml.NewEncoder(w)
	defer enc.Close()
	for _, n := range nodes {
		if err := enc.Encode(n.Document()); err != nil {
			return err
		}
	}
	return nil
}
