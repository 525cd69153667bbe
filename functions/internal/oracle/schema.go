package oracle

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Validate checks a value decoded with json.Number against a structural
// openAPIV3Schema as the API server would, for the keywords CRDs use: type,
// properties (unknown fields rejected unless additionalProperties or
// x-kubernetes-preserve-unknown-fields allows them), required, enum, items,
// additionalProperties, pattern, minimum, maximum, minLength, maxLength,
// minItems, maxItems, anyOf, oneOf, allOf, not, x-kubernetes-int-or-string
// and x-kubernetes-preserve-unknown-fields. CEL rules
// (x-kubernetes-validations) and formats are not evaluated. It returns one
// message per problem, each starting with the field path.
func Validate(value any, schema map[string]any, path string) []string {
	var errs []string
	add := func(format string, args ...any) {
		p := path
		if p == "" {
			p = "<root>"
		}
		errs = append(errs, p+": "+fmt.Sprintf(format, args...))
	}
	if value == nil {
		if b, _ := schema["nullable"].(bool); !b {
			add("null is not allowed")
		}
		return errs
	}
	intOrString, _ := schema["x-kubernetes-int-or-string"].(bool)
	preserve, _ := schema["x-kubernetes-preserve-unknown-fields"].(bool)
	if typ, _ := schema["type"].(string); typ != "" || intOrString {
		if !hasType(value, typ, intOrString) {
			want := typ
			if intOrString {
				want = "integer or string"
			}
			add("is %s, want %s", describe(value), want)
			return errs
		}
	}
	if enum, ok := schema["enum"].([]any); ok && !inEnum(value, enum) {
		add("%s is not one of %v", describe(value), enum)
	}
	switch v := value.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range stringList(schema["required"]) {
			if _, ok := v[r]; !ok {
				add("required field %q is missing", r)
			}
		}
		additional := schema["additionalProperties"]
		for _, k := range sortedKeys(v) {
			child := join(path, k)
			if path == "" && (k == "apiVersion" || k == "kind" || k == "metadata") {
				continue // the API server's own: metadata is checked against ObjectMeta
			}
			if sub, ok := props[k].(map[string]any); ok {
				errs = append(errs, Validate(v[k], sub, child)...)
				continue
			}
			switch a := additional.(type) {
			case map[string]any:
				errs = append(errs, Validate(v[k], a, child)...)
				continue
			case bool:
				if a {
					continue
				}
			}
			if preserve || schema["type"] == nil {
				// A schema without a type is a branch of allOf, anyOf,
				// oneOf or not: it constrains, it declares no fields.
				continue
			}
			errs = append(errs, child+": unknown field (the API server would drop it)")
		}
		if n, ok := number(schema["minProperties"]); ok && float64(len(v)) < n {
			add("has %d properties, want at least %v", len(v), n)
		}
		if n, ok := number(schema["maxProperties"]); ok && float64(len(v)) > n {
			add("has %d properties, want at most %v", len(v), n)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, item := range v {
				errs = append(errs, Validate(item, items, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
		if n, ok := number(schema["minItems"]); ok && float64(len(v)) < n {
			add("has %d items, want at least %v", len(v), n)
		}
		if n, ok := number(schema["maxItems"]); ok && float64(len(v)) > n {
			add("has %d items, want at most %v", len(v), n)
		}
	case string:
		if p, ok := schema["pattern"].(string); ok {
			re, err := regexp.Compile(p)
			if err != nil {
				add("the schema's pattern %q cannot be checked: %v", p, err)
			} else if !re.MatchString(v) {
				add("%q does not match %q", v, p)
			}
		}
		if n, ok := number(schema["minLength"]); ok && float64(len([]rune(v))) < n {
			add("%q is shorter than %v", v, n)
		}
		if n, ok := number(schema["maxLength"]); ok && float64(len([]rune(v))) > n {
			add("%q is longer than %v", v, n)
		}
	case json.Number:
		f, _ := v.Float64()
		if n, ok := number(schema["minimum"]); ok && f < n {
			add("%s is less than %v", v, n)
		}
		if n, ok := number(schema["maximum"]); ok && f > n {
			add("%s is more than %v", v, n)
		}
	}
	for _, sub := range schemaList(schema["allOf"]) {
		errs = append(errs, Validate(value, sub, path)...)
	}
	if anyOf := schemaList(schema["anyOf"]); len(anyOf) > 0 && !intOrString {
		matched := false
		for _, sub := range anyOf {
			if len(Validate(value, sub, path)) == 0 {
				matched = true
				break
			}
		}
		if !matched {
			add("matches none of the anyOf schemas")
		}
	}
	if oneOf := schemaList(schema["oneOf"]); len(oneOf) > 0 {
		n := 0
		for _, sub := range oneOf {
			if len(Validate(value, sub, path)) == 0 {
				n++
			}
		}
		if n != 1 {
			add("matches %d of the oneOf schemas, want exactly 1", n)
		}
	}
	if not, ok := schema["not"].(map[string]any); ok && len(Validate(value, not, path)) == 0 {
		add("matches the schema it must not match")
	}
	return errs
}

func hasType(v any, typ string, intOrString bool) bool {
	if intOrString {
		switch n := v.(type) {
		case string:
			return true
		case json.Number:
			return !strings.ContainsAny(n.String(), ".eE")
		}
		return false
	}
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		return ok && !strings.ContainsAny(n.String(), ".eE")
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return false
}

func describe(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case json.Number:
		return "the number " + x.String()
	}
	return fmt.Sprintf("%T", v)
}

func inEnum(v any, enum []any) bool {
	for _, e := range enum {
		switch x := v.(type) {
		case json.Number:
			if f, ok := number(e); ok {
				if g, _ := x.Float64(); g == f {
					return true
				}
			}
		default:
			if fmt.Sprint(e) == fmt.Sprint(v) {
				return true
			}
		}
	}
	return false
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func schemaList(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
