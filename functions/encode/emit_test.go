package encode

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// emitItem writes n with a new block emitter.
func emitItem(n *yaml.Node) ([]byte, bool) {
	var w bytes.Buffer
	ok := newBlockEmitter().item(&w, n)
	return w.Bytes(), ok
}

// TestSafePlain checks the shortcut against yaml.v3 itself, on every string
// of up to three characters over an alphabet with the characters that
// matter, and on the words YAML readers take for other types.
func TestSafePlain(t *testing.T) {
	alphabet := []string{"a", "Z", "n", "y", "0", "9", ".", "_", "-", "/", ":", " ", "#", "'", "\"", "e", "~", "*", "&", "!", "@", "%", "{", "["}
	words := []string{"true", "True", "TRUE", "false", "False", "null", "Null", "NULL", "yes", "No", "on", "Off", "y", "n", "e1", "a.b/c-d_e", "v1.2.3", "x-forwarded-proto", "app.kubernetes.io/name", "registry.example.com/shop:1.2.3", "shop@sha256:0a1b", "a:b:c", "a:", "nan", "inf", "Infinity", "NaN", "0x1f", "1e3"}
	var strs []string
	var build func(prefix string, depth int)
	build = func(prefix string, depth int) {
		if prefix != "" {
			strs = append(strs, prefix)
		}
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			build(prefix+c, depth-1)
		}
	}
	build("", 3)
	checkShortcut(t, "safePlain", safePlain, yaml.NodeTagString, append(strs, words...), 500)
}

// TestDecimal checks the integer shortcut against yaml.v3.
func TestDecimal(t *testing.T) {
	ints := []string{"0", "7", "-7", "42", "8080", "-0", "00", "07", "+7", "1e3", "0x1f", "1_000", "4.0", "", "-", "999999999999999999", "99999999999999999999"}
	checkShortcut(t, "decimal", decimal, yaml.NodeTagInt, ints, 5)
}

// checkShortcut checks that yaml.v3 writes every value the shortcut
// accepts as it is, as a key and as a value, and that at least min values
// were accepted.
func checkShortcut(t *testing.T, name string, shortcut func(string) bool, tag string, values []string, min int) {
	t.Helper()
	checked := 0
	for _, s := range values {
		if !shortcut(s) {
			continue
		}
		checked++
		for _, asKey := range []bool{false, true} {
			if got := encodeScalar(&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}, asKey); got != s {
				t.Errorf("%s(%q) but yaml.v3 writes %q (as key: %v)", name, s, got, asKey)
			}
		}
	}
	if checked < min {
		t.Fatalf("%s accepted only %d values", name, checked)
	}
}

// FuzzBlockEmitter checks that whatever item the block emitter accepts, it
// writes exactly as yaml.v3 does.
func FuzzBlockEmitter(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: {app: a}\nspec:\n  ports:\n  - port: 80\n    name: http\n",
		"a: 'on'\nb: \"443\"\nc: [x, {y: z}]\nd: {}\ne: []\nf: '{{ .x }}'\n",
		"k: -1.5\nl: true\nm: ~\nn: 2001-12-14\no: a:b\np: '#x'\nq: \"\\t\"\n",
		"data:\n  app.yaml: |\n    level: info\n\n    x: 1\n  s: |-\n     lead\n    b\nargs:\n- |\n  set -e\n  run\n",
		"metadata: {name: a, labels: {app: x}}\ndata: {k: [1, 2, [3, {a: b}], {}, []]}\nlist:\n- {name: V0, value: x}\n- [a, -1, true]\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		node, err := yaml.Parse(doc)
		if err != nil || node.YNode().Kind != yaml.MappingNode {
			return
		}
		got, ok := emitItem(node.YNode())
		if !ok {
			return
		}
		var want bytes.Buffer
		one := mapping("items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{node.YNode()}})
		if err := encodeInto(&want, one, itemsKey); err != nil {
			t.Skip() // yaml.v3 cannot write it either
		}
		if string(got) != want.String() {
			t.Fatalf("block emitter wrote\n%s\nyaml.v3 wrote\n%s", got, want.String())
		}
	})
}

// TestBlockEmitterLiteralBlocks checks multi-line text, at several depths
// and in sequences, against yaml.v3: what the emitter takes it must write
// byte for byte, and it must take the common forms.
func TestBlockEmitterLiteralBlocks(t *testing.T) {
	texts := map[string]bool{ // text: the emitter must take it
		"a\nb":                       true,
		"a\nb\n":                     true,
		"line\n  indented\n\nlast\n": true,
		" leading space\nx":          true,
		"\nleading break":            true,
		"tab\tin\nline":              true,
		"ünïcode\nline":              true,
		"keep\n\n\n":                 false, // "|+"
		"trailing space \nx":         true,  // one double-quoted line
		"cr\r\nlf":                   true,  // one double-quoted line
	}
	for text, take := range texts {
		value := func() *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: text} }
		items := map[string]*yaml.Node{
			"top":      mapping("a", value(), "b", scalar("c")),
			"nested":   mapping("a", mapping("b", mapping("c", value())), "d", scalar("e")),
			"sequence": mapping("a", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{value(), value()}}),
			"in list":  mapping("a", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{mapping("b", value(), "c", value())}}),
			"literal":  mapping("a", &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.LiteralStyle, Value: text}),
		}
		for where, item := range items {
			got, ok := emitItem(item)
			if ok != take {
				t.Errorf("%q %s: the emitter took it: %v, want %v", text, where, ok, take)
			}
			if !ok {
				continue
			}
			var want bytes.Buffer
			if err := encodeInto(&want, mapping("items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}), itemsKey); err != nil {
				t.Fatal(err)
			}
			if string(got) != want.String() {
				t.Errorf("%q %s: block emitter wrote\n%s\nyaml.v3 wrote\n%s", text, where, got, want.String())
			}
		}
	}
}

// TestBlockEmitterTakesRenderedObjects checks that the fast path is the one
// rendered objects take (the writer test in functions/generate would pass
// just as well if every item fell back to yaml.v3), and that it writes them
// as yaml.v3 does.
func TestBlockEmitterTakesRenderedObjects(t *testing.T) {
	data, err := os.ReadFile("../../testdata/render/everything-on/expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	items, err := kio.FromBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	taken := 0
	for _, item := range items {
		if strings.HasPrefix(item.GetApiVersion(), "slipway.dev/") {
			continue // the input App, written as its author formatted it
		}
		got, ok := emitItem(item.YNode())
		if !ok {
			t.Errorf("%s %s: the block emitter declined a rendered object", item.GetKind(), item.GetName())
			continue
		}
		var want bytes.Buffer
		one := mapping("items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item.YNode()}})
		if err := encodeInto(&want, one, itemsKey); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s %s: block emitter and yaml.v3 differ:\n%s\n---\n%s", item.GetKind(), item.GetName(), got, want.String())
		}
		taken++
	}
	if taken < 10 {
		t.Fatalf("only %d rendered objects checked", taken)
	}
}

// TestBlockEmitterFlow checks flow collections against yaml.v3: lists and
// maps of names and numbers of many lengths (yaml.v3 writes each on one
// line, however long), under keys of several lengths, at several depths, in
// block lists, nested in each other, and as whole items. The emitter must
// take them all and write them byte for byte.
func TestBlockEmitterFlow(t *testing.T) {
	words := []string{"1", "22", "333", "a", "bb", "v1.2.3", "registry.example.com/x", "true", "-7", "x-y_z", strings.Repeat("w", 70), strings.Repeat("9", 18)}
	word := func(i int) string { return words[i%len(words)] }
	var docs []string
	for n := 1; n <= 60; n++ {
		var list, flowMap []string
		for i := range n {
			list = append(list, word(i+n))
			flowMap = append(flowMap, "k"+strings.Repeat("e", i%7)+fmt.Sprint(i)+": "+word(i))
		}
		l, m := "["+strings.Join(list, ", ")+"]", "{"+strings.Join(flowMap, ", ")+"}"
		for _, key := range []string{"k", strings.Repeat("key", 9), strings.Repeat("k", 75)} {
			docs = append(docs,
				key+": "+l,
				key+": "+m,
				"a:\n  b:\n    "+key+": "+l+"\n    c: "+m,
				key+":\n- "+l+"\n- "+m+"\n- x",
				"a:\n  "+key+":\n  - b: "+l,
				key+": {x: "+l+", ya: [], za: {}, wa: {p: "+m+"}}",
				key+": ["+l+", "+m+", [], {}]",
				key+": [a: b, "+m+"]",
			)
		}
		docs = append(docs, "{a: "+l+", b: "+m+"}") // an item in flow style
	}
	for _, doc := range docs {
		node, err := yaml.Parse(doc)
		if err != nil {
			t.Fatalf("%v:\n%s", err, doc)
		}
		got, ok := emitItem(node.YNode())
		if !ok {
			t.Errorf("the emitter declined\n%s", doc)
			continue
		}
		var want bytes.Buffer
		if err := encodeInto(&want, mapping("items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{node.YNode()}}), itemsKey); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Fatalf("block emitter wrote\n%s\nyaml.v3 wrote\n%s", got, want.String())
		}
	}
	// What yaml.v3 would quote, break or write otherwise in a flow
	// collection is declined.
	for _, doc := range []string{"k: [\"q\"]", "k: ['q']", "k: [a b]", "k: [a:b]", "k: [null]", "k: [1.5]", "k: [&a x, *a]", "k: [x] # c", "k: [!t x]", "k: {" + strings.Repeat("k", 129) + ": v}", "k: [é]", "k: [yes]"} {
		node, err := yaml.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := emitItem(node.YNode()); ok {
			t.Errorf("the emitter took %s", doc)
		}
	}
}
