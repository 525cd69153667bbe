package generate

import (
	"maps"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestReadMeta checks that an object's identity is read through aliases and
// merge keys, as the API server reads it, and as kyaml reads it otherwise.
func TestReadMeta(t *testing.T) {
	for _, tc := range []struct {
		name, doc                            string
		apiVersion, kind, objName, namespace string
		labels                               map[string]string
	}{
		{"plain", "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: n, labels: {x: y}}}", "v1", "ConfigMap", "a", "n", map[string]string{"x": "y"}},
		{"merge key at the top", "x: &t {apiVersion: slipway.dev/v1alpha1, kind: App}\n<<: *t\nmetadata: {name: a}", "slipway.dev/v1alpha1", "App", "a", "", nil},
		{"merge keys of merge keys", "x: &a {kind: App}\ny: &b {<<: *a, apiVersion: v1}\n<<: [*b]\nmetadata: {<<: {name: a}, namespace: n}", "v1", "App", "a", "n", nil},
		{"aliased values", "x: &k App\nn: &n a\napiVersion: v1\nkind: *k\nmetadata: {name: *n}", "v1", "App", "a", "", nil},
		{"aliased labels", "x: &l {app.kubernetes.io/managed-by: slipway}\napiVersion: v1\nkind: Service\nmetadata: {name: a, labels: *l}", "v1", "Service", "a", "", map[string]string{"app.kubernetes.io/managed-by": "slipway"}},
		{"an alias as a label key", "x: &k team\napiVersion: v1\nkind: Service\nmetadata: {name: a, labels: {*k : web}}", "v1", "Service", "a", "", map[string]string{"team": "web"}},
		{"merge key in the labels", "x: &l {a: b}\napiVersion: v1\nkind: Service\nmetadata: {name: a, labels: {<<: *l, c: d}}", "v1", "Service", "a", "", map[string]string{"a": "b", "c": "d"}},
		{"undecodable: as kyaml reads it", "x: &n [1]\napiVersion: v1\nkind: Service\nmetadata: {name: *n}", "v1", "Service", "n", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			meta, err := readMeta(yaml.MustParse(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if meta.APIVersion != tc.apiVersion || meta.Kind != tc.kind || meta.Name != tc.objName || meta.Namespace != tc.namespace ||
				(len(tc.labels) > 0 && !maps.Equal(meta.Labels, tc.labels)) {
				t.Errorf("got %+v", meta)
			}
		})
	}
}

func TestNearMiss(t *testing.T) {
	for apiVersion, want := range map[string]bool{
		"slipway.io/v1alpha1":    true,
		"Slipway.dev/v1alpha1":   true,
		"SLIPWAY.DEV/v1":         true,
		"slipway.dve/v1alpha1":   true,
		"slipwy.dev/v1alpha1":    true,
		"apps.slipway.dev/v1":    true,
		"v1alpha1":               true,
		"apps.example.com/v1":    false,
		"v1":                     false,
		"argoproj.io/v1alpha1":   false,
		"sigs.dev/v1alpha1":      false,
		"slipway.dev.example/v1": true,
	} {
		for kind, kindWant := range map[string]bool{"App": true, "Platform": true, "app": true, "Deployment": false} {
			meta := yaml.ResourceMeta{TypeMeta: yaml.TypeMeta{APIVersion: apiVersion, Kind: kind}}
			if got := nearMiss(yaml.MustParse("{}"), meta, 0) != nil; got != (want && kindWant) {
				t.Errorf("%s %s: near miss %v, want %v", apiVersion, kind, got, want && kindWant)
			}
		}
	}
}

func TestReservedLabel(t *testing.T) {
	for k, want := range map[string]bool{
		"app": true, "app.kubernetes.io/name": true, "app.kubernetes.io/managed-by": true, "rollouts-pod-template-hash": true,
		"slipway.dev/track": true, "slipway.dev/anything": true,
		"team": false, "app.kubernetes.io/part-of": false, "apps": false, "example.com/slipway.dev": false,
	} {
		if got := reservedLabel(k) != ""; got != want {
			t.Errorf("%s: reserved %v, want %v", k, got, want)
		}
	}
}
