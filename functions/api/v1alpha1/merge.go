package v1alpha1

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// PatchKey marks an item of a named list in an environment override;
// "$patch: delete" removes the inherited item of that name.
const PatchKey = "$patch"

// NamedLists are the list fields whose items merge by a key rather than
// replace the whole list, mapped to that key.
var NamedLists = map[string]string{
	"env":             "name",
	"ports":           "name",
	"externalSecrets": "name",
	"data":            "secretKey",
	"volumes":         "name",
	"initContainers":  "name",
	"sidecars":        "name",
	"workers":         "name",
	"jobs":            "name",
}

// Merge returns base overridden by override, both decoded YAML documents,
// without modifying either:
//   - maps merge key by key, and a null value removes the inherited key;
//   - in the named lists (env, ports, externalSecrets, volumes,
//     initContainers, sidecars, workers and jobs by name, the data of an
//     external secret by secretKey) an item merges, in place, into the
//     inherited item with the same name, an item with "$patch: delete"
//     removes it, and new items are appended; an empty list clears the
//     inherited one ("ports: []");
//   - any other value, lists included, replaces the inherited one.
//
// Problems (a deletion of an item that is not inherited) are reported against
// path, the location of override.
func Merge(base, override any, path *field.Path) (any, []FieldError) {
	var errs []FieldError
	merged := merge(base, override, path, "", &errs)
	return merged, errs
}

func merge(base, override any, path *field.Path, key string, errs *[]FieldError) any {
	switch o := override.(type) {
	case map[string]any:
		b, ok := base.(map[string]any)
		if !ok {
			return withoutPatches(o)
		}
		out := make(map[string]any, len(b)+len(o))
		for k, v := range b {
			out[k] = v
		}
		for _, k := range slices.Sorted(maps.Keys(o)) {
			if o[k] == nil {
				delete(out, k)
				continue
			}
			out[k] = merge(b[k], o[k], path.Child(k), k, errs)
		}
		return out
	case []any:
		nameKey, named := NamedLists[key]
		b, ok := base.([]any)
		if named && !ok {
			for i, item := range o {
				if isDelete(item) {
					name, _ := itemName(item, nameKey)
					*errs = append(*errs, fieldError(path.Index(i), "%s %q: nothing to delete: %s has no inherited items", nameKey, name, key))
				}
			}
		}
		if !named || !ok || len(o) == 0 {
			return withoutPatches(o)
		}
		return mergeNamedList(b, o, nameKey, path, errs)
	}
	return override
}

func mergeNamedList(base, override []any, nameKey string, path *field.Path, errs *[]FieldError) []any {
	out := make([]any, len(base))
	copy(out, base)
	index := map[string]int{}
	for i, item := range out {
		if name, ok := itemName(item, nameKey); ok {
			index[name] = i
		}
	}
	deleted := map[int]bool{}
	for i, item := range override {
		name, ok := itemName(item, nameKey)
		pos, inherited := index[name]
		switch {
		case !ok:
			out = append(out, item)
		case isDelete(item) && !inherited:
			*errs = append(*errs, fieldError(path.Index(i), "%s %q: nothing to delete: no inherited item has that %s", nameKey, name, nameKey))
		case isDelete(item) && deleted[pos]:
			*errs = append(*errs, fieldError(path.Index(i), "%s %q: already deleted above", nameKey, name))
		case isDelete(item):
			deleted[pos] = true
		case inherited && !deleted[pos]:
			out[pos] = merge(out[pos], item, path.Index(i), "", errs)
		default:
			index[name] = len(out)
			out = append(out, withoutPatches(item))
		}
	}
	kept := out[:0]
	for i, item := range out {
		if !deleted[i] {
			kept = append(kept, item)
		}
	}
	return kept
}

func itemName(item any, nameKey string) (string, bool) {
	m, ok := item.(map[string]any)
	if !ok {
		return "", false
	}
	name, ok := m[nameKey].(string)
	return name, ok
}

func isDelete(item any) bool {
	m, ok := item.(map[string]any)
	return ok && m[PatchKey] == "delete"
}

// withoutPatches returns v with every item marked "$patch: delete" removed
// from its lists: with nothing to delete from, such an item means nothing.
func withoutPatches(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = withoutPatches(item)
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, item := range x {
			if !isDelete(item) {
				out = append(out, withoutPatches(item))
			}
		}
		return out
	}
	return v
}

// checkPatches reports every "$patch" marker in an override that is not a
// valid deletion of a named list item, and returns the override with the
// valid markers removed, ready for a strict type check.
func checkPatches(v any, path *field.Path, key string) (any, []FieldError) {
	var errs []FieldError
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			item, itemErrs := checkPatches(x[k], path.Child(k), k)
			errs = append(errs, itemErrs...)
			out[k] = item
		}
		return out, errs
	case []any:
		nameKey, named := NamedLists[key]
		out := make([]any, 0, len(x))
		for i, item := range x {
			if m, ok := item.(map[string]any); ok && m[PatchKey] != nil {
				_, hasName := m[nameKey]
				switch {
				case !named:
					errs = append(errs, fieldError(path.Index(i).Child(PatchKey), "only allowed in the named lists (%s)", namedListNames()))
				case m[PatchKey] != "delete":
					errs = append(errs, fieldError(path.Index(i).Child(PatchKey), "unsupported value %q: only \"delete\" is supported", fmt.Sprint(m[PatchKey])))
				case !hasName || len(m) != 2:
					errs = append(errs, fieldError(path.Index(i), "a deletion holds only %s and %s", nameKey, PatchKey))
				}
				continue
			}
			item, itemErrs := checkPatches(item, path.Index(i), "")
			errs = append(errs, itemErrs...)
			out = append(out, item)
		}
		return out, errs
	}
	return v, nil
}

func namedListNames() string {
	names := make([]string, 0, len(NamedLists))
	for k := range NamedLists {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
