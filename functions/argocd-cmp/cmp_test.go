package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const app = `apiVersion: slipway.dev/v1alpha1
kind: App
metadata:
  name: hello
spec:
  image: registry.example.com/hello:1.0.0
  environments:
    prod:
      replicas: 3
`

// annotated is app annotated with the environment it is rendered for.
var annotated = strings.Replace(app, "  name: hello\n", "  name: hello\n  annotations: {slipway.dev/environment: prod}\n", 1)

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data:
  a: b
`

const localConfig = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    config.kubernetes.io/local-config: "true"
`

// aliasBomb repeats a 64 KiB string 1,100 times through aliases: 69 MiB of
// text written in 80 KB.
var aliasBomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a: &a " + strings.Repeat("x", 64<<10) + "\n" +
	func() string {
		var b strings.Builder
		for i := range 1100 {
			fmt.Fprintf(&b, "  k%d: *a\n", i)
		}
		return b.String()
	}()

// writeDir creates a directory holding the given files.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// runCmd runs a subcommand and returns its exit code, stdout and stderr.
func runCmd(t *testing.T, dir string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, dir, env(vars), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// parse reads a YAML stream as objects, failing on anything that is not one.
func parse(t *testing.T, stream string) []*yaml.RNode {
	t.Helper()
	objs, err := (&kio.ByteReader{Reader: strings.NewReader(stream), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatalf("output is not a YAML stream: %v\n%s", err, stream)
	}
	for _, o := range objs {
		if o.GetApiVersion() == "" || o.GetKind() == "" || o.GetName() == "" {
			t.Fatalf("output holds a document that is not an object:\n%s", o.MustString())
		}
	}
	return objs
}

func ids(objs []*yaml.RNode) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName())
	}
	return out
}

func find(t *testing.T, objs []*yaml.RNode, kind, name string) *yaml.RNode {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	t.Fatalf("no %s %s in %v", kind, name, ids(objs))
	return nil
}

func TestGenerate(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"app.yaml":             app,
		"plain.yml":            configMap,
		"settings.yaml":        localConfig,
		"README.md":            "not read",
		".hidden.yaml":         "not: [read",
		"kustomization.yaml":   "resources: [plain.yml]\n",
		"sub/other.yaml":       strings.Replace(app, "hello", "other", -1),
		"hello.generated.yaml": "", // an empty file is no document
	})
	code, stdout, stderr := runCmd(t, dir, map[string]string{"ARGOCD_APP_NAMESPACE": "team-a"}, "generate")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	objs := parse(t, stdout)
	want := []string{"ConfigMap /plain", "Service team-a/hello", "Service team-a/hello-stable", "Service team-a/hello-canary", "Deployment team-a/hello"}
	if got := ids(objs); !reflect.DeepEqual(got, want) {
		t.Errorf("objects:\n got %v\nwant %v", got, want)
	}
	for _, o := range objs {
		for k := range o.GetAnnotations() {
			if strings.Contains(k, "config.kubernetes.io") || strings.Contains(k, "config.k8s.io") {
				t.Errorf("%s %s keeps annotation %s", o.GetKind(), o.GetName(), k)
			}
		}
	}
	if !strings.Contains(stderr, `1 App(s), environment "", default namespace "team-a": 5 object(s)`) {
		t.Errorf("stderr does not summarise the rendering:\n%s", stderr)
	}
}

func TestGenerateEnvironment(t *testing.T) {
	dir := writeDir(t, map[string]string{"app.yaml": app})
	for _, tc := range []struct {
		name     string
		vars     map[string]string
		replicas string
	}{
		{"default", nil, "1"},
		{"parameters", map[string]string{"ARGOCD_APP_PARAMETERS": `[{"name":"environment","string":"prod"}]`}, "3"},
		{"param variable", map[string]string{"PARAM_ENVIRONMENT": "prod"}, "3"},
		{"plugin env", map[string]string{"ARGOCD_ENV_ENVIRONMENT": "prod"}, "3"},
		{"all agree", map[string]string{"ARGOCD_APP_PARAMETERS": `[{"name":"environment","string":"prod"}]`,
			"PARAM_ENVIRONMENT": "prod", "ARGOCD_ENV_ENVIRONMENT": "prod"}, "3"},
		{"explicit base", map[string]string{"ARGOCD_APP_PARAMETERS": `[{"name":"environment","string":""}]`}, "1"},
		{"annotation", nil, "3"},
		{"annotation and parameter agree", map[string]string{"PARAM_ENVIRONMENT": "prod"}, "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := dir
			if strings.HasPrefix(tc.name, "annotation") {
				dir = writeDir(t, map[string]string{"app.yaml": annotated})
			}
			code, stdout, stderr := runCmd(t, dir, tc.vars, "generate")
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			deployment := find(t, parse(t, stdout), "Deployment", "hello")
			if got := deployment.Field("spec").Value.Field("replicas").Value.YNode().Value; got != tc.replicas {
				t.Errorf("replicas %s, want %s", got, tc.replicas)
			}
		})
	}
}

// TestGenerateErrors checks that every failure exits non-zero with nothing
// on stdout (Argo CD would apply, and prune to, whatever is printed) and a
// message that says where the problem is.
func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		vars  map[string]string
		want  string
	}{
		{"bad field", map[string]string{"app.yaml": strings.Replace(app, "replicas: 3", "replicaz: 3", 1)}, nil,
			`app.yaml: App hello: spec.environments[prod].replicaz: unknown field`},
		{"one bad App renders nothing", map[string]string{"a.yaml": app, "b.yaml": strings.Replace(strings.Replace(app, "hello", "b", -1), "image:", "imag:", 1)}, nil,
			`b.yaml: App b: spec.imag: unknown field`},
		{"no App", map[string]string{"plain.yaml": configMap}, nil, "no App (apiVersion slipway.dev/v1alpha1)"},
		{"App only in a subdirectory", map[string]string{"plain.yaml": configMap, "sub/app.yaml": app}, nil, "no App"},
		{"not YAML", map[string]string{"app.yaml": app, "broken.yaml": "kind: [x"}, nil, "broken.yaml: yaml: line 1: did not find expected ',' or ']'"},
		{"alias bomb", map[string]string{"app.yaml": app, "bomb.yaml": aliasBomb}, nil,
			"bomb.yaml: document 1: the input's text exceeds the limit of 64 MiB (aliases counted as what they repeat)"},
		{"too deep", map[string]string{"app.yaml": app, "deep.yaml": configMap + "  deep: " + strings.Repeat("[", 101) + strings.Repeat("]", 101) + "\n"}, nil,
			"deep.yaml: document 1: nesting is deeper than the limit of 100 levels"},
		{"not an object", map[string]string{"app.yaml": app, "list.yaml": "- a\n- b\n"}, nil, "list.yaml: document 1: must be an object (a map), got a list"},
		{"a map but not an object", map[string]string{"app.yaml": app, "map.yaml": "a: b\n"}, nil, "map.yaml: document 1: not an object: apiVersion and kind are required"},
		{"unknown environment", map[string]string{"app.yaml": app}, map[string]string{"PARAM_ENVIRONMENT": "qa"}, `"qa"`},
		{"conflicting environments", map[string]string{"app.yaml": app},
			map[string]string{"PARAM_ENVIRONMENT": "prod", "ARGOCD_ENV_ENVIRONMENT": "dev"},
			`the environment is "prod" by PARAM_ENVIRONMENT but "dev" by ARGOCD_ENV_ENVIRONMENT`},
		{"annotation conflicts with the parameter", map[string]string{"app.yaml": annotated}, map[string]string{"PARAM_ENVIRONMENT": "dev"},
			`app.yaml: App hello: metadata.annotations[slipway.dev/environment]: "prod" conflicts with the environment "dev" selected by PARAM_ENVIRONMENT`},
		{"unknown parameter", map[string]string{"app.yaml": app},
			map[string]string{"ARGOCD_APP_PARAMETERS": `[{"name":"enviroment","string":"prod"}]`},
			`ARGOCD_APP_PARAMETERS: [0].name: unknown parameter "enviroment"; known: environment`},
		{"array parameter", map[string]string{"app.yaml": app},
			map[string]string{"ARGOCD_APP_PARAMETERS": `[{"name":"environment","array":["prod"]}]`},
			`ARGOCD_APP_PARAMETERS: [0]: parameter "environment" takes a string`},
		{"parameters not JSON", map[string]string{"app.yaml": app},
			map[string]string{"ARGOCD_APP_PARAMETERS": `environment=prod`}, "ARGOCD_APP_PARAMETERS: not a JSON list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, writeDir(t, tc.files), tc.vars, "generate")
			if code == 0 {
				t.Fatalf("exit 0, want an error")
			}
			if stdout != "" {
				t.Errorf("stdout not empty on error:\n%s", stdout)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr does not contain %q:\n%s", tc.want, stderr)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"App", map[string]string{"a.yaml": configMap, "b.yml": configMap + "---\n" + app}, "b.yml\n"},
		{"plain manifests", map[string]string{"a.yaml": configMap}, ""},
		{"Platform only", map[string]string{"p.yaml": "apiVersion: slipway.dev/v1alpha1\nkind: Platform\nmetadata: {name: p}\n"}, ""},
		{"App in a subdirectory", map[string]string{"a.yaml": configMap, "sub/app.yaml": app}, ""},
		{"kustomization with an App generator", map[string]string{"kustomization.yaml": "generators: [app.yaml]\n", "app.yaml": app}, ""},
		{"App in another file type", map[string]string{"app.json": app}, ""},
		{"broken file naming our API", map[string]string{"app.yaml": app[:40] + "\n  bad: [\n"}, "app.yaml\n"},
		{"broken file", map[string]string{"x.yaml": "kind: [x"}, ""},
		{"empty", map[string]string{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, writeDir(t, tc.files), nil, "discover")
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if stdout != tc.want {
				t.Errorf("stdout %q, want %q", stdout, tc.want)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"render"}, {"generate", "extra"}} {
		if code, stdout, stderr := runCmd(t, t.TempDir(), nil, args...); code != 2 || stdout != "" || !strings.Contains(stderr, "usage:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, usage on stderr", args, code, stdout, stderr)
		}
	}
}

// TestPluginYAML keeps examples/argocd/cmp/plugin.yaml and this command in
// step: the commands it runs, and the parameter defaults it announces,
// which Argo CD never sends and paramDefaults applies instead.
func TestPluginYAML(t *testing.T) {
	data, err := os.ReadFile("../../examples/argocd/cmp/plugin.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var plugin struct {
		Spec struct {
			Discover struct {
				Find struct {
					Command []string `yaml:"command"`
				} `yaml:"find"`
			} `yaml:"discover"`
			Generate struct {
				Command []string `yaml:"command"`
			} `yaml:"generate"`
			Parameters struct {
				Static []struct {
					Name   string  `yaml:"name"`
					String *string `yaml:"string"`
				} `yaml:"static"`
			} `yaml:"parameters"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(data, &plugin); err != nil {
		t.Fatal(err)
	}
	const binary = "/usr/local/bin/slipway-argocd-cmp"
	if got, want := plugin.Spec.Discover.Find.Command, []string{binary, "discover"}; !reflect.DeepEqual(got, want) {
		t.Errorf("discover command %v, want %v", got, want)
	}
	if got, want := plugin.Spec.Generate.Command, []string{binary, "generate"}; !reflect.DeepEqual(got, want) {
		t.Errorf("generate command %v, want %v", got, want)
	}
	announced := map[string]string{}
	for _, p := range plugin.Spec.Parameters.Static {
		if p.String == nil {
			t.Errorf("parameter %q announces no string default", p.Name)
			continue
		}
		announced[p.Name] = *p.String
	}
	if !reflect.DeepEqual(announced, paramDefaults) {
		t.Errorf("plugin.yaml announces %v, the command applies %v", announced, paramDefaults)
	}
}

func TestGenerateLogsWarnings(t *testing.T) {
	dir := t.TempDir()
	app := `apiVersion: slipway.dev/v1alpha1
kind: App
metadata: {name: leaky}
spec:
  image: registry.example.com/leaky:1.0.0
  env:
    - {name: DB_PASSWORD, value: hunter2hunter2}
`
	if err := os.WriteFile(filepath.Join(dir, "app.yaml"), []byte(app), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"generate"}, dir, func(string) string { return "" }, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "warning: app.yaml: App leaky: spec.env[0].value") {
		t.Errorf("the warning is not in the log:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "hunter2hunter2") {
		t.Errorf("the log holds the secret-looking value")
	}
}

// TestGeneratePlatform renders an App directory of a repository with the
// Platform its "platform" parameter names from the repository's root,
// which every App directory shares without a copy. The Platform's own
// objects (tenants, Applications) are its directory's, not every App's.
func TestGeneratePlatform(t *testing.T) {
	repo := writeDir(t, map[string]string{
		"platform/platform.yaml": `apiVersion: slipway.dev/v1alpha1
kind: Platform
metadata: {name: acme}
spec:
  namespace: shop
  defaults: {resources: {requests: {cpu: 100m, memory: 64Mi}}}
  tenants: [{namespace: shop}]
  argoCD:
    repoURL: https://github.com/acme/deploy.git
    environments: {dev: {clusters: [{name: dev, server: "https://kubernetes.default.svc"}]}}
`,
		"apps/team-a/hello/app.yaml": app,
	})
	dir := filepath.Join(repo, "apps", "team-a", "hello")
	for _, vars := range []map[string]string{
		{envParameters: `[{"name":"platform","string":"platform/platform.yaml"}]`, envSourcePath: "apps/team-a/hello"},
		{envPluginPlatform: "platform/platform.yaml", envSourcePath: "apps/team-a/hello/"},
	} {
		code, stdout, stderr := runCmd(t, dir, vars, "generate")
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr:\n%s", vars, code, stderr)
		}
		deployment := find(t, parse(t, stdout), "Deployment", "hello")
		if deployment.GetNamespace() != "shop" || !strings.Contains(deployment.MustString(), "cpu: 100m") {
			t.Errorf("%v: the Platform's namespace and defaults did not apply:\n%s", vars, deployment.MustString())
		}
		for _, kind := range []string{"Namespace", "NetworkPolicy", "AppProject", "Application"} {
			if strings.Contains(stdout, "\nkind: "+kind+"\n") {
				t.Errorf("%v: the shared Platform rendered a %s with the App directory:\n%s", vars, kind, stdout)
			}
		}
	}
	for _, bad := range []string{"../outside.yaml", "/etc/platform.yaml", "platform/missing.yaml"} {
		code, stdout, stderr := runCmd(t, dir, map[string]string{envParamPlatform: bad, envSourcePath: "apps/team-a/hello"}, "generate")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "platform") {
			t.Errorf("platform %q: want exit 1, no output and a message naming the platform; got %d, %q, %q", bad, code, stdout, stderr)
		}
	}
}
