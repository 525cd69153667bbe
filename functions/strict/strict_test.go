package strict

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

type inner struct {
	Port intstr.IntOrString `json:"port"`
}

type sample struct {
	inner    `json:",inline"`
	Name     string                       `json:"name"`
	Replicas *int32                       `json:"replicas"`
	Tags     []string                     `json:"tags"`
	Labels   map[string]string            `json:"labels"`
	Limits   map[string]resource.Quantity `json:"limits"`
	Enabled  bool                         `json:"enabled"`
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{name: a, replicas: 2, tags: [x], labels: {a: b}, port: http, enabled: true, limits: {cpu: 100m}}`, ""},
		{`{nmae: a}`, `nmae: unknown field (did you mean "name"?)`},
		{`{zzzzzz: a}`, `zzzzzz: unknown field`},
		{`{replicas: "2"}`, `replicas: must be an integer, got string "2"`},
		{`{replicas: 4294967296}`, `replicas: integer 4294967296 is out of range`},
		{`{replicas: 1.5}`, `replicas: must be an integer, got number 1.5`},
		{`{tags: x}`, `tags: must be a list, got a string (1 character, not shown)`},
		// A string that is not a number or a boolean may be a secret typed
		// into the wrong field: errors never show it.
		{`{tags: "hunter2 AKIAIOSFODNN7EXAMPLE"}`, `tags: must be a list, got a string (28 characters, not shown)`},
		{`{replicas: "1e3"}`, `replicas: must be an integer, got string "1e3"`},
		{`{labels: {a: 1}}`, `labels[a]: must be a string, got number 1`},
		{`{port: [1]}`, `port: must be an integer or a string, got a list of 1 item`},
		{`{limits: {cpu: lots}}`, `limits[cpu]: "lots" is not a quantity (such as 100m, 0.5 or 1Gi)`},
		{`{enabled: "yes"}`, `enabled: must be true or false, got string "yes"`},
		{`[1]`, `must be a map, got a list of 1 item`},
		// A long key is shown by its start and length, and gets no
		// suggestion however close its start is to a field.
		{`{name` + strings.Repeat("x", 996) + `: a}`, `name` + strings.Repeat("x", 36) + `… (1000 characters): unknown field`},
		{`{labels: {` + strings.Repeat("é", 60) + `: 1}}`, `labels[` + strings.Repeat("é", 40) + `… (60 characters)]: must be a string, got number 1`},
		{`{labels: {` + strings.Repeat("a", 50) + `: 1}}`, `labels[` + strings.Repeat("a", 50) + `]: must be a string, got number 1`},
		{`{nameee: a}`, `nameee: unknown field (did you mean "name"?)`},
		{`{nameeee: a}`, `nameeee: unknown field`},
	} {
		var doc any
		if err := yaml.Unmarshal([]byte(tc.doc), &doc); err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, e := range Check(doc, reflect.TypeFor[sample](), nil) {
			msgs = append(msgs, e.Error())
		}
		if got := strings.Join(msgs, "\n"); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.doc, got, tc.want)
		}
	}
}

func TestCheckReportsEveryProblem(t *testing.T) {
	var doc any
	if err := yaml.Unmarshal([]byte(`{nmae: a, replicas: x, tags: [1, 2]}`), &doc); err != nil {
		t.Fatal(err)
	}
	if errs := Check(doc, reflect.TypeFor[sample](), nil); len(errs) != 4 {
		t.Fatalf("want 4 errors (unknown field, replicas, tags[0], tags[1]), got %v", errs)
	}
}

// TestSuggestionCost checks that thousands of long unknown keys cost no
// edit distance each: 5,000 keys of 1,000 characters took 7 s.
func TestSuggestionCost(t *testing.T) {
	doc := map[string]any{}
	for i := range 5000 {
		doc[fmt.Sprintf("%05d%s", i, strings.Repeat("n", 995))] = 1
	}
	start := time.Now()
	errs := Check(doc, reflect.TypeFor[sample](), nil)
	if len(errs) != 5000 {
		t.Fatalf("%d errors, want 5000", len(errs))
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("5000 long unknown keys took %v", d)
	}
	if got := errs[0].Error(); len(got) > 100 {
		t.Errorf("message of %d characters: %s", len(got), got)
	}
}

// TestNumber checks that a number beyond a float64, which YAML decoders
// read as a string, is called a number, and is accepted where a string is.
func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		doc  map[string]any
		want string
	}{
		{map[string]any{"replicas": Number("1e400")}, "replicas: must be an integer, got number 1e400 (beyond the range of a 64-bit float)"},
		{map[string]any{"name": Number("1e400"), "port": Number("-1e400"), "tags": []any{Number("1e999")}}, ""},
		{map[string]any{"limits": map[string]any{"cpu": Number("1e400")}}, "limits[cpu]: must be a quantity such as 100m or 1Gi, got number 1e400 (beyond the range of a 64-bit float)"},
	} {
		var msgs []string
		for _, e := range Check(tc.doc, reflect.TypeFor[sample](), nil) {
			msgs = append(msgs, e.Error())
		}
		if got := strings.Join(msgs, "\n"); got != tc.want {
			t.Errorf("%v:\n got %q\nwant %q", tc.doc, got, tc.want)
		}
	}
}

func TestPathOf(t *testing.T) {
	for _, tc := range []struct {
		keys []any
		want string
	}{
		{[]any{"labels", "a.b/c"}, "labels[a.b/c]"},
		{[]any{"tags", 2}, "tags[2]"},
		{[]any{"limits", "cpu"}, "limits[cpu]"},
		{[]any{"port"}, "port"},
		{[]any{"unknown", "x", 1}, "unknown.x[1]"},
		{[]any{"labels", strings.Repeat("k", 60)}, "labels[" + strings.Repeat("k", 40) + "… (60 characters)]"},
	} {
		if got := PathOf(reflect.TypeFor[sample](), nil, tc.keys).String(); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.keys, got, tc.want)
		}
	}
}
