package generate

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestLooksSecret(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		secret      bool
	}{
		{"DB_PASSWORD", "hunter2", true},
		{"MYSQL_ROOT_PASSWORD", "x", true},
		{"GITHUB_TOKEN", "abc", true},
		{"client-secret", "abc", true},
		{"STRIPE_API_KEY", "abc", true},
		{"SSH_PRIVATE_KEY", "abc", true},
		{"AWS_SECRET_ACCESS_KEY", "abc", true},
		{"SECRET_KEY_BASE", "abc", true},
		{"ANYTHING", "AKIAIOSFODNN7EXAMPLE", true},
		{"CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIB...", true},
		{"DATABASE_URL", "postgres://admin:s3cret@db:5432/app", true},
		{"GH", "ghp_" + strings.Repeat("a", 36), true},
		{"SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", true},

		{"DB_PASSWORD", "", false},
		{"DB_PASSWORD", "$(OTHER_PASSWORD)", false},
		{"DB_PASSWORD_FILE", "/run/secrets/db", false},
		{"TOKEN_PATH", "/var/run/token", false},
		{"SECRET_NAME", "admin-secret", false},
		{"PASSWORDLESS_LOGIN", "true", false},
		{"RAILS_ENV", "production", false},
		{"DATABASE_URL", "postgres://db:5432/app", false},
		{"DATABASE_URL", "postgres://admin:$(DB_PASSWORD)@db:5432/app", false},
		{"LOG_LEVEL", "debug", false},
	} {
		got := looksSecret(tc.name, tc.value) != ""
		if got != tc.secret {
			t.Errorf("looksSecret(%q, %q) = %v, want %v", tc.name, tc.value, got, tc.secret)
		}
	}
}

// TestSecretWarning renders an App with a literal password: it renders, with
// a warning that names the field and not the value.
func TestSecretWarning(t *testing.T) {
	const password = "correct-horse-battery-staple"
	app, err := yaml.Parse(`apiVersion: slipway.dev/v1alpha1
kind: App
metadata: {name: shop, namespace: web}
spec:
  image: registry.example.com/shop:1.0.0
  env:
    - name: LOG_LEVEL
      value: info
    - name: DB_PASSWORD
      value: ` + password + `
    - name: API_TOKEN
      secretKeyRef: {name: shop-secret, key: token}
`)
	if err != nil {
		t.Fatal(err)
	}
	out, results := Render([]*yaml.RNode{app}, nil, Options{})
	if results.ExitCode() != 0 || len(out) == 0 {
		t.Fatalf("want a rendering with warnings, got %d items and %v", len(out), results)
	}
	if len(results) != 1 {
		t.Fatalf("want 1 warning, got %d: %v", len(results), results)
	}
	r := results[0]
	if r.Severity != framework.Warning || r.Field == nil || r.Field.Path != "spec.env[1].value" {
		t.Errorf("want a warning on spec.env[1].value, got %+v", r)
	}
	if !strings.Contains(r.Message, "DB_PASSWORD") || strings.Contains(r.Message, password) {
		t.Errorf("the message must name the variable and not hold the value: %q", r.Message)
	}
}
