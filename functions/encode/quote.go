package encode

import (
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// quoteYAML11 double-quotes every string scalar that a YAML 1.1 parser would
// read as something else. The output is YAML 1.2, where `on`, `yes` or `off`
// are strings, but kubectl, Argo CD and the API server read YAML 1.1, where
// they are booleans: a header value "on" written plainly reaches the cluster
// as true and a string field rejects it.
func quoteYAML11(node *yaml.Node) {
	switch node.Kind {
	case yaml.ScalarNode:
		if node.Tag == yaml.NodeTagString && node.Style == 0 && yaml11NonString(node.Value) {
			node.Style = yaml.DoubleQuotedStyle
		}
	case yaml.MappingNode:
		// Keys are shared between objects and quoted once, by keyNode.
		for i := 1; i < len(node.Content); i += 2 {
			quoteYAML11(node.Content[i])
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, child := range node.Content {
			quoteYAML11(child)
		}
	}
}

// NeedsQuotes tells whether a string written plainly would read as
// something else (a boolean, a number, null) to a YAML 1.1 reader.
func NeedsQuotes(value string) bool { return yaml11NonString(value) }

// yaml11NonString is yaml.IsValueNonString, which parses the value with a
// YAML 1.1 parser (half of the rendering time when called on every key and
// value), answered at once for the values that are plainly strings and
// remembered for the others: keys and values repeat across objects.
func yaml11NonString(value string) bool {
	if plainString(value) {
		return false
	}
	if v, ok := nonStringCache.load(value); ok {
		return v
	}
	v := yaml.IsValueNonString(value)
	nonStringCache.store(value, v)
	return v
}

var nonStringCache = boundedCache[bool]{max: 1 << 16}

// plainString reports whether a YAML 1.1 parser reads value as a string for
// certain: it is made of letters, digits and "/._-" only, so it cannot be a
// map, list, anchor, alias, tag or comment, and it starts with a letter
// that starts no YAML 1.1 boolean (y, n, t, f, o: yes, no, true, false,
// on, off) or null, so it is no boolean, null, number or timestamp either.
func plainString(value string) bool {
	if value == "" {
		return false
	}
	switch c := value[0]; {
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		switch c {
		case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O':
			return false
		}
	default:
		return false
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
