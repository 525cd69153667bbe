package kustomizetree

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// op is one JSON 6902 operation: op, path and, but for remove, value. A map
// rather than a struct, so that a value of false, 0 or "" is still written.
type op map[string]any

func newOp(kind, path string, value ...any) op {
	o := op{"op": kind, "path": path}
	if len(value) > 0 {
		o["value"] = value[0]
	}
	return o
}

// diffObjects returns the operations that turn from into to: per field, so
// that an overlay shows exactly what its environment changes. Lists of the
// same length are compared item by item; a list whose length changes is
// replaced whole, since indexes would shift under any finer patch.
func diffObjects(from, to *yaml.RNode) ([]op, error) {
	var a, b any
	if err := from.YNode().Decode(&a); err != nil {
		return nil, err
	}
	if err := to.YNode().Decode(&b); err != nil {
		return nil, err
	}
	var ops []op
	diff("", a, b, &ops)
	return ops, nil
}

func diff(path string, a, b any, ops *[]op) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if _, kept := y[k]; !kept {
				*ops = append(*ops, newOp("remove", path+"/"+escape(k)))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(y)) {
			if v, had := x[k]; had {
				diff(path+"/"+escape(k), v, y[k], ops)
			} else {
				*ops = append(*ops, newOp("add", path+"/"+escape(k), y[k]))
			}
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			break
		}
		for i := range x {
			diff(path+"/"+strconv.Itoa(i), x[i], y[i], ops)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*ops = append(*ops, newOp("replace", path, b))
	}
}

// escape encodes a key as a JSON pointer token (RFC 6901).
func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}
