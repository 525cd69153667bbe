package manifests

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

// TestSecretVolumeName checks that Secret names (DNS subdomains, which
// validation requires) give valid volume names of their own.
func TestSecretVolumeName(t *testing.T) {
	long := strings.Repeat("a", 253)
	names := []string{"db", "a-b", "a.b", strings.Repeat("x", 56), strings.Repeat("x", 57), long, long[:252] + "b", "tls.example.com", strings.Repeat("ab-", 30) + "c.d"}
	seen := map[string]string{}
	for _, name := range names {
		if msgs := validation.IsDNS1123Subdomain(name); len(msgs) > 0 {
			t.Fatalf("test input %q is not a Secret name: %s", name, msgs[0])
		}
		got := secretVolumeName(name)
		if msgs := validation.IsDNS1123Label(got); len(msgs) > 0 {
			t.Errorf("%q gives %q: %s", name, got, strings.Join(msgs, "; "))
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q both give %q", other, name, got)
		}
		seen[got] = name
	}
	if got := secretVolumeName("db"); got != "secret-db" {
		t.Errorf(`"db" gives %q, want "secret-db"`, got)
	}
}
