package krm

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Input limits. They refuse, with an error naming the limit, inputs that
// would otherwise cost time or memory out of proportion to what they mean:
// MaxInputBytes and MaxSeparators before parsing, MaxDepth and MaxItemNodes
// after parsing and before any processing.
//
// The YAML parser brings two protections of its own, which stay in force:
// it refuses nesting deeper than 10000 levels ("exceeded max depth of
// 10000") and, when a document is decoded, alias expansion out of
// proportion to the document ("document contains excessive aliasing"). The
// limits below are tighter, and are checked before any item is processed.
const (
	// MaxInputBytes bounds the ResourceList a function reads, so that a huge
	// input is refused with a clear message instead of exhausting memory. 64
	// MiB holds tens of thousands of Apps.
	MaxInputBytes = 64 << 20
	// MaxSeparators bounds the YAML structure of the input before it is
	// parsed: the number of bytes that can start or separate a value
	// (newline , [ { - :). Parsed YAML costs a few hundred bytes of memory
	// per value, so a few megabytes of dense YAML ("[1,1,1,...]") would
	// otherwise cost gigabytes. 1000 typical Apps hold about 160,000;
	// their rendered objects about 750,000.
	MaxSeparators = 2_000_000
	// MaxDepth bounds the nesting of maps and lists within an item. A
	// Kubernetes object, CRD schemas included, nests a few dozen levels.
	MaxDepth = 100
	// MaxItemNodes bounds the YAML nodes (maps, lists, scalars) of one item,
	// aliases counted as what they stand for. The largest published CRDs
	// hold a few tens of thousands.
	MaxItemNodes = 250_000
)

// CheckStructure refuses input whose YAML structure exceeds MaxSeparators,
// before any of it is parsed.
func CheckStructure(data []byte) error {
	n := 0
	for _, c := range data {
		switch c {
		case '\n', ',', '[', '{', '-', ':':
			n++
		}
	}
	if n > MaxSeparators {
		return fmt.Errorf("input holds %d YAML separators (newline , [ { - :), more than the limit of %d", n, MaxSeparators)
	}
	return nil
}

// CheckLimits checks the items and function config of a ResourceList
// against MaxDepth and MaxItemNodes, and that each is an object: a map,
// whose metadata, if any, is a map, and which is not itself a ResourceList.
func CheckLimits(items []*yaml.RNode, config *yaml.RNode) error {
	if config != nil && !yaml.IsMissingOrNull(config) {
		if err := checkItem(config.YNode(), "functionConfig"); err != nil {
			return err
		}
	}
	for i, item := range items {
		if err := checkItem(item.YNode(), fmt.Sprintf("items[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func checkItem(node *yaml.Node, where string) error {
	if node == nil {
		return fmt.Errorf("input: %s: must be an object (a map), got nothing", where)
	}
	c := limitChecker{expanded: map[*yaml.Node]int{}}
	n, depth := c.count(node, 0)
	if depth > MaxDepth {
		return fmt.Errorf("input: %s: nesting is deeper than the limit of %d levels", where, MaxDepth)
	}
	if n > MaxItemNodes {
		return fmt.Errorf("input: %s: holds more than the limit of %d YAML values (aliases counted as what they repeat)", where, MaxItemNodes)
	}
	if node.Kind == yaml.AliasNode && node.Alias != nil {
		node = node.Alias
	}
	if node.Kind != yaml.MappingNode {
		return fmt.Errorf("input: %s: must be an object (a map), got %s", where, kindName(node))
	}
	rn := yaml.NewRNode(node)
	if meta := rn.Field(yaml.MetadataField); meta != nil && !yaml.IsMissingOrNull(meta.Value) && meta.Value.YNode().Kind != yaml.MappingNode {
		return fmt.Errorf("input: %s: metadata must be a map, got %s", where, kindName(meta.Value.YNode()))
	}
	if kind := rn.Field(yaml.KindField); kind != nil && kind.Value.YNode().Value == kio.ResourceListKind {
		return fmt.Errorf("input: %s: is a ResourceList; the input must be one ResourceList, not several", where)
	}
	return nil
}

// checkItemsField refuses a ResourceList whose items field is not a list;
// the reader takes such a field for an empty list. Only needed when the
// reader found no items, so the input is parsed again only then.
func checkItemsField(data []byte) error {
	var rl struct {
		Items yaml.Node `yaml:"items"`
	}
	if err := yaml.Unmarshal(data, &rl); err != nil {
		return nil // not a single document: the reader has judged it
	}
	switch rl.Items.Kind {
	case 0, yaml.SequenceNode:
		return nil
	case yaml.ScalarNode:
		if rl.Items.Tag == yaml.NodeTagNull {
			return nil
		}
	}
	return fmt.Errorf("input: items must be a list, got %s", kindName(&rl.Items))
}

func kindName(node *yaml.Node) string {
	switch node.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if node.Tag == yaml.NodeTagNull {
			return "null"
		}
		return "a scalar"
	}
	return "nothing"
}

type limitChecker struct {
	expanded map[*yaml.Node]int // nodes an alias target stands for
}

// count returns the number of nodes that node stands for, aliases expanded,
// and its depth, stopping early once either limit is passed.
func (c *limitChecker) count(node *yaml.Node, depth int) (n, maxDepth int) {
	if depth > MaxDepth {
		return 1, depth
	}
	if node.Kind == yaml.AliasNode {
		if node.Alias == nil {
			return 1, depth
		}
		if n, ok := c.expanded[node.Alias]; ok {
			return n, depth // the depth of the target was checked where it is defined
		}
		// An alias to a node being counted (a cycle): count the alias alone.
		c.expanded[node.Alias] = 1
		n, d := c.count(node.Alias, depth)
		c.expanded[node.Alias] = n
		return n, d
	}
	n, maxDepth = 1, depth
	for _, child := range node.Content {
		cn, cd := c.count(child, depth+1)
		n += cn
		maxDepth = max(maxDepth, cd)
		if maxDepth > MaxDepth || n > MaxItemNodes {
			break
		}
	}
	if node.Anchor != "" {
		c.expanded[node] = n
	}
	return n, maxDepth
}
