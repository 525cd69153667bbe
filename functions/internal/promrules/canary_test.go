package promrules

import (
	"maps"
	"math"
	"testing"
	"time"
)

// canaryRequests are the Istio request metrics of an App's canary and
// stable Services (the stable one failing every request: the canary's
// query must not read it): requests, and server errors unless noErrors
// (Istio has no series of a response code before its first request).
func canaryRequests(ns, name string, bad float64, noErrors bool) []series {
	labels := func(service, code string) map[string]string {
		return map[string]string{
			"__name__": "istio_requests_total", "reporter": "destination", "response_code": code,
			"destination_workload_namespace": ns, "destination_app": name, "destination_service_name": service,
		}
	}
	out := []series{
		{labels(name+"-canary", "200"), []float64{(1 - bad) * requestsPerStep}},
		{labels(name+"-stable", "503"), []float64{requestsPerStep}},
	}
	if !noErrors {
		out = append(out, series{labels(name+"-canary", "500"), []float64{bad * requestsPerStep}})
	}
	return out
}

// canaryDurations is the request duration histogram of an App's canary
// (a good request takes 40 ms, a slow one 1 s) and of its stable Service
// (all slow), labelled as Prometheus 2 stores it, or as Prometheus 3 does
// with prometheus3.
func canaryDurations(t *testing.T, ns, name string, slow float64, prometheus3 bool) []series {
	var out []series
	for _, service := range []string{name + "-canary", name + "-stable"} {
		share := slow
		if service == name+"-stable" {
			share = 1
		}
		add := func(suffix string, extra map[string]string, n float64) {
			m := map[string]string{
				"__name__": "istio_request_duration_milliseconds" + suffix, "reporter": "destination", "response_code": "200",
				"destination_workload_namespace": ns, "destination_app": name, "destination_service_name": service,
			}
			maps.Copy(m, extra)
			if prometheus3 {
				m = scraped(t, "histogram", "istio_request_duration_milliseconds", m)
			}
			out = append(out, series{m, []float64{n}})
		}
		for _, le := range buckets {
			var n float64
			if within(le, goodMillis) {
				n += (1 - share) * requestsPerStep
			}
			if within(le, 1000) {
				n += share * requestsPerStep
			}
			add("_bucket", map[string]string{"le": le}, n)
		}
		add("_count", nil, requestsPerStep)
	}
	return out
}

// TestCanaryQueries evaluates the canary analyses of the
// slo-canary-controllers golden case on synthetic canary traffic: the
// Argo Rollouts AnalysisTemplate of checkout (availability 99.95 %: the
// analysis fails above 0.0072) and the Flagger MetricTemplate of podinfo
// (latency 99 % within 500 ms), each query as the controller sends it.
// Each must return one value, the share of the canary's bad requests.
func TestCanaryQueries(t *testing.T) {
	const file = "testdata/render/slo-canary-controllers/expected.yaml"
	query := func(kind, name string) string {
		qs, err := Queries(goldenObject(t, file, kind, name))
		if err != nil || len(qs) != 1 {
			t.Fatalf("%s %s: queries %v, %v; want one", kind, name, qs, err)
		}
		return qs[0].Expr
	}
	availability := query("AnalysisTemplate", "checkout-slo")
	latency := query("MetricTemplate", "podinfo-latency")
	for _, tc := range []struct {
		name  string
		query string
		all   []series
		want  float64
	}{
		{"checkout canary, 2% errors", availability, canaryRequests("payments", "checkout", 0.02, false), 0.02},
		{"checkout canary, 0.05% errors", availability, canaryRequests("payments", "checkout", 0.0005, false), 0.0005},
		{"checkout canary, no error yet", availability, canaryRequests("payments", "checkout", 0, true), 0},
		{"podinfo canary, 20% slow", latency, canaryDurations(t, "test", "podinfo", 0.2, false), 0.2},
		{"podinfo canary, 20% slow, Prometheus 3 ingestion", latency, canaryDurations(t, "test", "podinfo", 0.2, true), 0.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &checker{t: t}
			defer c.done()
			const length = 15 * time.Minute
			r := evaluate(t, loadCommand([]phase{{length, 0}}, tc.all), length, length)
			v := r.query(t, tc.query, length)
			switch {
			case len(v) != 1:
				c.errorf("the query returns %d values; want one, %g:\n  %s", len(v), tc.want, tc.query)
			case math.Abs(v[0].F-tc.want) > 1e-9:
				c.errorf("the query returns %g; want %g:\n  %s", v[0].F, tc.want, tc.query)
			default:
				t.Logf("%g", v[0].F)
			}
		})
	}
}
