package krm

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestSafePlain checks the shortcut against yaml.v3 itself, on every string
// of up to three characters over an alphabet with the characters that
// matter, and on the words YAML readers take for other types.
func TestSafePlain(t *testing.T) {
	alphabet := []string{"a", "Z", "n", "y", "0", "9", ".", "_", "-", "/", ":", " ", "#", "'", "\"", "e", "~", "*", "&", "!", "@", "%", "{", "["}
	words := []string{"true", "True", "TRUE", "false", "False", "null", "Null", "NULL", "yes", "No", "on", "Off", "y", "n", "e1", "a.b/c-d_e", "v1.2.3", "x-forwarded-proto", "app.kubernetes.io/name", "nan", "inf", "Infinity", "NaN", "0x1f", "1e3"}
	var strs []string
	var build func(prefix string, depth int)
	build = func(prefix string, depth int) {
		if prefix != "" {
			strs = append(strs, prefix)
		}
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			build(prefix+c, depth-1)
		}
	}
	build("", 3)
	checked := 0
	for _, s := range append(strs, words...) {
		if !safePlain(s) {
			continue
		}
		checked++
		for _, asKey := range []bool{false, true} {
			if got := encodeScalar(&yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: s}, asKey); got != s {
				t.Errorf("safePlain(%q) but yaml.v3 writes %q (as key: %v)", s, got, asKey)
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d strings checked", checked)
	}
}
