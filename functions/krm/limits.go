package krm

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Input limits. They refuse, with an error naming the limit, inputs that
// would otherwise cost time or memory out of proportion to what they mean:
// MaxInputBytes and MaxSeparators before parsing, the others after parsing
// and before any processing.
//
// After parsing, an alias counts as what it repeats, against every limit: a
// few lines that alias a large value thousands of times are as large as
// the value written out thousands of times, and are refused as such. What
// each anchored value expands to is counted once, so the check is linear
// in the size of the input however the aliases nest.
//
// The YAML parser brings two protections of its own, which stay in force:
// it refuses nesting deeper than 10000 levels ("exceeded max depth of
// 10000") and, when a document is decoded, alias expansion out of
// proportion to the document ("document contains excessive aliasing"). The
// limits below are tighter, and are checked before any item is processed.
const (
	// MaxInputBytes bounds the ResourceList a function reads, so that a huge
	// input is refused with a clear message instead of exhausting memory. 64
	// MiB holds tens of thousands of Apps. It bounds the text of the input's
	// scalars (keys and values), aliases expanded, too.
	MaxInputBytes = 64 << 20
	// MaxSeparators bounds the YAML structure of the input before it is
	// parsed: the number of bytes that can start or separate a value
	// (newline , [ { - :). Parsed YAML costs a few hundred bytes of memory
	// per value, so a few megabytes of dense YAML ("[1,1,1,...]") would
	// otherwise cost gigabytes. 1000 typical Apps hold about 160,000;
	// their rendered objects about 750,000.
	MaxSeparators = 2_000_000
	// MaxDepth bounds the nesting of maps and lists within an item, aliases
	// expanded. A Kubernetes object, CRD schemas included, nests a few dozen
	// levels.
	MaxDepth = 100
	// MaxItemNodes bounds the YAML values (maps, lists, scalars) of one
	// item, aliases counted as what they repeat. The largest published CRDs
	// hold a few tens of thousands.
	MaxItemNodes = 250_000
	// MaxInputNodes bounds the YAML values of the whole input (the items and
	// the function config), aliases counted as what they repeat: without
	// aliases, MaxSeparators keeps the input about this size.
	MaxInputNodes = 2_000_000
)

// CheckStructure refuses input whose YAML structure exceeds MaxSeparators,
// before any of it is parsed.
func CheckStructure(data []byte) error {
	if n := separators(data); n > MaxSeparators {
		return fmt.Errorf("input holds %d YAML separators (newline , [ { - :), more than the limit of %d", n, MaxSeparators)
	}
	return nil
}

// separators counts the bytes that can start or separate a YAML value.
func separators(data []byte) int {
	n := 0
	for _, c := range data {
		switch c {
		case '\n', ',', '[', '{', '-', ':':
			n++
		}
	}
	return n
}

// CheckLimits checks the items and function config of a ResourceList
// against MaxDepth, MaxItemNodes, MaxInputNodes and MaxInputBytes, aliases
// counted as what they repeat, and that each is an object: a map, whose
// metadata, if any, is a map, and which is not itself a ResourceList.
func CheckLimits(items []*yaml.RNode, config *yaml.RNode) error {
	c := newLimitChecker()
	if config != nil && !yaml.IsMissingOrNull(config) {
		if err := c.check(config.YNode(), "functionConfig"); err != nil {
			return fmt.Errorf("input: %w", err)
		}
	}
	for i, item := range items {
		if err := c.check(item.YNode(), fmt.Sprintf("items[%d]", i)); err != nil {
			return fmt.Errorf("input: %w", err)
		}
	}
	return nil
}

// limitChecker counts what the objects of one input expand to, with the
// totals of the input kept across them.
type limitChecker struct {
	// expanded holds what each anchored node expands to, once counted; nil
	// while it is being counted, so that an alias inside the value it
	// repeats is found.
	expanded      map[*yaml.Node]*extent
	values, bytes int // of the objects checked so far
}

// extent is what a node expands to: its values, the bytes of its scalars
// (keys and values), and its height (0 for a scalar).
type extent struct{ values, bytes, height int }

func newLimitChecker() *limitChecker {
	return &limitChecker{expanded: map[*yaml.Node]*extent{}}
}

// check checks one object, named where in errors.
func (c *limitChecker) check(node *yaml.Node, where string) error {
	if node == nil {
		return fmt.Errorf("%s: must be an object (a map), got nothing", where)
	}
	e, err := c.count(node, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if e.height > MaxDepth {
		return fmt.Errorf("%s: nesting is deeper than the limit of %d levels", where, MaxDepth)
	}
	if e.values > MaxItemNodes {
		return fmt.Errorf("%s: holds more than the limit of %d YAML values (aliases counted as what they repeat)", where, MaxItemNodes)
	}
	c.values += e.values
	if c.values > MaxInputNodes {
		return fmt.Errorf("%s: the input holds more than the limit of %d YAML values in all (aliases counted as what they repeat)", where, MaxInputNodes)
	}
	c.bytes += e.bytes
	if c.bytes > MaxInputBytes {
		return fmt.Errorf("%s: the input's text exceeds the limit of %d MiB (aliases counted as what they repeat)", where, MaxInputBytes>>20)
	}
	if node.Kind == yaml.AliasNode && node.Alias != nil {
		node = node.Alias
	}
	if node.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: must be an object (a map), got %s", where, kindName(node))
	}
	rn := yaml.NewRNode(node)
	if meta := rn.Field(yaml.MetadataField); meta != nil && !yaml.IsMissingOrNull(meta.Value) && meta.Value.YNode().Kind != yaml.MappingNode {
		return fmt.Errorf("%s: metadata must be a map, got %s", where, kindName(meta.Value.YNode()))
	}
	if kind := rn.Field(yaml.KindField); kind != nil && kind.Value.YNode().Value == kio.ResourceListKind {
		return fmt.Errorf("%s: is a ResourceList; the input must be one ResourceList, not several", where)
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

// count returns what node expands to, aliases replaced by what they
// repeat. It stops early, with an extent that is still over the limit, once
// the node is deeper than MaxDepth, or holds more than MaxItemNodes values
// or MaxInputBytes of text.
func (c *limitChecker) count(node *yaml.Node, depth int) (extent, error) {
	if depth > MaxDepth {
		return extent{values: 1}, nil
	}
	if node.Kind == yaml.AliasNode {
		if node.Alias == nil {
			return extent{values: 1}, nil
		}
		e, counted := c.expanded[node.Alias]
		if counted && e == nil {
			return extent{}, fmt.Errorf("alias *%s is inside the value it repeats, which would repeat without end", node.Value)
		}
		if counted {
			return *e, nil
		}
		return c.count(node.Alias, depth)
	}
	if node.Anchor != "" {
		if e, counted := c.expanded[node]; counted && e != nil {
			return *e, nil // counted through an alias first
		}
		c.expanded[node] = nil
	}
	e := extent{values: 1, bytes: len(node.Value)}
	for _, child := range node.Content {
		ce, err := c.count(child, depth+1)
		if err != nil {
			return extent{}, err
		}
		e.values += ce.values
		e.bytes += ce.bytes
		e.height = max(e.height, ce.height+1)
		if e.height > MaxDepth || e.values > MaxItemNodes || e.bytes > MaxInputBytes {
			break
		}
	}
	if node.Anchor != "" {
		c.expanded[node] = &e
	}
	return e, nil
}
