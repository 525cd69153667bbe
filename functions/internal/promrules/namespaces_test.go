package promrules

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/oracle"
)

// renderIn renders a golden case's input with its Apps moved to another
// namespace, and returns the objects slipway rendered.
func renderIn(t *testing.T, input, ns string) []*oracle.Object {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, input))
	if err != nil {
		t.Fatal(err)
	}
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range items {
		if err := item.SetNamespace(ns); err != nil {
			t.Fatal(err)
		}
	}
	out, results := generate.Render(items, nil, generate.Options{})
	if results.ExitCode() != 0 {
		t.Fatalf("%s in %s: %v", input, ns, results)
	}
	var buf bytes.Buffer
	if err := (kio.ByteWriter{Writer: &buf}).Write(out); err != nil {
		t.Fatal(err)
	}
	objs, err := oracle.ReadObjects(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestAlertsOfTwoNamespaces evaluates the rules of two Apps of the same
// name in two namespaces (the slo golden case's search, in discovery and
// in other), each with its own PrometheusRule, as one Prometheus evaluates
// them: each namespace's alerts must fire for its own App's requests
// only, and both must evaluate when both burn.
func TestAlertsOfTwoNamespaces(t *testing.T) {
	discovery, err := RuleFile(goldenObject(t, "testdata/render/slo/expected.yaml", "PrometheusRule", "search-slo"))
	if err != nil {
		t.Fatal(err)
	}
	var other []byte
	for _, obj := range renderIn(t, "testdata/render/slo/input.yaml", "other") {
		if obj.Kind == "PrometheusRule" {
			if other, err = RuleFile(obj); err != nil {
				t.Fatal(err)
			}
		}
	}
	if other == nil {
		t.Fatal("no PrometheusRule rendered in other")
	}
	for _, tc := range []struct {
		name                     string
		discoveryBad, otherBad   float64 // in discovery, in other
		wantDiscovery, wantOther bool    // whether each namespace's fast burn fires
	}{
		{name: "other burns", discoveryBad: 0.0005, otherBad: 0.02, wantOther: true},
		{name: "both burn", discoveryBad: 0.02, otherBad: 0.02, wantDiscovery: true, wantOther: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := &checker{t: t}
			defer c.done()
			const length = 90 * time.Minute
			var all []series
			for _, ns := range []struct {
				name string
				bad  float64
			}{{namespace, tc.discoveryBad}, {"other", tc.otherBad}} {
				phases := []phase{{length, ns.bad}}
				for _, code := range []struct {
					code  string
					share func(bad float64) float64
				}{{"200", func(bad float64) float64 { return 1 - bad }}, {"500", func(bad float64) float64 { return bad }}} {
					all = append(all, series{
						istio("istio_requests_total", map[string]string{"response_code": code.code, "destination_workload_namespace": ns.name, "destination_service_namespace": ns.name}),
						perPhase(phases, func(bad float64) float64 { return code.share(bad) * requestsPerStep }),
					})
				}
			}
			r := evaluate(t, loadCommand([]phase{{length, 0}}, all), 0, length, discovery, other)
			for _, e := range r.errors {
				c.errorf("%s", e)
			}
			fired := map[string]int{} // fast burn firings by the namespace label
			for _, f := range r.firings {
				if f.alert == "SearchAvailabilityFastBurn" {
					fired[f.labels.Get("namespace")]++
					t.Logf("fired from %s: %s", f.from, f.labels)
				}
			}
			for ns, want := range map[string]bool{namespace: tc.wantDiscovery, "other": tc.wantOther} {
				switch {
				case want && fired[ns] != 1:
					c.errorf("SearchAvailabilityFastBurn labelled namespace=%s fired %d times; want once", ns, fired[ns])
				case !want && fired[ns] != 0:
					c.errorf("SearchAvailabilityFastBurn labelled namespace=%s fired %d times, though %s serves 0.05%% errors", ns, fired[ns], ns)
				}
			}
		})
	}
}
