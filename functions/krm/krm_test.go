package krm

import (
	"bytes"
	"maps"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// addObject is a processor that adds one ConfigMap, with the annotations
// given, as a function placing its output in files does.
type addObject map[string]string

func (a addObject) Process(rl *framework.ResourceList) error {
	obj, err := yaml.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: added\n")
	if err != nil {
		return err
	}
	if err := obj.SetAnnotations(a); err != nil {
		return err
	}
	rl.Items = append(rl.Items, obj)
	return nil
}

// TestRunFileAnnotations checks that Run writes kpt's file annotations in
// the form the input uses (legacy, current or both, as kyaml reconciles
// them), for the items it reads and the ones a processor adds, leaves no
// bookkeeping annotation behind, and keeps what a processor sets when the
// input has no file annotations at all.
func TestRunFileAnnotations(t *testing.T) {
	input := func(annotations string) string {
		return "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" +
			"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: read\n" + annotations
	}
	legacy := map[string]string{kioutil.LegacyPathAnnotation: "a.yaml", kioutil.LegacyIndexAnnotation: "0"}
	current := map[string]string{kioutil.PathAnnotation: "a.yaml", kioutil.IndexAnnotation: "0"}
	both := maps.Clone(legacy)
	maps.Copy(both, current)
	addedBoth := map[string]string{kioutil.LegacyPathAnnotation: "b.yaml", kioutil.PathAnnotation: "b.yaml"}
	for name, tc := range map[string]struct {
		input string
		want  map[string]map[string]string // object name: annotations
	}{
		"legacy": {input("    annotations:\n      config.kubernetes.io/path: a.yaml\n      config.kubernetes.io/index: \"0\"\n"),
			map[string]map[string]string{"read": legacy, "added": {kioutil.LegacyPathAnnotation: "b.yaml"}}},
		"both": {input("    annotations:\n      config.kubernetes.io/path: a.yaml\n      config.kubernetes.io/index: \"0\"\n" +
			"      internal.config.kubernetes.io/path: a.yaml\n      internal.config.kubernetes.io/index: \"0\"\n"),
			map[string]map[string]string{"read": both, "added": addedBoth}},
		"none": {input(""), map[string]map[string]string{"read": {}, "added": addedBoth}},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(addObject{kioutil.PathAnnotation: "b.yaml"}, strings.NewReader(tc.input), &stdout, &stderr); code != 0 {
				t.Fatalf("exit code %d: %s", code, stderr.String())
			}
			items, err := (&kio.ByteReader{Reader: &stdout, OmitReaderAnnotations: true}).Read()
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(tc.want) {
				t.Fatalf("%d items, want %d:\n%s", len(items), len(tc.want), stdout.String())
			}
			for _, item := range items {
				want, ok := tc.want[item.GetName()]
				if !ok {
					t.Fatalf("unexpected item %s", item.GetName())
				}
				if got := item.GetAnnotations(); !maps.Equal(got, want) {
					t.Errorf("%s: annotations %v, want %v", item.GetName(), got, want)
				}
			}
		})
	}
}

// TestLongKey checks that a key longer than YAML allows before a colon is
// said to be, whatever its form, and that other syntax errors keep the
// parser's message.
func TestLongKey(t *testing.T) {
	const head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
	k := strings.Repeat("k", 1025)
	for name, tc := range map[string]struct{ data, want string }{
		"block":           {"  data:\n    " + k + ": v\n", "input: yaml: line 8: a key is 1025 characters long; YAML allows at most 1024 before a colon"},
		"quotes count":    {"  data:\n    \"" + k[:1023] + "\": v\n", "input: yaml: line 8: a key is 1025 characters long; YAML allows at most 1024 before a colon"},
		"in a list":       {"  data:\n  - " + k + ": v\n", "input: yaml: line 8: a key is 1025 characters long; YAML allows at most 1024 before a colon"},
		"flow":            {"  data: {a: b, " + k + ": v}\n", "input: yaml: line 7: a key is 1025 characters long; YAML allows at most 1024 before a colon"},
		"characters":      {"  data:\n    " + strings.Repeat("é", 1025) + ": v\n", "input: yaml: line 8: a key is 1025 characters long; YAML allows at most 1024 before a colon"},
		"another problem": {"  data:\n    a: b: c\n", "input: yaml: line 8: mapping values are not allowed in this context"},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(addObject{}, strings.NewReader(head+tc.data), &stdout, &stderr); code != 1 {
				t.Fatalf("exit code %d", code)
			}
			if got := strings.TrimSpace(stderr.String()); got != "error: "+tc.want {
				t.Errorf("got %q\nwant %q", got, "error: "+tc.want)
			}
		})
	}
	for _, ok := range []string{"  data:\n    " + k[:1024] + ": v\n", "  data:\n    ? " + k + "\n    : v\n"} {
		var stdout, stderr bytes.Buffer
		if code := Run(addObject{}, strings.NewReader(head+ok), &stdout, &stderr); code != 0 {
			t.Errorf("exit code %d: %s", code, stderr.String())
		}
	}
}
