package v1alpha1

import (
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestMerge(t *testing.T) {
	for _, tc := range []struct {
		name, base, override, want, err string
	}{
		{name: "maps merge key by key", base: `{a: 1, m: {x: 1, y: 2}}`, override: `{m: {y: 3, z: 4}}`, want: `{a: 1, m: {x: 1, y: 3, z: 4}}`},
		{name: "null removes a key", base: `{m: {x: 1, y: 2}}`, override: `{m: {x: null}}`, want: `{m: {y: 2}}`},
		{name: "plain lists replace", base: `{command: [a, b]}`, override: `{command: [c]}`, want: `{command: [c]}`},
		{
			name:     "named lists merge in place and append",
			base:     `{env: [{name: A, value: "1"}, {name: B, value: "2"}]}`,
			override: `{env: [{name: C, value: "3"}, {name: A, value: "9"}]}`,
			want:     `{env: [{name: A, value: "9"}, {name: B, value: "2"}, {name: C, value: "3"}]}`,
		},
		{
			name:     "an item merges into the inherited one",
			base:     `{env: [{name: A, secretKeyRef: {name: s, key: k}}]}`,
			override: `{env: [{name: A, secretKeyRef: {key: other}}]}`,
			want:     `{env: [{name: A, secretKeyRef: {name: s, key: other}}]}`,
		},
		{
			name:     "$patch delete removes an item",
			base:     `{ports: [{name: http, port: 1}, {name: debug, port: 2}]}`,
			override: `{ports: [{name: debug, $patch: delete}]}`,
			want:     `{ports: [{name: http, port: 1}]}`,
		},
		{
			name:     "data merges by secretKey",
			base:     `{externalSecrets: [{name: s, data: [{secretKey: a, remoteRef: {key: x}}, {secretKey: b, remoteRef: {key: y}}]}]}`,
			override: `{externalSecrets: [{name: s, data: [{secretKey: b, remoteRef: {key: z}}]}]}`,
			want:     `{externalSecrets: [{name: s, data: [{secretKey: a, remoteRef: {key: x}}, {secretKey: b, remoteRef: {key: z}}]}]}`,
		},
		{
			name:     "an empty named list clears the inherited one",
			base:     `{ports: [{name: http, port: 1}], workers: [{name: w, command: [x]}]}`,
			override: `{ports: []}`,
			want:     `{ports: [], workers: [{name: w, command: [x]}]}`,
		},
		{
			name:     "workers merge by name",
			base:     `{workers: [{name: w, command: [x], replicas: 2}]}`,
			override: `{workers: [{name: w, replicas: 4}]}`,
			want:     `{workers: [{name: w, command: [x], replicas: 4}]}`,
		},
		{
			name:     "deleting what is not inherited is an error",
			base:     `{env: [{name: A, value: "1"}]}`,
			override: `{env: [{name: B, $patch: delete}]}`,
			err:      `env[0]: name "B": nothing to delete`,
		},
		{
			name:     "deleting from a list that is not inherited is an error",
			base:     `{image: x}`,
			override: `{env: [{name: B, $patch: delete}]}`,
			err:      `env[0]: name "B": nothing to delete: env has no inherited items`,
		},
		{
			name:     "deleting twice is an error",
			base:     `{env: [{name: A, value: "1"}]}`,
			override: `{env: [{name: A, $patch: delete}, {name: A, $patch: delete}]}`,
			err:      `env[1]: name "A": already deleted above`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := Merge(decode(t, tc.base), decode(t, tc.override), nil)
			if tc.err != "" {
				if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.err) {
					t.Fatalf("want error %q, got %v", tc.err, errs)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if want := decode(t, tc.want); !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
	}
}

func TestMergeDoesNotModifyItsInputs(t *testing.T) {
	base := decode(t, `{env: [{name: A, value: "1"}], m: {x: 1}}`)
	override := decode(t, `{env: [{name: A, value: "2"}], m: {x: 2}}`)
	before := decode(t, `{env: [{name: A, value: "1"}], m: {x: 1}}`)
	Merge(base, override, nil)
	if !reflect.DeepEqual(base, before) {
		t.Fatalf("Merge modified its base: %v", base)
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}
