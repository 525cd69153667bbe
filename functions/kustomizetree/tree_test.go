package kustomizetree

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/importer"
	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestEjectInvariant checks, for every successful golden case of the render
// function and every environment, that the real `kustomize build` of the
// ejected overlay gives the same objects as rendering the App for that
// environment directly (and the base, the base rendering).
func TestEjectInvariant(t *testing.T) {
	kustomize := kustomizeBinary(t)
	for _, dir := range golden.Cases(t, "../../testdata/render") {
		if golden.Exists(filepath.Join(dir, "errors.txt")) || golden.Exists(filepath.Join(dir, "config.yaml")) {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			items := readItems(t, filepath.Join(dir, "input.yaml"))
			trees, results := Build(items)
			if failing, _ := filepath.Glob(filepath.Join(dir, "errors.*.txt")); len(failing) > 0 {
				// An environment that cannot render makes the whole eject fail.
				if results.ExitCode() == 0 || trees != nil {
					t.Fatalf("eject succeeded although %v fails", failing)
				}
				return
			}
			if results.ExitCode() != 0 {
				t.Fatalf("eject failed:\n%s", results.Error())
			}
			root := t.TempDir()
			if err := Write(root, trees, false); err != nil {
				t.Fatal(err)
			}
			for _, env := range append([]string{""}, environments(t, items)...) {
				exp, results := generate.Expand(readItems(t, filepath.Join(dir, "input.yaml")), nil, generate.Options{Environment: env})
				if results.ExitCode() != 0 {
					t.Fatalf("render %q failed:\n%s", env, results.Error())
				}
				if len(exp.PlatformObjects) > 0 {
					overlay := filepath.Join(root, PlatformDir(exp.Platform.Name), "base")
					if env != "" {
						overlay = filepath.Join(root, PlatformDir(exp.Platform.Name), "overlays", env)
					}
					if env == "" || golden.Exists(overlay) {
						out, err := exec.Command(kustomize, "build", overlay).CombinedOutput()
						if err != nil {
							t.Fatalf("kustomize build %s: %v\n%s", overlay, err, out)
						}
						if got, want := byID(t, parse(t, out)), byID(t, exp.PlatformObjects); !reflect.DeepEqual(got, want) {
							t.Errorf("kustomize build %s differs from the Platform's objects for %q:\n%s", overlay, env, firstDifference(got, want))
						}
					}
				}
				for _, app := range exp.Apps {
					overlay := filepath.Join(root, app.App.Name, "base")
					if env != "" {
						overlay = filepath.Join(root, app.App.Name, "overlays", env)
					}
					if env != "" && !golden.Exists(overlay) {
						if slices.Contains(app.Environments, env) {
							t.Errorf("%s: missing overlay %s", app.App.Name, overlay)
						}
						continue
					}
					out, err := exec.Command(kustomize, "build", overlay).CombinedOutput()
					if err != nil {
						t.Fatalf("kustomize build %s: %v\n%s", overlay, err, out)
					}
					got, want := byID(t, parse(t, out)), byID(t, app.Objects)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("kustomize build %s differs from rendering %s for %q:\n got ids: %v\nwant ids: %v\n%s",
							overlay, app.App.Name, env, keys(got), keys(want), firstDifference(got, want))
					}
					if imported := importedBack(t, parse(t, out)); !reflect.DeepEqual(imported, want) {
						t.Errorf("slipway import of kustomize build %s does not render it back:\n got ids: %v\nwant ids: %v\n%s",
							overlay, keys(imported), keys(want), firstDifference(imported, want))
					}
				}
			}
		})
	}
}

// TestGoldenTrees compares the tree ejected from testdata/render/<case>/
// with testdata/eject/<case>/, for every directory of testdata/eject (a new
// case starts as an empty directory and -update).
func TestGoldenTrees(t *testing.T) {
	for _, dir := range golden.Cases(t, "../../testdata/eject") {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			trees, results := Build(readItems(t, filepath.Join("../../testdata/render", name, "input.yaml")))
			if results.ExitCode() != 0 {
				t.Fatalf("eject failed:\n%s", results.Error())
			}
			want := filepath.Join("../../testdata/eject", name)
			got := t.TempDir()
			if err := Write(got, trees, false); err != nil {
				t.Fatal(err)
			}
			if golden.Updating() {
				if err := os.RemoveAll(want); err != nil {
					t.Fatal(err)
				}
				if err := Write(want, trees, false); err != nil {
					t.Fatal(err)
				}
				return
			}
			gotFiles, wantFiles := listFiles(t, got), listFiles(t, want)
			if !reflect.DeepEqual(gotFiles, wantFiles) {
				t.Fatalf("files differ:\n got %v\nwant %v", gotFiles, wantFiles)
			}
			for _, f := range gotFiles {
				data, err := os.ReadFile(filepath.Join(got, f))
				if err != nil {
					t.Fatal(err)
				}
				golden.Compare(t, filepath.Join(want, f), data)
			}
		})
	}
}

func TestWriteRefusesExistingDirectory(t *testing.T) {
	root := t.TempDir()
	trees, results := Build(readItems(t, "../../testdata/render/minimal/input.yaml"))
	if results.ExitCode() != 0 {
		t.Fatal(results.Error())
	}
	mine := filepath.Join(root, "hello", "notes.txt")
	if err := os.MkdirAll(filepath.Dir(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(root, trees, false)
	if err == nil || !strings.Contains(err.Error(), "already exists; pass --force") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "mine" {
		t.Fatalf("a refused eject changed %s", mine)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Fatalf("a refused eject left files behind: %v", entries)
	}
	if err := Write(root, trees, true); err != nil {
		t.Fatal(err)
	}
	if golden.Exists(mine) {
		t.Fatalf("--force kept %s", mine)
	}
}

func kustomizeBinary(t *testing.T) string {
	t.Helper()
	if k := os.Getenv("KUSTOMIZE"); k != "" {
		return k
	}
	k, err := filepath.Abs("../../bin/tools/kustomize")
	if err != nil || !golden.Exists(k) {
		t.Fatalf("kustomize not found at %s: run `make tools` (or set KUSTOMIZE)", k)
	}
	return k
}

func readItems(t *testing.T, file string) []*yaml.RNode {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, data)
}

func parse(t *testing.T, data []byte) []*yaml.RNode {
	t.Helper()
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func environments(t *testing.T, items []*yaml.RNode) []string {
	t.Helper()
	trees, _ := Build(items)
	set := map[string]bool{}
	for _, tree := range trees {
		for _, f := range tree.Files {
			if parts := strings.Split(f.Path, "/"); len(parts) > 2 && parts[1] == "overlays" {
				set[parts[2]] = true
			}
		}
	}
	var envs []string
	for env := range set {
		envs = append(envs, env)
	}
	sort.Strings(envs)
	return envs
}

// importedBack imports what kustomize built from an ejected tree and
// renders the imported Apps: import must find nothing to list as a
// difference, and the objects must come back as they were.
func importedBack(t *testing.T, objects []*yaml.RNode) map[string]any {
	t.Helper()
	res, err := importer.Import(objects)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, u := range res.Unplaced {
		t.Errorf("import places %s %s in no App", u.GetKind(), u.GetName())
	}
	for _, a := range res.Apps {
		for _, d := range append(a.Differences, a.Lost...) {
			t.Errorf("import of %s: %s", a.App.Name, d)
		}
	}
	rendered, err := res.Rendered()
	if err != nil {
		t.Fatalf("the imported Apps do not render:\n%v", err)
	}
	return byID(t, rendered)
}

// byID decodes objects, keyed by apiVersion/kind/namespace/name.
func byID(t *testing.T, objects []*yaml.RNode) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, obj := range objects {
		var v any
		if err := obj.YNode().Decode(&v); err != nil {
			t.Fatal(err)
		}
		out[obj.GetApiVersion()+"/"+obj.GetKind()+"/"+obj.GetNamespace()+"/"+obj.GetName()] = v
	}
	return out
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func firstDifference(got, want map[string]any) string {
	for _, k := range keys(want) {
		if !reflect.DeepEqual(got[k], want[k]) {
			g, _ := yaml.Marshal(got[k])
			w, _ := yaml.Marshal(want[k])
			return "first differing object " + k + ":\n--- kustomize\n" + string(g) + "--- render\n" + string(w)
		}
	}
	return ""
}

func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}
