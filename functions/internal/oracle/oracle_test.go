package oracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/golden"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// TestGoldenObjectsWellFormed checks every object rendered in every golden
// case (expected.yaml and the expected.<environment>.yaml files): Kubernetes
// kinds decode strictly into their k8s.io/api types, custom resources
// validate against their published CRDs. Objects passed through from the
// input (not labelled as rendered by slipway) are left alone.
func TestGoldenObjectsWellFormed(t *testing.T) {
	schemas, err := LoadCRDs(CRDSources())
	if err != nil {
		t.Fatalf("loading the CRDs (the module proxy or the module cache must be reachable): %v", err)
	}
	checked := map[string]int{}
	eachGoldenRendering(t, func(file string, objects []*Object) {
		for _, obj := range objects {
			checked[obj.APIVersion+" "+obj.Kind]++
			for _, msg := range schemas.Check(obj) {
				t.Errorf("%s: %s: %s", file, obj.ID(), msg)
			}
		}
	})
	// Every kind slipway renders is covered by some golden case, at its
	// default version.
	for _, k := range manifests.Kinds {
		if checked[k.APIVersion()+" "+k.Kind] == 0 {
			t.Errorf("no golden case renders a %s %s", k.APIVersion(), k.Kind)
		}
		if _, builtin := builtinType(k.APIVersion(), k.Kind); builtin == (k.CRD != nil) {
			t.Errorf("%s %s: a kind is either a Kubernetes kind the oracle knows the type of, or has a CRD", k.APIVersion(), k.Kind)
		}
	}
	t.Logf("checked %v", checked)
}

// eachGoldenRendering calls fn with the objects slipway rendered in each
// expected file of every golden case (base and environments); objects passed
// through from the input are left out.
func eachGoldenRendering(t *testing.T, fn func(file string, objects []*Object)) {
	t.Helper()
	for _, dir := range golden.Cases(t, "../../../testdata/render") {
		files, _ := filepath.Glob(filepath.Join(dir, "expected*.yaml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			objects, err := ReadObjects(data)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			var rendered []*Object
			for _, obj := range objects {
				if obj.Labels["app.kubernetes.io/managed-by"] == "slipway" {
					rendered = append(rendered, obj)
				}
			}
			fn(file, rendered)
		}
	}
}

// TestOracleRejects makes sure the oracle is not a rubber stamp: a typo, a
// wrong type and a missing required field are each reported.
func TestOracleRejects(t *testing.T) {
	schemas, err := LoadCRDs(CRDSources())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct{ doc, want string }{
		"builtin unknown field": {`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"replica":1}}`, `unknown field "spec.replica"`},
		"builtin wrong case":    {`{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"Type":"ClusterIP"}}`, `unknown field "spec.Type"`},
		"crd unknown field":     {`{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"a"},"spec":{"strategy":{"canary":{"stableservice":"a"}}}}`, "spec.strategy.canary.stableservice: unknown field"},
		"crd wrong type":        {`{"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"a"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"a"},"service":{"port":"http"},"analysis":{}}}`, "spec.service.port: is the string"},
		"crd missing required":  {`{"apiVersion":"monitoring.coreos.com/v1","kind":"PodMonitor","metadata":{"name":"a"},"spec":{"podMetricsEndpoints":[]}}`, `required field "selector" is missing`},
		"crd enum":              {`{"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"a"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Pod","name":"a"},"service":{"port":80},"analysis":{}}}`, "spec.targetRef.kind: the string \"Pod\" is not one of"},
		"crd metadata":          {`{"apiVersion":"monitoring.coreos.com/v1","kind":"PodMonitor","metadata":{"name":"a","label":{}},"spec":{"selector":{},"podMetricsEndpoints":[]}}`, `metadata: unknown field "label"`},
		"unknown kind":          {`{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"a"}}`, "no served CRD version"},
	}
	for name, c := range cases {
		objects, err := ReadObjects([]byte(c.doc))
		if err != nil || len(objects) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
		msgs := schemas.Check(objects[0])
		if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
			t.Errorf("%s: want a message containing %q, got %q", name, c.want, msgs)
		}
	}
}
