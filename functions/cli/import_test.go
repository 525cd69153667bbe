package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/golden"
	"github.com/slipway-dev/slipway/functions/stream"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestImportGolden imports each testdata/import/<case>/input/ with
// slipway import -o, and compares the files written with output/ and what
// it printed on stderr with stderr.txt. Then it renders the written Apps:
// every imported object must come back (a namespace may be added, which
// the report says), and every object the rendering adds must be one the
// report names.
func TestImportGolden(t *testing.T) {
	for _, dir := range golden.Cases(t, "../../testdata/import") {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "apps")
			var stdout, stderr bytes.Buffer
			if code := Run([]string{"import", "-o", out, filepath.Join(dir, "input")}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			report := strings.ReplaceAll(stderr.String(), out, "OUTPUT")
			golden.Compare(t, filepath.Join(dir, "stderr.txt"), []byte(report))
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var written []string
			for _, e := range entries {
				written = append(written, e.Name())
			}
			if golden.Updating() {
				os.RemoveAll(filepath.Join(dir, "output"))
				os.MkdirAll(filepath.Join(dir, "output"), 0o755)
			}
			for _, file := range written {
				data, err := os.ReadFile(filepath.Join(out, file))
				if err != nil {
					t.Fatal(err)
				}
				golden.Compare(t, filepath.Join(dir, "output", filepath.Base(file)), data)
			}
			if expected, _ := os.ReadDir(filepath.Join(dir, "output")); len(expected) != len(written) {
				t.Errorf("wrote %d files, output/ holds %d", len(written), len(expected))
			}
			checkRendersBack(t, filepath.Join(dir, "input"), out, report)
		})
	}
}

// checkRendersBack renders the imported Apps and checks the objects by
// identity against the imported ones.
func checkRendersBack(t *testing.T, input, apps, report string) {
	t.Helper()
	in, err := stream.Read([]string{input}, nil)
	if err != nil {
		t.Fatal(err)
	}
	items, err := stream.Read([]string{apps}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := stream.Render(items, generate.Options{})
	if err != nil {
		t.Fatalf("the imported Apps do not render: %v", err)
	}
	objects, err := stream.Read([]string{"-"}, bytes.NewReader(rendered.YAML))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objects {
		got = append(got, o.GetKind()+" "+o.GetName())
	}
	var want []string
	for _, o := range in {
		id := o.GetKind() + " " + o.GetName()
		want = append(want, id)
		if !slices.Contains(got, id) {
			t.Errorf("%s is imported but not rendered", id)
		}
	}
	for _, id := range got {
		if !slices.Contains(want, id) && !reportedNew(report, qualifiedID(objects, id)) {
			t.Errorf("%s is rendered, but neither imported nor reported new", id)
		}
	}
}

// reportedNew tells whether a line of the report says the object is new.
func reportedNew(report, id string) bool {
	for _, line := range strings.Split(report, "\n") {
		objects, _, _ := strings.Cut(line, ": new: ")
		if strings.Contains(line, ": new: ") && slices.Contains(strings.Split(objects[strings.Index(objects, ": ")+2:], ", "), id) {
			return true
		}
	}
	return false
}

// qualifiedID is "Kind namespace/name", as the report names an object.
func qualifiedID(objects []*yaml.RNode, id string) string {
	for _, o := range objects {
		if o.GetKind()+" "+o.GetName() == id {
			return o.GetKind() + " " + qualified(o)
		}
	}
	return id
}

// TestImportIsCompact checks that the App imported from the hand-written
// manifests of one service (mixed Istio and External Secrets versions, a
// Service without a namespace, headers set per destination) is at most a
// quarter of their lines.
func TestImportIsCompact(t *testing.T) {
	dir := "../../testdata/import/istio-eso-mixed"
	inputLines := 0
	for _, f := range []string{"deployment.yaml", "services.yaml", "istio.yaml", "secrets.yaml"} {
		inputLines += lines(t, filepath.Join(dir, "input", f))
	}
	appLines := lines(t, filepath.Join(dir, "output", "coconala-admin.yaml"))
	if appLines*4 > inputLines {
		t.Errorf("the App has %d lines, more than a quarter of the input's %d", appLines, inputLines)
	}
	t.Logf("the App has %d lines, the input %d (%.0f%%)", appLines, inputLines, 100*float64(appLines)/float64(inputLines))
}

func lines(t *testing.T, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

// TestImportCommand checks slipway import's streams and exit codes.
func TestImportCommand(t *testing.T) {
	input := "../../testdata/import/istio-eso-mixed/input"
	run := func(stdin string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Run(append([]string{"import"}, args...), strings.NewReader(stdin), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	t.Run("stdout holds the Apps and the unplaced objects, which render", func(t *testing.T) {
		code, out, errs := run("", input)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		items, err := stream.Read([]string{"-"}, strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, item := range items {
			kinds = append(kinds, item.GetKind()+" "+item.GetName())
		}
		if want := []string{"App coconala-admin", "App coconala-admin-sidekiq", "ConfigMap backend-feature-flags"}; !slices.Equal(kinds, want) {
			t.Errorf("stdout holds %q, want %q", kinds, want)
		}
		if _, err := stream.Render(items, generate.Options{}); err != nil {
			t.Errorf("the output does not render: %v", err)
		}
		if !strings.Contains(errs, "had no namespace; it now has backend") {
			t.Errorf("stderr lacks the differences:\n%s", errs)
		}
	})

	t.Run("-o refuses to overwrite, and writes nothing then", func(t *testing.T) {
		dir := t.TempDir()
		if code, _, errs := run("", "-o", dir, input); code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		app := filepath.Join(dir, "coconala-admin.yaml")
		if err := os.WriteFile(app, []byte("edited\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := run("", "-o", dir, input)
		if code != exitInvalid || !strings.Contains(errs, "coconala-admin.yaml already exists") {
			t.Errorf("exit %d, stderr %q; want 1 and the file named", code, errs)
		}
		if data, _ := os.ReadFile(app); string(data) != "edited\n" {
			t.Errorf("the existing file was overwritten")
		}
	})

	t.Run("bad input exits 1 with nothing on stdout", func(t *testing.T) {
		twice := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
		code, out, errs := run(twice, "-")
		if code != exitInvalid || out != "" || !strings.Contains(errs, "ConfigMap a is in the input twice") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})

	t.Run("no workload: a warning, and the objects kept", func(t *testing.T) {
		code, out, errs := run("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "-")
		if code != exitOK || !strings.Contains(errs, "no Deployment, StatefulSet or Rollout") || !strings.Contains(out, "kind: ConfigMap") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})

	t.Run("a Secret is kept with a warning, an App as it is", func(t *testing.T) {
		in := "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n---\n" +
			"apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata: {name: shop}\nspec: {image: registry.example.com/shop:1.0.0}\n"
		code, out, errs := run(in, "-")
		if code != exitOK || !strings.Contains(errs, "warning: Secret db holds its values in plain text") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
		items, err := stream.Read([]string{"-"}, strings.NewReader(out))
		if err != nil || len(items) != 2 || items[0].GetKind() != "Secret" || items[1].GetKind() != "App" {
			t.Errorf("stdout %q: want the Secret and the App", out)
		}
	})

	t.Run("Apps of the same name get a file each", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "apps")
		deployment := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, namespace: %s}\n" +
			"spec:\n  selector: {matchLabels: {app: %[1]s}}\n  template:\n    metadata: {labels: {app: %[1]s}}\n" +
			"    spec: {containers: [{name: %[1]s, image: registry.example.com/%[1]s:1.0.0}]}\n---\n"
		in := fmt.Sprintf(deployment, "api", "a") + fmt.Sprintf(deployment, "api", "b") + fmt.Sprintf(deployment, "unplaced", "a")
		if code, _, errs := run(in, "-o", dir, "-"); code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		entries, _ := os.ReadDir(dir)
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if want := []string{"a.api.yaml", "a.unplaced.yaml", "b.api.yaml", "import-report.txt"}; !slices.Equal(got, want) {
			t.Errorf("wrote %q, want %q", got, want)
		}
	})

	t.Run("usage", func(t *testing.T) {
		if code, _, _ := run("", "--bogus", input); code != exitUsage {
			t.Errorf("--bogus: exit %d, want %d", code, exitUsage)
		}
		if code, out, _ := run("", "--help"); code != exitOK || !strings.Contains(out, "slipway import [-o DIR] [PATH...]") {
			t.Errorf("--help: exit %d, %q", code, out)
		}
	})
}
