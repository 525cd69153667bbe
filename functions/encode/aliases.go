package encode

import "sigs.k8s.io/kustomize/kyaml/yaml"

// An item's YAML may alias an anchor defined outside it: in another item, in
// the function config, or in an object that a rendering replaced. Written
// as it is, the alias names an anchor that is not in the output (the output
// is not YAML), or one that is only in another object, which kpt writes to
// another file. The rule at the output edge: an alias is written only when
// a reader of the object alone finds its anchor earlier in the object, on
// the very node it repeats; any other is written as a copy of what it
// repeats. Objects whose aliases all resolve within themselves are written
// as they are, anchors, aliases and merge keys included.

// SelfContained applies the rule to objects in place, for writers other
// than WriteResourceList (which applies it itself).
func SelfContained(items []*yaml.RNode) {
	for _, item := range items {
		if n := selfContained(item.YNode()); n != item.YNode() {
			item.SetYNode(n)
		}
	}
}

// selfContained returns n, changed in place where it holds an alias whose
// anchor is not in scope, or a copy when n itself is such an alias.
func selfContained(n *yaml.Node) *yaml.Node {
	if n == nil || !holdsAlias(n) {
		return n
	}
	r := aliasResolver{scope: map[string]*yaml.Node{}, copies: map[*yaml.Node]*yaml.Node{}}
	return r.resolve(n)
}

func holdsAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if holdsAlias(c) {
			return true
		}
	}
	return false
}

type aliasResolver struct {
	// scope maps each anchor name to the node a reader would find for it
	// at this point of the object, in the order yaml.v3 writes it.
	scope map[string]*yaml.Node
	// copies are what each aliased node was written out as, shared by
	// every alias that repeats it (a copy holds no anchor).
	copies map[*yaml.Node]*yaml.Node
}

func (r *aliasResolver) resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		if n.Alias != nil && r.scope[n.Value] == n.Alias {
			return n
		}
		return r.copy(n)
	}
	if n.Anchor != "" {
		r.scope[n.Anchor] = n
	}
	for i, c := range n.Content {
		// Assigned only when changed: nodes without aliases (such as the
		// mapping keys rendered objects share) are never written to.
		if rc := r.resolve(c); rc != c {
			n.Content[i] = rc
		}
	}
	return n
}

// copy returns what n stands for, without anchors or aliases. The input
// limits (krm.CheckLimits) bound its size, aliases counted as what they
// repeat, and refuse an alias inside what it repeats.
func (r *aliasResolver) copy(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if c, ok := r.copies[n]; ok {
		return c
	}
	c := *n
	c.Anchor = ""
	if n.Kind == yaml.AliasNode { // an alias to nothing: the parser refuses it
		c = yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagNull, Value: "null"}
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			c.Content[i] = r.copy(child)
		}
	}
	r.copies[n] = &c
	return &c
}
