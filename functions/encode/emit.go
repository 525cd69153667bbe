package encode

import (
	"bytes"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// blockEmitter writes the plain block-style YAML of rendered objects several
// times faster than the yaml.v3 emitter, which spends most of its time
// deciding, again for every scalar, how to quote it and on events it buffers.
// It covers what rendering produces: mappings and sequences in block style,
// single-line scalars and multi-line text as a literal block ("|"), whose
// text it asks yaml.v3 for once per distinct scalar; and flow collections
// ("{a: b}", "[1, 2]") of plain names and numbers, common in objects that
// pass through (yaml.v3 keeps every event of a document until it ends, a
// few hundred bytes per value: a flow list of 240,000 numbers cost it 375
// MB). For anything else (comments, anchors, folded style, quoted text in a
// flow collection, a sequence in a sequence) it declines, and the caller
// writes the item with yaml.v3; a test and a fuzz target check that the two
// give the same bytes.
type blockEmitter struct {
	keys, values map[scalarID]string
	buf          *bytes.Buffer // where item writes
}

type scalarID struct {
	tag, value string
	style      yaml.Style
}

func newBlockEmitter() *blockEmitter {
	return &blockEmitter{keys: map[scalarID]string{}, values: map[scalarID]string{}}
}

// item appends n to w as an entry of the top-level "items:" sequence, as
// yaml.v3 would, and reports whether it could; when it could not, w is as it
// was.
func (e *blockEmitter) item(w *bytes.Buffer, n *yaml.Node) bool {
	start := w.Len()
	e.buf = w
	if n.Kind == yaml.MappingNode && flowable(n) {
		w.WriteString("- ")
		e.flow(n)
		w.WriteByte('\n')
		return true
	}
	if !plain(n) || n.Kind != yaml.MappingNode || len(n.Content) == 0 || !e.mapping(n, 2, "- ") {
		w.Truncate(start)
		return false
	}
	return true
}

// mapping writes a non-empty mapping whose keys stand at indent, the first
// key after first (the "- " of a sequence entry, or the indentation).
func (e *blockEmitter) mapping(n *yaml.Node, indent int, first string) bool {
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if i == 0 {
			e.buf.WriteString(first)
		} else {
			e.spaces(indent)
		}
		key, ok := e.scalar(k, true)
		if !ok || !(plain(v) || flowable(v)) {
			return false
		}
		e.buf.WriteString(key)
		e.buf.WriteByte(':')
		if !e.value(v, indent) {
			return false
		}
	}
	return true
}

// value writes what follows "key:" (or "- ") for a value at indent.
func (e *blockEmitter) value(v *yaml.Node, indent int) bool {
	switch {
	case v.Kind == yaml.ScalarNode:
		text, ok := e.scalar(v, false)
		if !ok {
			return false
		}
		e.writeValue(text, indent)
		return true
	case v.Kind == yaml.MappingNode && len(v.Content) == 0:
		e.buf.WriteString(" {}\n")
		return true
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		e.buf.WriteString(" []\n")
		return true
	case v.Style == yaml.FlowStyle:
		e.buf.WriteByte(' ')
		e.flow(v)
		e.buf.WriteByte('\n')
		return true
	case v.Kind == yaml.MappingNode:
		e.buf.WriteByte('\n')
		e.spaces(indent + 2)
		return e.mapping(v, indent+2, "")
	case v.Kind == yaml.SequenceNode:
		// Sequences in mappings are not indented: "key:\n- item".
		e.buf.WriteByte('\n')
		return e.sequence(v, indent)
	}
	return false
}

func (e *blockEmitter) sequence(n *yaml.Node, indent int) bool {
	for _, item := range n.Content {
		if flowable(item) {
			e.spaces(indent)
			e.buf.WriteString("- ")
			e.flow(item)
			e.buf.WriteByte('\n')
			continue
		}
		if !plain(item) {
			return false
		}
		switch {
		case item.Kind == yaml.ScalarNode:
			text, ok := e.scalar(item, false)
			if !ok {
				return false
			}
			e.spaces(indent)
			e.buf.WriteByte('-')
			e.writeValue(text, indent)
		case item.Kind == yaml.MappingNode && len(item.Content) == 0:
			e.spaces(indent)
			e.buf.WriteString("- {}\n")
		case item.Kind == yaml.MappingNode:
			e.spaces(indent)
			if !e.mapping(item, indent+2, "- ") {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// writeValue writes the text of a scalar value after "key:" or "-" at
// indent. The lines of a literal block, which encodeScalar gives as yaml.v3
// writes them at the top level, move right by indent; empty lines stay
// empty.
func (e *blockEmitter) writeValue(text string, indent int) {
	header, body, _ := strings.Cut(text, "\n")
	e.buf.WriteByte(' ')
	e.buf.WriteString(header)
	e.buf.WriteByte('\n')
	for body != "" {
		var line string
		line, body, _ = strings.Cut(body, "\n")
		if line != "" {
			e.spaces(indent)
			e.buf.WriteString(line)
		}
		e.buf.WriteByte('\n')
	}
}

// flow writes a collection that flowable accepts, as yaml.v3 does: "[a, b]"
// or "{a: b}", nested collections in flow style whatever their own, all on
// one line (yaml.v3 sets no line width).
func (e *blockEmitter) flow(n *yaml.Node) {
	open, close, step := byte('['), byte(']'), 1
	if n.Kind == yaml.MappingNode {
		open, close, step = '{', '}', 2
	}
	e.buf.WriteByte(open)
	for i := 0; i < len(n.Content); i += step {
		if i > 0 {
			e.buf.WriteString(", ")
		}
		e.flowValue(n.Content[i])
		if step == 2 {
			e.buf.WriteString(": ")
			e.flowValue(n.Content[i+1])
		}
	}
	e.buf.WriteByte(close)
}

// flowValue writes a scalar or a nested collection of a flow collection.
func (e *blockEmitter) flowValue(n *yaml.Node) {
	switch {
	case n.Kind == yaml.ScalarNode:
		e.buf.WriteString(n.Value)
	case len(n.Content) > 0:
		e.flow(n)
	case n.Kind == yaml.MappingNode:
		e.buf.WriteString("{}")
	default:
		e.buf.WriteString("[]")
	}
}

func (e *blockEmitter) spaces(n int) {
	for range n {
		e.buf.WriteByte(' ')
	}
}

// scalar returns the text yaml.v3 writes for a scalar as a mapping key or
// value (see encodeScalar), computed once per distinct scalar.
func (e *blockEmitter) scalar(n *yaml.Node, asKey bool) (string, bool) {
	cache := e.values
	if asKey {
		cache = e.keys
	}
	if n.Kind != yaml.ScalarNode || !plain(n) {
		return "", false
	}
	if n.Style == 0 && ((n.Tag == "" || n.Tag == yaml.NodeTagString) && safePlain(n.Value) || n.Tag == yaml.NodeTagInt && decimal(n.Value)) {
		return n.Value, true
	}
	if asKey && strings.ContainsAny(n.Value, "\n\r") {
		return "", false
	}
	id := scalarID{tag: n.Tag, value: n.Value, style: n.Style}
	if text, ok := cache[id]; ok {
		return text, text != ""
	}
	text := encodeScalar(n, asKey)
	cache[id] = text
	return text, text != ""
}

// encodeScalar asks yaml.v3 how it writes the scalar in a block mapping:
// one line, or, for a value, a literal block as at the top level (its
// header, then lines indented by two spaces, each ending in a line break).
// It returns "" for anything else: a block that keeps trailing empty lines
// ("|+", whose end yaml.v3 marks differently at the end of a document), a
// folded or wrapped text, an explicit key ("? ").
func encodeScalar(n *yaml.Node, isKey bool) string {
	scalar := &yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Value: n.Value, Style: n.Style}
	pair := []*yaml.Node{scalar, {Kind: yaml.ScalarNode, Value: "x"}}
	if !isKey {
		// A key after the value shows where the value ends.
		pair = []*yaml.Node{{Kind: yaml.ScalarNode, Value: "x"}, scalar, {Kind: yaml.ScalarNode, Value: "y"}, {Kind: yaml.ScalarNode, Value: "z"}}
	}
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.MappingNode, Content: pair})
	if err != nil {
		return ""
	}
	text := string(out)
	var ok bool
	if isKey {
		text, ok = strings.CutSuffix(text, ": x\n")
		if !ok || strings.Contains(text, "\n") || strings.HasPrefix(text, "? ") {
			return ""
		}
		return text
	}
	if text, ok = strings.CutPrefix(text, "x: "); !ok {
		return ""
	}
	if text, ok = strings.CutSuffix(text, "\ny: z\n"); !ok || text == "" {
		return ""
	}
	header, body, block := strings.Cut(text, "\n")
	if !block {
		return text
	}
	if !strings.HasPrefix(header, "|") || strings.Contains(header, "+") || strings.HasSuffix(body, "\n\n") {
		return ""
	}
	return text + "\n"
}

// safePlain reports whether yaml.v3 surely writes the string as it is: a
// letter first, then letters, digits and . _ - / @ and : (not last), and no
// word that a YAML reader could take for a boolean or null. Most scalars of
// rendered objects are such names, paths and image references; the others
// go through yaml.v3 once.
func safePlain(s string) bool {
	if s == "" || !isLetter(s[0]) || s[len(s)-1] == ':' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !isDigit(c) && strings.IndexByte("._-/@:", c) < 0 {
			return false
		}
	}
	if len(s) > 5 {
		return true
	}
	for _, word := range yaml11Words {
		if strings.EqualFold(s, word) {
			return false
		}
	}
	return true
}

// yaml11Words are the plain words a YAML reader may take for a boolean or
// null, in any case.
var yaml11Words = []string{"true", "false", "null", "yes", "no", "on", "off", "y", "n"}

// decimal reports whether an integer is written in canonical decimal form
// (0, 42, -7) and fits in 64 bits, which yaml.v3 writes as it is (a larger
// one gets an explicit !!int tag).
func decimal(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || (digits[0] == '0' && len(digits) > 1) {
		return false
	}
	for i := range len(digits) {
		if !isDigit(digits[i]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// flowable reports whether n is a non-empty collection in flow style that
// flow writes as yaml.v3 does: nothing but plain names and decimal
// integers (no quoting, no line breaks within them, nothing yaml.v3 would
// quote in a flow collection: no ":" or flow indicator), the booleans, keys
// short enough to be simple keys, and collections of the same, without
// comments, anchors, aliases or tags.
func flowable(n *yaml.Node) bool {
	if n.Style != yaml.FlowStyle || len(n.Content) == 0 {
		return false
	}
	return flowContent(n)
}

func flowContent(n *yaml.Node) bool {
	if n.Anchor != "" || n.Alias != nil || n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Style == 0 && flowScalar(n)
	case yaml.MappingNode:
		if (n.Tag != "" && n.Tag != yaml.NodeTagMap) || n.Style&^yaml.FlowStyle != 0 {
			return false
		}
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind != yaml.ScalarNode || len(k.Value) > maxSimpleKey {
				return false
			}
		}
	case yaml.SequenceNode:
		if (n.Tag != "" && n.Tag != yaml.NodeTagSeq) || n.Style&^yaml.FlowStyle != 0 {
			return false
		}
	default:
		return false
	}
	for _, c := range n.Content {
		if !flowContent(c) {
			return false
		}
	}
	return true
}

// maxSimpleKey is the longest key yaml.v3 writes as a simple key ("k: v"),
// not an explicit one ("? k").
const maxSimpleKey = 128

// flowScalar reports whether yaml.v3 writes a scalar in a flow collection
// as it is.
func flowScalar(n *yaml.Node) bool {
	switch n.Tag {
	case "", yaml.NodeTagString:
		return safePlain(n.Value) && !strings.ContainsRune(n.Value, ':')
	case yaml.NodeTagInt:
		return decimal(n.Value)
	case yaml.NodeTagBool:
		return n.Value == "true" || n.Value == "false"
	}
	return false
}

// flowless reports whether a collection is in block style, or is empty
// ("{}" and "[]" read back as flow style, and are written the same way).
func flowless(n *yaml.Node) bool {
	return n.Style == 0 || (n.Style == yaml.FlowStyle && len(n.Content) == 0)
}

// plain reports whether a node carries nothing but its kind, tag, value and
// a quoting or literal style: no comments, anchors or aliases, no flow or
// folded style.
func plain(n *yaml.Node) bool {
	if n.Anchor != "" || n.Alias != nil || n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Style == 0 || n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle || n.Style == yaml.LiteralStyle
	case yaml.MappingNode:
		return flowless(n) && (n.Tag == "" || n.Tag == yaml.NodeTagMap)
	case yaml.SequenceNode:
		return flowless(n) && (n.Tag == "" || n.Tag == yaml.NodeTagSeq)
	}
	return false
}
