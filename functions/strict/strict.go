// Package strict checks a decoded YAML or JSON document against the Go type
// it is about to be decoded into, so that every unknown field and every
// wrongly typed value is reported at once, each with its field path, before
// encoding/json (which stops at the first problem and names no path) runs.
package strict

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Error is one problem found in a document.
type Error struct {
	Path   string
	Detail string
}

func (e Error) Error() string {
	if e.Path == "" {
		return e.Detail
	}
	return e.Path + ": " + e.Detail
}

var (
	rawMessageType   = reflect.TypeFor[json.RawMessage]()
	quantityType     = reflect.TypeFor[resource.Quantity]()
	intOrStringType  = reflect.TypeFor[intstr.IntOrString]()
	unmarshalerType  = reflect.TypeFor[json.Unmarshaler]()
	maxReportedNames = 5
)

// Number is a number written without quotes that is beyond the range of a
// 64-bit float (1e400, a 400-digit integer). YAML decoders read it as the
// string of its digits, and the API server would too, so it is accepted
// where a string is; messages call it a number, which it is in YAML and
// JSON.
type Number string

// Check walks value (as produced by decoding YAML or JSON into an interface{})
// against the type t and returns every problem, in document order.
func Check(value any, t reflect.Type, path *field.Path) []Error {
	var c checker
	c.check(value, t, path)
	return c.errs
}

type checker struct{ errs []Error }

func (c *checker) fail(path *field.Path, format string, args ...any) {
	e := Error{Detail: fmt.Sprintf(format, args...)}
	if path != nil {
		e.Path = path.String()
	}
	c.errs = append(c.errs, e)
}

func (c *checker) check(value any, t reflect.Type, path *field.Path) {
	if value == nil {
		return // null is the zero value of any field
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case rawMessageType:
		return
	case quantityType:
		if s, ok := value.(string); ok {
			if _, err := resource.ParseQuantity(s); err != nil {
				c.fail(path, "%q is not a quantity (such as 100m, 0.5 or 1Gi)", s)
			}
		} else if !isNumber(value) {
			c.fail(path, "must be a quantity such as 100m or 1Gi, got %s", describe(value))
		}
		return
	case intOrStringType:
		if !isString(value) && !isInteger(value) {
			c.fail(path, "must be an integer or a string, got %s", describe(value))
		}
		return
	}
	if t.Kind() != reflect.Interface && reflect.PointerTo(t).Implements(unmarshalerType) {
		// A type with its own decoding (such as a timestamp) reports its own errors.
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		c.checkStruct(value, t, path)
	case reflect.Map:
		m, ok := value.(map[string]any)
		if !ok {
			c.fail(path, "must be a map, got %s", describe(value))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			c.check(m[k], t.Elem(), path.Key(ShortKey(k)))
		}
	case reflect.Slice:
		list, ok := value.([]any)
		if !ok {
			c.fail(path, "must be a list, got %s", describe(value))
			return
		}
		for i, item := range list {
			c.check(item, t.Elem(), path.Index(i))
		}
	case reflect.String:
		if !isString(value) {
			c.fail(path, "must be a string, got %s", describe(value))
		}
	case reflect.Bool:
		if _, ok := value.(bool); !ok {
			c.fail(path, "must be true or false, got %s", describe(value))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.checkInt(value, t, path)
	case reflect.Float32, reflect.Float64:
		if n, ok := value.(Number); ok {
			c.fail(path, "number %s is out of range", shortNumber(n))
		} else if !isNumber(value) {
			c.fail(path, "must be a number, got %s", describe(value))
		}
	case reflect.Interface:
	default:
		c.fail(path, "cannot be decoded into %s", t)
	}
}

func (c *checker) checkStruct(value any, t reflect.Type, path *field.Path) {
	m, ok := value.(map[string]any)
	if !ok {
		c.fail(path, "must be a map, got %s", describe(value))
		return
	}
	fields := cachedFields(t)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		f, known := fields[k]
		if !known {
			c.fail(path.Child(ShortKey(k)), "unknown field%s", suggestion(k, fields))
			continue
		}
		c.check(m[k], f, path.Child(k))
	}
}

func (c *checker) checkInt(value any, t reflect.Type, path *field.Path) {
	if !isInteger(value) {
		c.fail(path, "must be an integer, got %s", describe(value))
		return
	}
	n, ok := asInt64(value)
	bits := t.Bits()
	if !ok {
		c.fail(path, "integer %v is out of range", value)
	} else if bits < 64 && (n < -1<<(bits-1) || n > 1<<(bits-1)-1) {
		c.fail(path, "integer %d is out of range", n)
	}
}

// fieldCache holds jsonFields per struct type: the types are few and are
// walked once per App.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

func cachedFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	f := jsonFields(t)
	fieldCache.Store(t, f)
	return f
}

// jsonFields maps each JSON field name of struct t, including those of
// inlined embedded structs, to its type.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					fields[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// suggestion names the known field closest to a misspelt one, if any is
// close: at most two edits away. Two strings are at least as many edits
// apart as their lengths differ, so a name much longer than every field's
// (an attacker's thousand-character key) costs no distance computation.
func suggestion(name string, fields map[string]reflect.Type) string {
	const maxDist = 2
	if len(name) > maxFieldName+maxDist {
		return ""
	}
	lower := strings.ToLower(name)
	best, bestDist := "", maxDist+1
	for known := range fields {
		if abs(len(name)-len(known)) >= bestDist {
			continue
		}
		if d := Distance(lower, strings.ToLower(known)); d < bestDist || (d == bestDist && best != "" && known < best) {
			best, bestDist = known, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// maxFieldName is longer than any JSON field name of the types checked.
const maxFieldName = 64

func abs(n int) int { return max(n, -n) }

// shortNumber is a number as messages show it: a very long one by its
// start and length.
func shortNumber(n Number) string { return ShortKey(string(n)) }

// PathOf is the field path, in the form Check reports, of the value reached
// from base, the path of a document of type t, through keys: a string for a
// field or map key, an int for a list index. Where t says nothing (a raw
// or untyped value), a key is a field.
func PathOf(t reflect.Type, base *field.Path, keys []any) *field.Path {
	path := base
	for _, k := range keys {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if i, ok := k.(int); ok {
			path = path.Index(i)
			if t != nil && t.Kind() == reflect.Slice {
				t = t.Elem()
			} else {
				t = nil
			}
			continue
		}
		name := k.(string)
		switch {
		case t != nil && t.Kind() == reflect.Map:
			path, t = path.Key(ShortKey(name)), t.Elem()
		case t != nil && t.Kind() == reflect.Struct && t != quantityType && t != intOrStringType:
			ft, known := cachedFields(t)[name]
			path = path.Child(ShortKey(name))
			t = nil
			if known {
				t = ft
			}
		default:
			path, t = path.Child(ShortKey(name)), nil
		}
	}
	return path
}

// maxKeyShown is how many characters of a key a message shows.
const maxKeyShown = 40

// ShortKey is a map key as messages show it: whole when it is short, else
// its first 40 characters and its length, so that a long key (a typo'd
// field name of a thousand characters) does not fill every line it is on.
func ShortKey(k string) string {
	n := utf8.RuneCountInString(k)
	if n <= maxKeyShown+10 {
		return k
	}
	cut := 0
	for range maxKeyShown {
		_, size := utf8.DecodeRuneInString(k[cut:])
		cut += size
	}
	return fmt.Sprintf("%s… (%d characters)", k[:cut], n)
}

// Distance is the Levenshtein distance between a and b, in bytes. It costs
// the product of their lengths.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func isString(v any) bool {
	switch v.(type) {
	case string, Number:
		return true
	}
	return false
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, int64, uint64, float64, json.Number:
		return true
	}
	return false
}

func isInteger(v any) bool {
	switch n := v.(type) {
	case int, int64, uint64:
		return true
	case float64:
		return n == math.Trunc(n) && !math.IsInf(n, 0)
	case json.Number:
		_, err := n.Int64()
		return err == nil
	}
	return false
}

func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		return int64(n), n <= math.MaxInt64
	case float64:
		return int64(n), n >= math.MinInt64 && n <= math.MaxInt64
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// numberOrBoolean matches the strings that YAML would read as a number or
// a boolean without their quotes.
var numberOrBoolean = regexp.MustCompile(`^([-+]?[0-9][0-9_.eE+-]{0,19}|(?i:true|false|yes|no|on|off))$`)

// count is "1 item", "2 items".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// describe names the YAML type of a value. It shows a string only when it
// reads as a number or a boolean (the usual mistake: a quoted 8080 or
// "true"): any other string may be a secret typed into the wrong field, and
// errors end up in CI and Argo CD logs.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if numberOrBoolean.MatchString(x) {
			return fmt.Sprintf("string %q", x)
		}
		return fmt.Sprintf("a string (%s, not shown)", count(utf8.RuneCountInString(x), "character"))
	case Number:
		return fmt.Sprintf("number %s (beyond the range of a 64-bit float)", shortNumber(x))
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case int, int64, uint64, float64, json.Number:
		return fmt.Sprintf("number %v", x)
	case map[string]any:
		keys := slices.Sorted(maps.Keys(x))
		if len(keys) > maxReportedNames {
			keys = append(keys[:maxReportedNames], "...")
		}
		for i, k := range keys {
			keys[i] = ShortKey(k)
		}
		return fmt.Sprintf("a map with keys %s", strings.Join(keys, ", "))
	case []any:
		return "a list of " + count(len(x), "item")
	case time.Time:
		return fmt.Sprintf("timestamp %s (quote it to make it a string)", x.Format(time.RFC3339))
	}
	return fmt.Sprintf("%T", v)
}
