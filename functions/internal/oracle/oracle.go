// Package oracle holds what the tests of rendered objects share: reading
// them, the published CRDs of the custom resources (read from the Go
// modules that ship them, for the API server checks of
// functions/internal/apiserver), and the check that rendered objects refer
// to each other correctly. It is used by tests only, so none of it reaches
// a function binary.
package oracle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/slipway-dev/slipway/functions/manifests"
)

// CRDSources are the published CRDs of the custom resources slipway
// renders (the CRD of each of manifests.Kinds and manifests.PlatformKinds
// that has one), once each.
func CRDSources() []manifests.CRDSource {
	var sources []manifests.CRDSource
	for _, k := range manifests.AllKinds() {
		if k.CRD != nil && !slices.Contains(sources, *k.CRD) {
			sources = append(sources, *k.CRD)
		}
	}
	return sources
}

// ModuleDir downloads a module into the module cache (a no-op when it is
// there already) and returns its directory. It runs outside any module, so
// that it never touches go.mod or go.sum.
func ModuleDir(module, version string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil || info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: %v %s %s", module, version, runErr, info.Error, strings.TrimSpace(stderr.String()))
	}
	return info.Dir, nil
}

// Object is one rendered object.
type Object struct {
	APIVersion, Kind, Name string
	Labels                 map[string]string
	Raw                    []byte // JSON
	Doc                    map[string]any
}

// ID names the object in messages.
func (o *Object) ID() string { return o.APIVersion + " " + o.Kind + " " + o.Name }

// ReadObjects reads a YAML stream of objects.
func ReadObjects(data []byte) ([]*Object, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var objects []*Object
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return objects, nil
		} else if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
			continue
		}
		obj := &Object{Raw: raw}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&obj.Doc); err != nil {
			return nil, err
		}
		var meta struct {
			APIVersion string            `json:"apiVersion"`
			Kind       string            `json:"kind"`
			Metadata   metav1.ObjectMeta `json:"metadata"`
		}
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, err
		}
		obj.APIVersion, obj.Kind, obj.Name, obj.Labels = meta.APIVersion, meta.Kind, meta.Metadata.Name, meta.Metadata.Labels
		objects = append(objects, obj)
	}
}

// ReadRendered reads the objects slipway rendered in a file (labelled
// app.kubernetes.io/managed-by: slipway), leaving out those passed through
// from the input.
func ReadRendered(file string) ([]*Object, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	objects, err := ReadObjects(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	rendered := objects[:0]
	for _, obj := range objects {
		if obj.Labels["app.kubernetes.io/managed-by"] == "slipway" {
			rendered = append(rendered, obj)
		}
	}
	return rendered, nil
}

// RenderedFiles returns the checked-in files that hold objects slipway
// rendered, relative to the repository root: the golden cases' expected
// files, the eject golden trees and the examples' renderings.
func RenderedFiles(root string) ([]string, error) {
	var files []string
	for _, dir := range []string{"testdata/render", "testdata/eject", "examples"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			base, parent := path.Base(rel), path.Base(path.Dir(rel))
			if !strings.HasSuffix(base, ".yaml") {
				return nil
			}
			switch {
			case strings.HasPrefix(rel, "testdata/render/") && strings.HasPrefix(base, "expected"),
				strings.HasPrefix(rel, "testdata/eject/"),
				strings.HasSuffix(base, ".expected.yaml"),
				parent == "rendered",
				strings.HasPrefix(rel, "examples/kpt/") && strings.HasSuffix(base, ".generated.yaml"):
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}
