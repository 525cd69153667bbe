package encode

import (
	"math/rand/v2"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestYAML11NonString checks the fast answer against the YAML 1.1 parser,
// on tricky values and on random ones.
func TestYAML11NonString(t *testing.T) {
	values := []string{"", "on", "On", "off", "yes", "y", "Y", "n", "NO", "true", "False", "null", "~", "<<", "=",
		"1", "-1", "+1", "0x1F", "0o17", "1_000", "1:20", ".5", ".inf", "-.inf", ".nan", "1e3", "2001-12-14",
		"a: b", "- a", "[a]", "{a: b}", "&a", "*a", "!!int 1", "# c", "|", ">", "a #b", "http", "TCP", "ClusterIP",
		"registry.example.com/shop:1.0.0", "app.kubernetes.io/name", "Deployment", "x-forwarded-proto", "ok", "nginx"}
	r := rand.New(rand.NewPCG(1, 2))
	const chars = "aAyYnNoOtTfFxX019-_./: #&*!~<=[]{},'\\\""
	for range 20000 {
		b := make([]byte, 1+r.IntN(6))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		values = append(values, string(b))
	}
	for _, v := range values {
		if got, want := yaml11NonString(v), yaml.IsValueNonString(v); got != want {
			t.Errorf("yaml11NonString(%q) = %v, want %v", v, got, want)
		}
	}
}
