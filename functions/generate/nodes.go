package generate

import (
	"reflect"
	"regexp"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/strict"
)

// checkKeys finds, in the YAML of an App or a Platform, what its decoding
// would refuse without saying where (a key that is a list or a map, a merge
// key whose value is not a map) or drop without a word (a null key), each
// with its field path. It reports whether the YAML holds a number too large
// for the decoder (see strict.Number), to be marked by markNumbers.
func checkKeys(n *yaml.Node, kind string) (errs []v1alpha1.FieldError, bigNumbers bool) {
	w := keyWalker{kind: kind}
	w.walk(n)
	return w.errs, w.bigNumbers
}

type keyWalker struct {
	kind       string
	keys       []any // from the document to the node being walked
	errs       []v1alpha1.FieldError
	bigNumbers bool
}

func (w *keyWalker) walk(n *yaml.Node) {
	n = deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		w.bigNumbers = w.bigNumbers || bigNumber(n)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			w.keys = append(w.keys, i)
			w.walk(c)
			w.keys = w.keys[:len(w.keys)-1]
		}
	case yaml.MappingNode:
		w.mapping(n)
	}
}

// mapping walks the entries of a mapping, and of the mappings it merges,
// at the mapping's path.
func (w *keyWalker) mapping(n *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		switch {
		case k.Kind == yaml.ScalarNode && k.Tag == "!!merge":
			for _, m := range merged(v) {
				if m.Kind != yaml.MappingNode {
					w.fail("the value of a merge key (<<) must be a map or a list of maps, got " + nodeKind(m))
					continue
				}
				w.mapping(m)
			}
		case k.Kind != yaml.ScalarNode:
			w.fail("a key is " + nodeKind(k) + "; keys must be strings")
		case k.Tag == yaml.NodeTagNull:
			w.fail("a key is null; keys must be strings")
		default:
			w.keys = append(w.keys, k.Value)
			w.walk(v)
			w.keys = w.keys[:len(w.keys)-1]
		}
	}
}

func (w *keyWalker) fail(detail string) {
	w.errs = append(w.errs, v1alpha1.FieldError{Path: w.path().String(), Detail: detail})
}

// path is the field path of the node being walked, as strict.Check writes
// it: an environment's section is a spec of its own.
func (w *keyWalker) path() *field.Path {
	doc, spec := reflect.TypeFor[v1alpha1.App](), reflect.TypeFor[v1alpha1.AppSpec]()
	if w.kind == v1alpha1.KindPlatform {
		doc, spec = reflect.TypeFor[v1alpha1.Platform](), reflect.TypeFor[v1alpha1.PlatformSpec]()
	}
	if len(w.keys) >= 3 && w.keys[0] == "spec" && w.keys[1] == "environments" {
		if env, ok := w.keys[2].(string); ok {
			return strict.PathOf(spec, field.NewPath("spec", "environments").Key(strict.ShortKey(env)), w.keys[3:])
		}
	}
	return strict.PathOf(doc, nil, w.keys)
}

// merged are the nodes a merge key's value merges: a map, or each of a
// list of maps.
func merged(v *yaml.Node) []*yaml.Node {
	v = deref(v)
	if v.Kind != yaml.SequenceNode {
		return []*yaml.Node{v}
	}
	out := make([]*yaml.Node, len(v.Content))
	for i, c := range v.Content {
		out[i] = deref(c)
	}
	return out
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a scalar"
}

// numberSyntax is a YAML 1.2 (and JSON) decimal number.
var numberSyntax = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// bigNumber reports whether a scalar is a number written without quotes
// that the decoder read as a string: one beyond the range of a float64.
func bigNumber(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Style == 0 && n.Tag == yaml.NodeTagString && numberSyntax.MatchString(n.Value)
}

// markNumbers replaces, in the decoding v of node n, each string that a
// big number was decoded to by the strict.Number it is.
func markNumbers(n *yaml.Node, v any) any {
	n = deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if s, ok := v.(string); ok && s == n.Value && bigNumber(n) {
			return strict.Number(s)
		}
	case yaml.SequenceNode:
		if list, ok := v.([]any); ok && len(list) == len(n.Content) {
			for i := range list {
				list[i] = markNumbers(n.Content[i], list[i])
			}
		}
	case yaml.MappingNode:
		if m, ok := v.(map[string]any); ok {
			markMapping(n, m, map[string]bool{})
		}
	}
	return v
}

// markMapping marks the values of m that the entries of n, and of the
// mappings it merges, gave; done lists the keys whose value is marked
// already (an explicit entry wins over a merged one).
func markMapping(n *yaml.Node, m map[string]any, done map[string]bool) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, merged(n.Content[i+1])...)
			continue
		}
		if val, ok := m[k.Value]; ok && !done[k.Value] {
			m[k.Value] = markNumbers(n.Content[i+1], val)
			done[k.Value] = true
		}
	}
	for _, mm := range merges {
		if mm.Kind == yaml.MappingNode {
			markMapping(mm, m, done)
		}
	}
}
