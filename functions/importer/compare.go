package importer

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// A change is one place where a rendered object and the imported one part,
// both normalized.
type change struct {
	// pointer is the JSON pointer of the place in the rendered object, with
	// the indexes of its lists; "-" appends to a list.
	pointer []string
	// shown is the place as people read it, with list items by name:
	// spec.template.spec.containers[admin].image.
	shown string
	// added is true when the rendering has something the input has not;
	// otherwise the input has a value (value) the rendering lacks or
	// differs from.
	added bool
	value any
	// replace is true when the rendered object has the place already;
	// insert, when the value is a list item to insert there.
	replace, insert bool
}

// compare returns the changes that turn the rendered object into the
// imported one. Lists whose items all have a distinct name (containers,
// env, volumes, ports) are matched by name; other lists item by item when
// their lengths agree, else as a whole.
// The values kept are the imported object's as written (raw), where it
// writes them, rather than with its defaults filled in.
func compare(rendered, imported, raw any) []change {
	var out []change
	diff(rendered, imported, raw, nil, "", &out)
	return out
}

func diff(a, b, braw any, pointer []string, shown string, out *[]change) {
	at := func(token, shown string) ([]string, string) {
		return append(slices.Clip(pointer), token), shown
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			p, s := at(k, dot(shown, k))
			if v, kept := y[k]; kept {
				diff(x[k], v, asMap(braw)[k], p, s, out)
			} else {
				*out = append(*out, change{pointer: p, shown: s, added: true})
			}
		}
		for _, k := range slices.Sorted(maps.Keys(y)) {
			if _, had := x[k]; !had {
				p, s := at(k, dot(shown, k))
				*out = append(*out, change{pointer: p, shown: s, value: rawOr(asMap(braw)[k], y[k])})
			}
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok {
			break
		}
		xn, yn := names(x), names(y)
		if xn != nil && yn != nil {
			for i, item := range x {
				p, s := at(strconv.Itoa(i), shown+"["+xn[i]+"]")
				if j := slices.Index(yn, xn[i]); j >= 0 {
					diff(item, y[j], itemAt(braw, j), p, s, out)
				} else {
					*out = append(*out, change{pointer: p, shown: s, added: true})
				}
			}
			// Items only the input has are inserted where the input has
			// them, after the item before them: the order of some lists
			// (routes, containers) means something.
			current := slices.Clone(xn)
			for j, item := range y {
				if slices.Contains(xn, yn[j]) {
					continue
				}
				at0 := 0
				if j > 0 {
					at0 = slices.Index(current, yn[j-1]) + 1
				}
				current = slices.Insert(current, at0, yn[j])
				p, s := at(strconv.Itoa(at0), shown+"["+yn[j]+"]")
				*out = append(*out, change{pointer: p, shown: s, value: rawOr(itemAt(braw, j), item), insert: true})
			}
			return
		}
		if len(x) == len(y) {
			for i := range x {
				p, s := at(strconv.Itoa(i), shown+"["+strconv.Itoa(i)+"]")
				diff(x[i], y[i], itemAt(braw, i), p, s, out)
			}
			return
		}
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, change{pointer: pointer, shown: shown, value: rawOr(braw, b)})
	}
}

func rawOr(raw, normalized any) any {
	if raw != nil {
		return raw
	}
	return normalized
}

func itemAt(list any, i int) any {
	l, _ := list.([]any)
	if i < len(l) {
		return l[i]
	}
	return nil
}

// names returns the name of each item of a list of named maps, or nil when
// an item has no name or two share one.
func names(items []any) []string {
	if len(items) == 0 {
		return nil
	}
	out := make([]string, len(items))
	for i, item := range items {
		name, _ := asMap(item)["name"].(string)
		if name == "" || slices.Contains(out[:i], name) {
			return nil
		}
		out[i] = name
	}
	return out
}

func dot(prefix, key string) string {
	if strings.ContainsAny(key, "./") {
		key = "[" + key + "]"
		return prefix + key
	}
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// op is the JSON 6902 operation that makes the change in the rendered object.
func (c change) op() v1alpha1.PatchOp {
	kind := "add"
	if c.replace && !c.insert {
		kind = "replace"
	}
	tokens := make([]string, len(c.pointer))
	for i, t := range c.pointer {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return v1alpha1.PatchOp{Op: kind, Path: "/" + strings.Join(tokens, "/"), Value: c.value}
}

// unpatchable says why a change cannot be made by a patch, or "" when it
// can: a patch may not change a name, a namespace or a selector (the
// rendering refuses it), nor the labels slipway selects its pods by.
func (c change) unpatchable() string {
	p := strings.Join(c.pointer, "/")
	switch {
	case p == "apiVersion" || p == "kind":
		return "the API version slipway writes; the fields are the same"
	case p == "metadata/name" || p == "metadata/namespace":
		return "a patch may not rename or move an object"
	case p == "spec/selector" || strings.HasPrefix(p, "spec/selector/"):
		return "a patch may not change a selector"
	}
	for _, labels := range []string{"metadata/labels/", "spec/template/metadata/labels/"} {
		if key, ok := strings.CutPrefix(p, labels); ok && ownLabel(key) {
			return "slipway's own label"
		}
	}
	return ""
}

// ownLabel tells the label keys slipway sets and selects by.
func ownLabel(key string) bool {
	return key == "app" || key == "app.kubernetes.io/name" || key == "app.kubernetes.io/managed-by" || strings.HasPrefix(key, "slipway.dev/")
}

// short is a value as one short line.
func short(v any) string {
	s := fmt.Sprint(v)
	if m, ok := v.(map[string]any); ok {
		parts := make([]string, 0, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			parts = append(parts, k+": "+fmt.Sprint(m[k]))
		}
		s = "{" + strings.Join(parts, ", ") + "}"
	}
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// lookup is the value at a JSON pointer's place in a decoded object, and
// whether the place is there.
func lookup(doc any, pointer []string) (any, bool) {
	for _, t := range pointer {
		switch v := doc.(type) {
		case map[string]any:
			next, ok := v[t]
			if !ok {
				return nil, false
			}
			doc = next
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}
