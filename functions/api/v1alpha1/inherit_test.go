package v1alpha1

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestEveryFieldInherited walks every field of the App spec: a Platform
// default of it, and nothing in the App, must reach the decoded App. A
// field special-cased out of the one inheritance model (inherit) fails
// here; a feature section is inherited by the Apps that have it.
func TestEveryFieldInherited(t *testing.T) {
	specType := reflect.TypeFor[AppSpec]()
	for i := range specType.NumField() {
		f := specType.Field(i)
		name := jsonName(f)
		if name == "environments" {
			continue // the Platform's environments override its defaults instead
		}
		t.Run(name, func(t *testing.T) {
			value := sample(f.Type, 0)
			own := map[string]any{}
			if slices.Contains(featureSections, name) {
				own[name] = map[string]any{} // the App turns the feature on
			}
			merged, errs := inherit(map[string]any{name: value}, own)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var app App
			if errs := decodeTyped(map[string]any{"spec": merged}, &app); len(errs) > 0 {
				t.Fatalf("decoding %v: %v", merged, errs)
			}
			got := reflect.ValueOf(app.Spec).Field(i)
			if got.IsZero() || (got.Kind() == reflect.Pointer && got.Elem().IsZero()) {
				t.Errorf("the Platform's default of %s did not reach the App", name)
			}
		})
	}
}

// TestFeatureDefaultsNeedTheFeature checks that a feature section's default
// reaches only the Apps that have the section.
func TestFeatureDefaultsNeedTheFeature(t *testing.T) {
	for _, name := range featureSections {
		merged, _ := inherit(map[string]any{name: map[string]any{"x": 1}, "replicas": 2}, map[string]any{})
		if _, got := merged[name]; got {
			t.Errorf("%s: a default turned the feature on for an App without it", name)
		}
		if merged["replicas"] != 2 {
			t.Errorf("%s: the other defaults were lost: %v", name, merged)
		}
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := splitTag(f.Tag.Get("json"))
	return name
}

func splitTag(tag string) (string, string, bool) {
	for i := range len(tag) {
		if tag[i] == ',' {
			return tag[:i], tag[i+1:], true
		}
	}
	return tag, "", false
}

// sample is a non-empty document value of type t, as decoded YAML: each
// struct with every field set, to depth 3.
func sample(t reflect.Type, depth int) any {
	switch t {
	case reflect.TypeFor[resource.Quantity]():
		return "1"
	case reflect.TypeFor[intstr.IntOrString]():
		return 1
	case reflect.TypeFor[json.RawMessage]():
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return sample(t.Elem(), depth)
	case reflect.String:
		return "x"
	case reflect.Bool:
		return true
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint32, reflect.Uint8:
		return 1
	case reflect.Slice:
		return []any{sample(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"k": sample(t.Elem(), depth+1)}
	case reflect.Struct:
		out := map[string]any{}
		if depth > 3 {
			return out
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := splitTag(f.Tag.Get("json"))
			if name == "-" {
				continue
			}
			if opts == "inline" || (f.Anonymous && name == "") {
				for k, v := range sample(f.Type, depth).(map[string]any) {
					out[k] = v
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[name] = sample(f.Type, depth+1)
		}
		return out
	}
	return nil
}

func TestIndependent(t *testing.T) {
	found := []FieldError{
		{Path: "spec.imagee", Detail: `unknown field (did you mean "image"?)`},
		{Path: "spec.ports[0].prot", Detail: `unknown field (did you mean "port"?)`},
		{Path: "spec.env[2]", Detail: "must be a map, got number 5"},
		{Path: "spec.replicas", Detail: "must be an integer, got string \"lots\""},
		{Path: "spec.canary.wieght", Detail: "unknown field"},
	}
	errs := []FieldError{
		{Path: "spec.image", Detail: "required"},
		{Path: "spec.ports[0].port", Detail: "must be between 1 and 65535, got 0"},
		{Path: "spec.env[0].name", Detail: "required"},
		{Path: "spec.replicas", Detail: "must not be negative"},
		{Path: "spec.canary.weight", Detail: "is 120"},
		{Path: "spec.ports[1].port", Detail: "must be between 1 and 65535, got 0"},
	}
	var got []string
	for _, e := range independent(errs, found) {
		got = append(got, e.Path)
	}
	if want := []string{"spec.canary.weight", "spec.ports[1].port"}; !slices.Equal(got, want) {
		t.Errorf("independent = %v, want %v", got, want)
	}
}
