package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/schema"
)

const examples = "../../examples"

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// terminal stands for a terminal on stdin: a character device.
func terminal(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

const hello = `apiVersion: slipway.dev/v1alpha1
kind: App
metadata:
  name: hello
  namespace: demo
spec:
  image: registry.example.com/hello:1.0.0
  environments:
    prod: {replicas: 3}
`

const plain = `apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
  namespace: demo
data: {a: b}
`

const localConfig = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    config.kubernetes.io/local-config: "true"
`

// writeFiles writes files into a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRun runs the slipway command in-process: each case is a command
// line, its stdin, and what it must print and exit with. stdout is compared
// whole when want.stdout is set, else checked to hold stdoutHas; stderr is
// matched by a regular expression, and "" means it must be empty.
func TestRun(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"hello.yaml":    hello,
		"plain.yaml":    plain,
		"settings.yaml": localConfig,
		"notes.txt":     "not read",
	})
	bad := writeFiles(t, map[string]string{"app.yaml": strings.Replace(hello, "image:", "imagee:", 1)})
	annotated := writeFiles(t, map[string]string{"app.yaml": strings.Replace(hello, "  namespace: demo\n", "  namespace: demo\n  annotations: {slipway.dev/environment: prod}\n", 1)})
	leaky := writeFiles(t, map[string]string{"app.yaml": hello + "  env: [{name: DB_PASSWORD, value: hunter2hunter2}]\n"})
	quickstart := read(t, examples+"/quickstart/rendered/base.yaml")
	prod := read(t, examples+"/platform-team/rendered/prod.yaml")
	for _, tc := range []struct {
		name      string
		args      []string
		stdin     string // "tty" stands for a terminal
		code      int
		stdout    string
		stdoutHas []string
		stderr    string
	}{
		// slipway itself
		{name: "no arguments: help", code: 0, stdoutHas: []string{"Usage:\n  slipway COMMAND", "render ", "eject ", "schema ", "version "}, stderr: ""},
		{name: "--help", args: []string{"--help"}, code: 0, stdoutHas: []string{"Commands:"}, stderr: ""},
		{name: "-h", args: []string{"-h"}, code: 0, stdoutHas: []string{"Commands:"}, stderr: ""},
		{name: "help render", args: []string{"help", "render"}, code: 0, stdoutHas: []string{"slipway render [-e ENVIRONMENT]"}, stderr: ""},
		{name: "help of an unknown command", args: []string{"help", "rendr"}, code: 2, stdout: "", stderr: `^slipway: unknown command "rendr"\n`},
		{name: "--version", args: []string{"--version"}, code: 0, stdout: "dev\n", stderr: ""},
		{name: "version", args: []string{"version"}, code: 0, stdout: "dev\n", stderr: ""},
		{name: "version with an argument", args: []string{"version", "x"}, code: 2, stdout: "", stderr: `slipway version: takes no arguments`},
		{name: "unknown command", args: []string{"rendr"}, code: 2, stdout: "", stderr: `^slipway: unknown command "rendr"\nRun 'slipway --help' for usage.\n$`},
		{name: "unknown flag", args: []string{"--verbose"}, code: 2, stdout: "", stderr: `unknown command "--verbose"`},

		// render: help and usage
		{name: "render --help", args: []string{"render", "--help"}, code: 0, stdoutHas: []string{"Usage:\n  slipway render", "--environment"}, stderr: ""},
		{name: "render -h after a path", args: []string{"render", "x.yaml", "-h"}, code: 0, stdoutHas: []string{"slipway render"}, stderr: ""},
		{name: "render: unknown flag", args: []string{"render", "--env", "prod"}, code: 2, stdout: "", stderr: `^slipway render: flag provided but not defined: -env\nRun 'slipway render --help' for usage.\n$`},
		{name: "render: flag without value", args: []string{"render", "-e"}, code: 2, stdout: "", stderr: `flag needs an argument: -e`},
		{name: "render: stdin twice", args: []string{"render", "-", "-"}, stdin: hello, code: 2, stdout: "", stderr: `- \(stdin\) is given 2 times`},
		{name: "render: no path, stdin a terminal", args: []string{"render"}, stdin: "tty", code: 2, stdout: "", stderr: `^slipway render: no input: give files or directories, or - to read stdin\n`},

		// render: what it prints
		{name: "render the quick start", args: []string{"render", examples + "/quickstart/app.yaml"}, code: 0, stdout: quickstart, stderr: ""},
		{name: "render a directory for an environment, flags after the path", args: []string{"render", examples + "/platform-team", "-e", "prod"}, code: 0, stdout: prod, stderr: ""},
		{name: "render --environment=prod", args: []string{"render", "--environment=prod", examples + "/platform-team"}, code: 0, stdout: prod, stderr: ""},
		{name: "render files named one by one", args: []string{"render", "-e", "prod", examples + "/platform-team/platform.yaml", examples + "/platform-team/admin.yaml"}, code: 0, stdout: prod, stderr: ""},
		{name: "render stdin as -", args: []string{"render", "-"}, stdin: read(t, examples+"/quickstart/app.yaml"), code: 0, stdout: quickstart, stderr: ""},
		{name: "render stdin without a path", args: []string{"render"}, stdin: read(t, examples+"/quickstart/app.yaml"), code: 0, stdout: quickstart, stderr: ""},
		{name: "render after --", args: []string{"render", "--", "-"}, stdin: read(t, examples+"/quickstart/app.yaml"), code: 0, stdout: quickstart, stderr: ""},
		{name: "render: other objects pass through, local config does not", args: []string{"render", "-n", "fallback", dir}, code: 0,
			stdoutHas: []string{"kind: ConfigMap\nmetadata:\n  name: plain\n", "kind: Deployment\nmetadata:\n  name: hello\n  namespace: demo\n"}, stderr: ""},
		{name: "render: the annotation selects", args: []string{"render", annotated}, code: 0, stdoutHas: []string{"replicas: 3"}, stderr: ""},

		// render: errors
		{name: "render a missing file", args: []string{"render", "missing.yaml"}, code: 1, stdout: "", stderr: `^error: stat missing.yaml: no such file or directory\n$`},
		{name: "render an invalid App", args: []string{"render", bad}, code: 1, stdout: "",
			stderr: `^error: .*/app.yaml: App demo/hello: spec.imagee: unknown field \(did you mean "image"\?\)\n$`},
		{name: "render an unknown environment", args: []string{"render", "-e", "qa", dir}, code: 1, stdout: "", stderr: `environment "qa" is not defined by any App or Platform of the input; known: prod`},
		{name: "render against the annotation", args: []string{"render", "-e", "dev", annotated}, code: 1, stdout: "",
			stderr: `App demo/hello: metadata.annotations\[slipway.dev/environment\]: "prod" conflicts with the environment "dev" selected by --environment`},
		{name: "render input without an App", args: []string{"render", "-"}, stdin: plain, code: 1, stdout: "", stderr: `^error: no App \(apiVersion slipway.dev/v1alpha1\) in the input`},
		{name: "render input that is not YAML", args: []string{"render", "-"}, stdin: "kind: [x", code: 1, stdout: "", stderr: `^error: stdin: `},
		{name: "render: warnings on stderr", args: []string{"render", leaky}, code: 0, stdoutHas: []string{"kind: Deployment"}, stderr: `^warning: .*app.yaml: App demo/hello: spec.env\[0\].value: `},

		// schema
		{name: "schema app", args: []string{"schema", "app"}, code: 0, stdout: string(schema.App), stderr: ""},
		{name: "schema Platform", args: []string{"schema", "Platform"}, code: 0, stdout: string(schema.Platform), stderr: ""},
		{name: "schema without a kind", args: []string{"schema"}, code: 2, stdout: "", stderr: `^slipway schema: name one kind: app or platform\n`},
		{name: "schema of an unknown kind", args: []string{"schema", "deployment"}, code: 2, stdout: "", stderr: `unknown kind "deployment"`},
		{name: "schema --help", args: []string{"schema", "--help"}, code: 0, stdoutHas: []string{"slipway schema app|platform"}, stderr: ""},

		// eject
		{name: "eject --help", args: []string{"eject", "--help"}, code: 0, stdoutHas: []string{"slipway eject [-o DIR]"}, stderr: ""},
		{name: "eject: no path, stdin a terminal", args: []string{"eject", "-o", t.TempDir()}, stdin: "tty", code: 2, stdout: "", stderr: `no input`},
		{name: "eject an invalid App", args: []string{"eject", "-o", t.TempDir(), bad}, code: 1, stdout: "", stderr: `spec.imagee: unknown field`},
		{name: "eject an annotated App", args: []string{"eject", "-o", t.TempDir(), annotated}, code: 1, stdout: "", stderr: `eject writes the base and an overlay per environment`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdin io.Reader = strings.NewReader(tc.stdin)
			if tc.stdin == "tty" {
				stdin = terminal(t)
			}
			var stdout, stderr bytes.Buffer
			code := Run(tc.args, stdin, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if tc.stdoutHas == nil && stdout.String() != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), tc.stdout)
			}
			for _, want := range tc.stdoutHas {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tc.stderr == "" && stderr.Len() > 0 {
				t.Errorf("stderr not empty:\n%s", stderr.String())
			} else if tc.stderr != "" && !regexp.MustCompile(tc.stderr).MatchString(stderr.String()) {
				t.Errorf("stderr does not match %s:\n%s", tc.stderr, stderr.String())
			}
		})
	}
}

// TestRenderOutputIsClean: the stream holds neither Apps nor Platforms,
// nor the annotations kpt and kustomize use among themselves.
func TestRenderOutputIsClean(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"render", examples + "/platform-team"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, unwanted := range []string{"slipway.dev/v1alpha1", "config.kubernetes.io", "config.k8s.io"} {
		if strings.Contains(stdout.String(), unwanted) {
			t.Errorf("the output holds %q", unwanted)
		}
	}
}

// TestReadmeQuickStart runs the quick start's command as README.md gives
// it, and compares its output with the checked-in rendering README.md
// points to.
func TestReadmeQuickStart(t *testing.T) {
	readme := read(t, "../../README.md")
	m := regexp.MustCompile("(?m)^make build && bin/slipway (render [^ #\n]+)").FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README.md's quick start has no `make build && bin/slipway render PATH` line")
	}
	args := strings.Fields(m[1])
	if args[1] != "examples/quickstart/app.yaml" || !strings.Contains(readme, "(examples/quickstart/rendered/base.yaml)") {
		t.Fatalf("the quick start renders %s; this test compares examples/quickstart/app.yaml with rendered/base.yaml", args[1])
	}
	args[1] = examples + "/quickstart/app.yaml"
	var stdout, stderr bytes.Buffer
	if code := Run(args, nil, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if want := read(t, examples+"/quickstart/rendered/base.yaml"); stdout.String() != want {
		t.Errorf("the quick start prints:\n%s\nnot examples/quickstart/rendered/base.yaml:\n%s", stdout.String(), want)
	}
}

func TestEject(t *testing.T) {
	out := filepath.Join(t.TempDir(), "deploy")
	args := []string{"eject", examples + "/platform-team/platform.yaml", "--output", out, examples + "/platform-team/admin.yaml"}
	var stdout, stderr bytes.Buffer
	if code := Run(args, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if want := "wrote 9 files to " + filepath.Join(out, "admin") + "\n"; stderr.String() != want || stdout.Len() > 0 {
		t.Errorf("stdout %q, stderr %q; want nothing and %q", stdout.String(), stderr.String(), want)
	}
	for _, f := range []string{"admin/base/kustomization.yaml", "admin/overlays/dev/kustomization.yaml", "admin/overlays/prod/kustomization.yaml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	stderr.Reset()
	if code := Run(args, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "already exists; pass --force") {
		t.Errorf("a second eject: exit %d, stderr %q; want 1 and a refusal", code, stderr.String())
	}
	if code := Run(append(args, "--force"), nil, &stdout, &stderr); code != 0 {
		t.Errorf("eject --force: exit %d", code)
	}
}

// TestFunctions: the KRM function binaries answer --help and --version, and
// refuse arguments and a terminal rather than wait for stdin; with a
// ResourceList they are KRM functions, as kpt and kustomize run them.
func TestFunctions(t *testing.T) {
	resourceList := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- " + strings.ReplaceAll(strings.TrimSpace(hello), "\n", "\n  ") + "\n"
	ejectOut := t.TempDir()
	for _, tc := range []struct {
		name   string
		f      *Function
		args   []string
		stdin  string
		code   int
		stdout string // a regular expression
		stderr string // a regular expression; "" means empty
	}{
		{"render --help", RenderFunction, []string{"--help"}, "", 0, `^slipway-render is the App generator`, ""},
		{"render -h", RenderFunction, []string{"-h"}, "", 0, `Usage:\n  slipway-render < resource-list.yaml`, ""},
		{"render --version", RenderFunction, []string{"--version"}, "", 0, `^dev\n$`, ""},
		{"render given a file", RenderFunction, []string{"app.yaml"}, "", 2, `^$`, `^slipway-render: takes no arguments: it reads a ResourceList on stdin \(slipway render PATH\.\.\. renders files\)\n`},
		{"render, stdin a terminal", RenderFunction, nil, "tty", 2, `^$`, `^slipway-render: stdin is a terminal`},
		{"render a ResourceList", RenderFunction, nil, resourceList, 0, `(?s)kind: ResourceList.*kind: Deployment`, ""},
		{"eject --help", EjectFunction, []string{"--help"}, "", 0, `slipway-eject \[-o DIR\] \[--force\] PATH\.\.\.`, ""},
		{"eject --version", EjectFunction, []string{"--version"}, "", 0, `^dev\n$`, ""},
		{"eject, stdin a terminal", EjectFunction, nil, "tty", 2, `^$`, `^slipway-eject: stdin is a terminal`},
		{"eject as a command", EjectFunction, []string{"-o", ejectOut, examples + "/quickstart/app.yaml"}, "", 0, `^$`, `^wrote \d+ files to `},
		{"eject as a command, bad flag", EjectFunction, []string{"-x"}, "", 2, `^$`, `^slipway-eject: flag provided but not defined: -x\nRun 'slipway-eject --help' for usage.\n$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdin io.Reader = strings.NewReader(tc.stdin)
			if tc.stdin == "tty" {
				stdin = terminal(t)
			}
			var stdout, stderr bytes.Buffer
			if code := tc.f.Run(tc.args, stdin, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if !regexp.MustCompile(tc.stdout).MatchString(stdout.String()) {
				t.Errorf("stdout does not match %s:\n%s", tc.stdout, stdout.String())
			}
			if (tc.stderr == "" && stderr.Len() > 0) || !regexp.MustCompile(tc.stderr).MatchString(stderr.String()) {
				t.Errorf("stderr does not match %q:\n%s", tc.stderr, stderr.String())
			}
		})
	}
}
