package generate

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

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

// TestSecretWarningsEverywhere puts a literal secret in every place an App
// holds literal text: each gets a warning on its path, none shows it.
func TestSecretWarningsEverywhere(t *testing.T) {
	const pw = "correct-horse-battery-staple"
	app, err := yaml.Parse(`apiVersion: slipway.dev/v1alpha1
kind: App
metadata: {name: shop, namespace: web}
spec:
  image: registry.example.com/shop:1.0.0
  args: [--db-password=` + pw + `, serve]
  env:
    - {name: dbPassword, value: ` + pw + `}
    - {name: CACHE_URL, value: "redis://:` + pw + `@cache:6379"}
  config:
    env: true
    data: {SMTP_PWD: ` + pw + `, LOG_LEVEL: info}
  pod:
    annotations: {example.com/token: ` + pw + `}
  routing:
    hosts: [shop.example.com]
    requestHeaders: {authorization: "Basic dXNlcjpwYXNzd29yZA=="}
  externalSecrets:
    - name: shop-secret
      storeRef: {name: vault}
      template: {password: ` + pw + `, url: "postgres://{{ .user }}@db"}
      data: [{secretKey: user, remoteRef: {key: shop/db}}]
  workers:
    - {name: sync, command: [bin/sync], env: [{name: DB_PASS, value: ` + pw + `}]}
  sidecars:
    - {name: proxy, image: registry.example.com/proxy:1.0.0, env: [{name: API_TOKEN, value: ` + pw + `}]}
`)
	if err != nil {
		t.Fatal(err)
	}
	out, results := Render([]*yaml.RNode{app}, nil, Options{})
	if results.ExitCode() != 0 || len(out) == 0 {
		t.Fatalf("want a rendering with warnings, got %d items and %v", len(out), results)
	}
	var paths []string
	for _, r := range results {
		if r.Severity != framework.Warning || r.Field == nil {
			t.Errorf("want warnings with a field path, got %+v", r)
			continue
		}
		if strings.Contains(r.Message, pw) || strings.Contains(r.Message, "dXNlcjpwYXNzd29yZA") {
			t.Errorf("the message shows the value: %q", r.Message)
		}
		paths = append(paths, r.Field.Path)
	}
	want := []string{
		"spec.env[0].value", "spec.env[1].value", "spec.args[0]", "spec.workers[0].env[0].value", "spec.sidecars[0].env[0].value",
		"spec.config.data[SMTP_PWD]", "spec.routing.requestHeaders[authorization]", "spec.pod.annotations[example.com/token]",
		"spec.externalSecrets[0].template[password]",
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings on\n%s\nwant\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
}
