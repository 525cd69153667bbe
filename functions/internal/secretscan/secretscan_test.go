package secretscan

import (
	"strings"
	"testing"
)

func TestWhy(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		secret      bool
	}{
		{"DB_PASSWORD", "hunter2", true},
		{"MYSQL_ROOT_PASSWORD", "x", true},
		{"DB_PASS", "x", true},
		{"dbPassword", "x", true},
		{"SMTP_PWD", "x", true},
		{"GITHUB_TOKEN", "abc", true},
		{"client-secret", "abc", true},
		{"STRIPE_API_KEY", "abc", true},
		{"SSH_PRIVATE_KEY", "abc", true},
		{"AWS_SECRET_ACCESS_KEY", "abc", true},
		{"SECRET_KEY_BASE", "abc", true},
		{"ANYTHING", "AKIAIOSFODNN7EXAMPLE", true},
		{"CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIB...", true},
		{"DATABASE_URL", "postgres://admin:s3cret@db:5432/app", true},
		{"CACHE_URL", "redis://:s3cret@cache:6379/0", true},
		{"Authorization", "Basic dXNlcjpwYXNzd29yZA==", true},
		{"UPSTREAM_AUTH", "Bearer abcdefghijklmnop", true},
		{"GH", "ghp_" + strings.Repeat("a", 36), true},
		{"SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", true},

		{"DB_PASSWORD", "", false},
		{"DB_PASSWORD", "$(OTHER_PASSWORD)", false},
		{"DB_PASSWORD_FILE", "/run/secrets/db", false},
		{"TOKEN_PATH", "/var/run/token", false},
		{"SECRET_NAME", "admin-secret", false},
		{"PASSWORDLESS_LOGIN", "true", false},
		{"PASSENGER_COUNT", "4", false},
		{"RAILS_ENV", "production", false},
		{"DATABASE_URL", "postgres://db:5432/app", false},
		{"DATABASE_URL", "postgres://admin:$(DB_PASSWORD)@db:5432/app", false},
		{"LOG_LEVEL", "debug", false},
		{"x-forwarded-proto", "https", false},
	} {
		if got := Why(tc.name, tc.value) != ""; got != tc.secret {
			t.Errorf("Why(%q, %q) = %v, want %v", tc.name, tc.value, got, tc.secret)
		}
	}
}
