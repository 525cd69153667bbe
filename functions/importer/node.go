package importer

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/encode"
)

// orderedNode encodes a typed value as a YAML node with its fields in the
// order the Go type declares them, which for an App is the order its
// reference documents (image before replicas, op before path), without
// the nulls of unset fields, and in the compact style of hand-written
// Apps: short lists of scalars and small maps of scalars on one line.
func orderedNode(v any) (*yaml.RNode, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	node, err := jsonNode(dec)
	if err != nil {
		return nil, err
	}
	restyle(node)
	return yaml.NewRNode(node), nil
}

// jsonNode reads the next JSON value as a node, keeping the order of
// object keys.
func jsonNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq}
		if t == '{' {
			n.Kind, n.Tag = yaml.MappingNode, yaml.NodeTagMap
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: key.(string)})
			}
			child, err := jsonNode(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, child)
		}
		_, err := dec.Token() // the closing delimiter
		return n, err
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: t}, nil
	case json.Number:
		tag := yaml.NodeTagInt
		if strings.ContainsAny(string(t), ".eE") {
			tag = yaml.NodeTagFloat
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(t)}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagBool, Value: strconv.FormatBool(t)}, nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagNull, Value: "null"}, nil
}

// flowWidth is the longest value written on one line.
const flowWidth = 72

// What restyle returns for a node that is not written on one line.
const (
	blockOnly = -1 // too wide, or holding a multi-line string
	emptied   = -2 // a map that held nulls only
)

// restyle drops null fields, and maps that are empty only for lack of
// them (an empty map written as such, such as emptyDir: {}, stays); gives
// block style to what does not fit on a line and flow style to what does;
// and quotes only the strings that would read as something else. It
// returns the width of the node on one line, or blockOnly or emptied.
func restyle(n *yaml.Node) int {
	if n.Kind == yaml.ScalarNode {
		n.Style = 0
		width := len(n.Value)
		if n.Tag == yaml.NodeTagString && encode.NeedsQuotes(n.Value) {
			n.Style = yaml.DoubleQuotedStyle
			width += 2
		}
		if len(n.Value) > flowWidth || strings.Contains(n.Value, "\n") {
			return blockOnly
		}
		return width
	}
	held := len(n.Content)
	content := n.Content[:0]
	width, flat := 0, true
	add := func(nodes ...*yaml.Node) {
		for _, c := range nodes {
			w := restyle(c)
			flat = flat && w >= 0
			width += w + 2 // ", " or ": "
			content = append(content, c)
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			if value.Tag == yaml.NodeTagNull {
				continue
			}
			w := restyle(value)
			if w == emptied {
				continue
			}
			keyWidth := restyle(key)
			flat = flat && w >= 0 && keyWidth >= 0
			width += keyWidth + w + 6 // ": ", ", " and a share of the braces
			content = append(content, key, value)
		}
	} else {
		add(n.Content...)
	}
	n.Content = content
	switch {
	case n.Kind == yaml.MappingNode && held > 0 && len(content) == 0:
		return emptied
	case flat && width <= flowWidth && len(content) > 0:
		n.Style = yaml.FlowStyle
		return width
	}
	n.Style = 0
	return blockOnly
}
