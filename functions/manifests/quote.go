package manifests

import "sigs.k8s.io/kustomize/kyaml/yaml"

// quoteYAML11 double-quotes every string scalar that a YAML 1.1 parser would
// read as something else. The output is YAML 1.2, where `on`, `yes` or `off`
// are strings, but kubectl, Argo CD and the API server read YAML 1.1, where
// they are booleans: a header value "on" written plainly reaches the cluster
// as true and a string field rejects it.
func quoteYAML11(node *yaml.Node) {
	switch node.Kind {
	case yaml.ScalarNode:
		if node.Tag == yaml.NodeTagString && node.Style == 0 && yaml.IsYaml1_1NonString(node) {
			node.Style = yaml.DoubleQuotedStyle
		}
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		for _, child := range node.Content {
			quoteYAML11(child)
		}
	}
}
