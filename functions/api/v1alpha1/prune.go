package v1alpha1

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/slipway-dev/slipway/functions/internal/values"
)

// withoutErrors returns a copy of doc without the values that errs (strict
// errors: unknown fields, wrongly typed values) point at, so that the rest
// of the document can still be decoded and validated: one typo does not
// hide every other problem. A path it cannot follow is left alone; the
// decoding then fails, and only errs are reported. A wrong item of a list
// takes the list with it.
func withoutErrors(doc map[string]any, errs []FieldError) map[string]any {
	out := values.Copy(doc).(map[string]any)
	for _, e := range errs {
		if segments := splitPath(e.Path); len(segments) > 0 {
			remove(out, segments)
		}
	}
	return out
}

// splitPath splits a field path ("spec.env[1].name",
// "metadata.labels[app.kubernetes.io/name]") into its field names, keys
// and indexes.
func splitPath(path string) []string {
	var segments []string
	for path != "" {
		switch {
		case path[0] == '.':
			path = path[1:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil
			}
			segments = append(segments, path[1:end])
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			segments = append(segments, path[:end])
			path = path[end:]
		}
	}
	return segments
}

// remove deletes the value at segments from v. An item of a list is not
// deleted alone, which would shift the indexes of the errors reported on
// the items after it: the list goes (removeMe tells the caller to delete
// it).
func remove(v any, segments []string) (removeMe bool) {
	switch x := v.(type) {
	case map[string]any:
		next, ok := x[segments[0]]
		if ok && (len(segments) == 1 || remove(next, segments[1:])) {
			delete(x, segments[0])
		}
	case []any:
		i, err := strconv.Atoi(segments[0])
		if err != nil || i < 0 || i >= len(x) {
			return false
		}
		return len(segments) == 1 || remove(x[i], segments[1:])
	}
	return false
}

// suggested is the field a "did you mean" suggestion names.
var suggested = regexp.MustCompile(`\(did you mean "([^"]+)"\?\)`)

// independent keeps the errors of the pruned document that do not follow
// from what was removed: nothing at or under a removed value (a list
// whose item was wrong is removed whole), nor at or under the field a
// misspelt one was meant to be ("spec.image: required" after
// "spec.imagee: unknown field (did you mean "image"?)"), nor on the parent
// of a removed value.
func independent(errs, found []FieldError) []FieldError {
	var gone, parents []string
	for _, f := range found {
		removed := f.Path
		for {
			list, index, ok := cutLast(removed, "[")
			if _, err := strconv.Atoi(strings.TrimSuffix(index, "]")); !ok || err != nil {
				break
			}
			removed = list // the item went with its list
		}
		gone = append(gone, removed)
		// A check of the whole (set exactly one of ...) reports on the
		// parent of what was removed.
		if parent, _, ok := cutLast(removed, "."); ok {
			parents = append(parents, parent)
		}
		if m := suggested.FindStringSubmatch(f.Detail); m != nil {
			// An unknown field is always a child: "<parent>.<name>".
			parent, _, _ := cutLast(f.Path, ".")
			gone = append(gone, strings.TrimPrefix(parent+"."+m[1], "."))
		}
	}
	var out []FieldError
	for _, e := range errs {
		follows := slices.Contains(parents, e.Path)
		for _, g := range gone {
			if g == "" || e.Path == g || strings.HasPrefix(e.Path, g+".") || strings.HasPrefix(e.Path, g+"[") {
				follows = true
			}
		}
		if !follows {
			out = append(out, e)
		}
	}
	return out
}

// cutLast cuts s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+len(sep):], true
}
