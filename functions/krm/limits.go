package krm

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Input limits. They refuse, with an error naming the limit, inputs that
// would otherwise cost time or memory out of proportion to what they mean.
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
	// MaxDepth bounds the nesting of maps and lists within an item. A
	// Kubernetes object, CRD schemas included, nests a few dozen levels.
	MaxDepth = 100
	// MaxNodes bounds the number of YAML nodes (maps, lists, scalars) of the
	// whole input, aliases counted as what they stand for.
	MaxNodes = 10_000_000
)

// CheckLimits checks the items and function config of a ResourceList
// against MaxDepth and MaxNodes.
func CheckLimits(items []*yaml.RNode, config *yaml.RNode) error {
	c := limitChecker{expanded: map[*yaml.Node]int{}}
	if config != nil {
		if err := c.check(config.YNode(), "functionConfig"); err != nil {
			return err
		}
	}
	for i, item := range items {
		if err := c.check(item.YNode(), fmt.Sprintf("items[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

type limitChecker struct {
	total    int
	expanded map[*yaml.Node]int // nodes an alias target stands for
}

func (c *limitChecker) check(node *yaml.Node, where string) error {
	if node == nil {
		return nil
	}
	n, depth := c.count(node, 0)
	if depth > MaxDepth {
		return fmt.Errorf("input: %s: nesting is deeper than the limit of %d levels", where, MaxDepth)
	}
	c.total += n
	if c.total > MaxNodes {
		return fmt.Errorf("input: %s: the input holds more than the limit of %d YAML values (aliases counted as what they repeat)", where, MaxNodes)
	}
	return nil
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
		if maxDepth > MaxDepth || n > MaxNodes {
			break
		}
	}
	if node.Anchor != "" {
		c.expanded[node] = n
	}
	return n, maxDepth
}
