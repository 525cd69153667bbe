// Package values works on decoded YAML and JSON values: maps of string
// keys, lists, and scalars.
package values

// Copy returns a deep copy of a decoded value: its maps and lists are new,
// its scalars shared.
func Copy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = Copy(item)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = Copy(item)
		}
		return out
	}
	return v
}
