// Package oracle checks rendered objects against the upstream definitions of
// their kinds: Kubernetes kinds decode strictly into their k8s.io/api types,
// custom resources validate against the openAPIV3Schema of their published
// CRDs, read from the Go modules that ship them. It is used by tests only,
// so none of it reaches a function binary.
package oracle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsjson "sigs.k8s.io/json"

	"github.com/slipway-dev/slipway/functions/manifests"
)

// builtins knows the k8s.io/api types of the Kubernetes groups slipway
// renders; a kind of manifests.Kinds it does not know fails the tests.
var builtins = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, autoscalingv2.AddToScheme,
		policyv1.AddToScheme, networkingv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err) // registering the upstream types cannot fail
		}
	}
	return s
}()

// builtinType is the k8s.io/api type of a Kubernetes kind.
func builtinType(apiVersion, kind string) (reflect.Type, bool) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, false
	}
	obj, err := builtins.New(gv.WithKind(kind))
	if err != nil {
		return nil, false
	}
	return reflect.TypeOf(obj).Elem(), true
}

// CRDSources are the published CRDs of the custom resources slipway
// renders (the CRD of each of manifests.Kinds that has one), once each.
func CRDSources() []manifests.CRDSource {
	var sources []manifests.CRDSource
	for _, k := range manifests.Kinds {
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

// Schemas holds openAPIV3Schemas by "group/version/kind".
type Schemas map[string]map[string]any

// LoadCRDs reads every CRD of the sources.
func LoadCRDs(sources []manifests.CRDSource) (Schemas, error) {
	schemas := Schemas{}
	for _, src := range sources {
		dir, err := ModuleDir(src.Module, src.Version)
		if err != nil {
			return nil, err
		}
		file := filepath.Join(dir, filepath.FromSlash(src.Path))
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s@%s: %w", src.Module, src.Version, err)
		}
		n, err := schemas.add(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: no CustomResourceDefinition", file)
		}
	}
	return schemas, nil
}

func (s Schemas) add(data []byte) (int, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	count := 0
	for {
		var crd struct {
			Kind string `json:"kind"`
			Spec struct {
				Group string `json:"group"`
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
				Versions []struct {
					Name   string `json:"name"`
					Served bool   `json:"served"`
					Schema struct {
						OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
					} `json:"schema"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if err := dec.Decode(&crd); err == io.EOF {
			return count, nil
		} else if err != nil {
			return count, err
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if v.Served && v.Schema.OpenAPIV3Schema != nil {
				s[crd.Spec.Group+"/"+v.Name+"/"+crd.Spec.Names.Kind] = v.Schema.OpenAPIV3Schema
				count++
			}
		}
	}
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

// Check validates an object: a Kubernetes kind by strict decoding, a custom
// resource against its CRD schema. An object of neither is an error, so that
// no rendered kind goes unchecked.
func (s Schemas) Check(obj *Object) []string {
	if typ, ok := builtinType(obj.APIVersion, obj.Kind); ok {
		return decodeStrict(obj.Raw, typ)
	}
	group, version, found := strings.Cut(obj.APIVersion, "/")
	if !found {
		return []string{fmt.Sprintf("no k8s.io/api type registered for %s/%s", obj.APIVersion, obj.Kind)}
	}
	schema, ok := s[group+"/"+version+"/"+obj.Kind]
	if !ok {
		return []string{fmt.Sprintf("no k8s.io/api type and no served CRD version for %s %s", obj.APIVersion, obj.Kind)}
	}
	errs := decodeStrict(mustJSON(obj.Doc["metadata"]), reflect.TypeFor[metav1.ObjectMeta]())
	for i := range errs {
		errs[i] = "metadata: " + errs[i]
	}
	return append(errs, Validate(obj.Doc, schema, "")...)
}

func decodeStrict(raw []byte, typ reflect.Type) []string {
	v := reflect.New(typ).Interface()
	strictErrs, err := sigsjson.UnmarshalStrict(raw, v, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	var out []string
	if err != nil {
		out = append(out, err.Error())
	}
	for _, e := range strictErrs {
		out = append(out, e.Error())
	}
	return out
}

func mustJSON(v any) []byte {
	data, _ := json.Marshal(v) // values decoded from JSON always encode
	return data
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
