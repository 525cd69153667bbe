package promrules

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// knownProblems are checks that fail because of a known problem in what
// slipway renders, by test name, each with the problem. The test logs
// what they find without failing; a check that passes fails the test, so
// that the fix removes its entry.
var knownProblems = map[string]string{}

// checker gathers a check's failures, and reports them unless the check
// is a known problem.
type checker struct {
	t        *testing.T
	failures []string
}

func (c *checker) errorf(format string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}

func (c *checker) done() {
	problem, known := knownProblems[c.t.Name()]
	switch {
	case known && len(c.failures) == 0:
		c.t.Errorf("the known problem %q is fixed: remove its entry from knownProblems", problem)
	case known:
		c.t.Logf("known problem: %s\n  %s", problem, strings.Join(c.failures, "\n  "))
	default:
		for _, f := range c.failures {
			c.t.Error(f)
		}
	}
}

// The traffic of the slo golden case's App: search in discovery.
const (
	app             = "search"
	namespace       = "discovery"
	requestsPerStep = 10000.0
)

// istio is the labels of the destination's Istio request metrics for
// requests to the App from a client, with the given ones on top.
func istio(name string, extra map[string]string) map[string]string {
	m := map[string]string{
		"__name__": name, "reporter": "destination", "source_app": "frontend",
		"destination_workload_namespace": namespace, "destination_app": app,
		"destination_workload": app, "destination_service_name": app,
		"destination_service_namespace": namespace, "request_protocol": "http",
	}
	maps.Copy(m, extra)
	return m
}

// perPhase is a series' increase in each phase, a function of the share
// of bad requests.
func perPhase(phases []phase, f func(bad float64) float64) []float64 {
	out := make([]float64, len(phases))
	for i, p := range phases {
		out[i] = f(p.bad)
	}
	return out
}

// requestsTotal is istio_requests_total: successes and server errors of
// the App, and series its rules must not select (the source's report, the
// same requests again; another App of the namespace; an App of the same
// name in another namespace), all failing.
func requestsTotal(phases []phase) []series {
	all := func(float64) float64 { return requestsPerStep }
	return []series{
		{istio("istio_requests_total", map[string]string{"response_code": "200"}), perPhase(phases, func(bad float64) float64 { return (1 - bad) * requestsPerStep })},
		{istio("istio_requests_total", map[string]string{"response_code": "500"}), perPhase(phases, func(bad float64) float64 { return bad * requestsPerStep })},
		{istio("istio_requests_total", map[string]string{"response_code": "503", "reporter": "source"}), perPhase(phases, all)},
		{istio("istio_requests_total", map[string]string{"response_code": "503", "destination_app": "search-admin"}), perPhase(phases, all)},
		{istio("istio_requests_total", map[string]string{"response_code": "503", "destination_workload_namespace": "other"}), perPhase(phases, all)},
	}
}

// Request durations: a good request takes 40 ms, a bad (slow) one 400 ms;
// the latency objective's threshold is 250 ms.
const goodMillis, slowMillis = 40, 400

// buckets are some of Istio's duration buckets, in milliseconds, as Envoy
// writes them in its text exposition.
var buckets = []string{"25", "50", "100", "250", "500", "1000", "+Inf"}

// requestDuration is the istio_request_duration_milliseconds histogram of
// the App's requests, and the source's report of them (all slow), with
// labels as Prometheus 2 stores them, or, with prometheus3, as Prometheus
// 3 does once it has scraped Envoy's exposition.
func requestDuration(t *testing.T, phases []phase, prometheus3 bool) []series {
	var out []series
	for _, reporter := range []string{"destination", "source"} {
		slow := func(bad float64) float64 {
			if reporter == "source" {
				return requestsPerStep
			}
			return bad * requestsPerStep
		}
		add := func(name string, extra map[string]string, f func(bad float64) float64) {
			m := istio("istio_request_duration_milliseconds"+name, map[string]string{"response_code": "200", "reporter": reporter})
			maps.Copy(m, extra)
			if prometheus3 {
				m = scraped(t, "histogram", "istio_request_duration_milliseconds", m)
			}
			out = append(out, series{m, perPhase(phases, f)})
		}
		for _, le := range buckets {
			add("_bucket", map[string]string{"le": le}, func(bad float64) float64 {
				var n float64
				if within(le, goodMillis) {
					n += requestsPerStep - slow(bad)
				}
				if within(le, slowMillis) {
					n += slow(bad)
				}
				return n
			})
		}
		add("_count", nil, func(float64) float64 { return requestsPerStep })
		add("_sum", nil, func(bad float64) float64 {
			return (requestsPerStep-slow(bad))*goodMillis + slow(bad)*slowMillis
		})
	}
	return out
}

// within says whether a duration falls in a bucket.
func within(le string, millis float64) bool {
	bound, err := strconv.ParseFloat(le, 64) // "+Inf" too
	return err == nil && millis <= bound
}

// burnScenario is a stretch of healthy traffic (6 hours: every window
// full), an incident of a share of bad requests, and an hour of healthy
// traffic again.
type burnScenario struct {
	name        string
	objective   string // availability or latency
	prometheus3 bool   // the latency histogram labelled as Prometheus 3 stores it
	healthy     float64
	incident    float64
	length      time.Duration
	// fires are the alerts that fire during the incident, each once,
	// within its bounds; no other alert fires.
	fires map[string]bounds
}

// bounds are how soon an alert fires after a steady burn above its
// threshold starts, and how soon it stops after the burn ends.
type bounds struct {
	detect, reset time.Duration
}

const (
	baseline = 6 * time.Hour
	recovery = time.Hour
)

// The bounds of the workbook's alerts: a steady burn above an alert's
// threshold crosses it before the alert's long window is full of it and
// fires its `for` later; once the burn is over, the short window drops
// below the threshold before it is free of the burn. Fast burn: 1h and
// 5m, `for: 2m`; slow burn: 6h and 30m, `for: 15m`; give or take two
// evaluations.
var (
	fastBurn = bounds{detect: time.Hour + 2*time.Minute + 2*step, reset: 5*time.Minute + 2*step}
	slowBurn = bounds{detect: 6*time.Hour + 15*time.Minute + 2*step, reset: 30*time.Minute + 2*step}
)

// TestBurnRateAlerts evaluates the recording rules and burn-rate alerts of
// the slo golden case (App search in discovery: availability 99.9 %,
// latency 99 % within 250 ms, over 30 days) on synthetic Istio traffic
// with Prometheus' rule manager, and checks which alerts fire.
func TestBurnRateAlerts(t *testing.T) {
	rule := goldenObject(t, "testdata/render/slo/expected.yaml", "PrometheusRule", "search-slo")
	ruleFile, err := RuleFile(rule)
	if err != nil {
		t.Fatal(err)
	}
	scenarios := []burnScenario{
		{name: "0.05% errors", objective: "availability", healthy: 0.0005, incident: 0.0005, length: time.Hour},
		{name: "2% errors", objective: "availability", healthy: 0.0005, incident: 0.02, length: 3 * time.Hour,
			fires: map[string]bounds{"SearchAvailabilityFastBurn": fastBurn, "SearchAvailabilitySlowBurn": slowBurn}},
		{name: "0.8% errors", objective: "availability", healthy: 0.0005, incident: 0.008, length: 6 * time.Hour,
			fires: map[string]bounds{"SearchAvailabilitySlowBurn": slowBurn}},
		{name: "0.5% slow", objective: "latency", healthy: 0.005, incident: 0.005, length: time.Hour},
		{name: "20% slow", objective: "latency", healthy: 0.005, incident: 0.2, length: 3 * time.Hour,
			fires: map[string]bounds{"SearchLatencyFastBurn": fastBurn, "SearchLatencySlowBurn": slowBurn}},
		{name: "8% slow", objective: "latency", healthy: 0.005, incident: 0.08, length: 6 * time.Hour,
			fires: map[string]bounds{"SearchLatencySlowBurn": slowBurn}},
		{name: "20% slow, Prometheus 3 ingestion", objective: "latency", prometheus3: true, healthy: 0.005, incident: 0.2, length: 3 * time.Hour,
			fires: map[string]bounds{"SearchLatencyFastBurn": fastBurn, "SearchLatencySlowBurn": slowBurn}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			c := &checker{t: t}
			defer c.done()
			phases := []phase{{baseline, s.healthy}, {s.length, s.incident}, {recovery, s.healthy}}
			var all []series
			if s.objective == "availability" {
				all = requestsTotal(phases)
			} else {
				all = requestDuration(t, phases, s.prometheus3)
			}
			for _, series := range all {
				if strings.HasPrefix(series.labels["le"], "250") && series.labels["reporter"] == "destination" {
					t.Logf("the 250 ms bucket is stored with le=%q", series.labels["le"])
				}
			}
			end := baseline + s.length + recovery
			from := time.Duration(0)
			if s.incident != s.healthy {
				// The steady scenarios show that healthy traffic fires
				// nothing from the first sample on; here, its last hour
				// (every window full) is enough.
				from = baseline - time.Hour
			}
			r := evaluate(t, loadCommand(phases, all), from, end, ruleFile)
			if names := r.alertNames(); len(names) != 4 {
				t.Fatalf("the rules have the alerts %v; want 4", names)
			}
			for _, e := range r.errors {
				c.errorf("%s", e)
			}
			slo := app + "-" + s.objective
			fired := map[string]int{}
			for _, f := range r.firings {
				fired[f.alert]++
				started, stopped := f.from-baseline, f.to+step-baseline-s.length
				t.Logf("%s fires %s after the incident starts, and stops %s after it ends: %s", f.alert, started, stopped, f.labels)
				b, ok := s.fires[f.alert]
				switch {
				case !ok:
					c.errorf("%s fired at %s", f.alert, f.from)
					continue
				case started < 0:
					c.errorf("%s fired %s before the incident", f.alert, -started)
				case started > b.detect:
					c.errorf("%s fired %s after the incident started; want at most %s", f.alert, started, b.detect)
				}
				if stopped > b.reset {
					c.errorf("%s stopped %s after the incident ended; want at most %s", f.alert, stopped, b.reset)
				}
				for _, l := range [][2]string{{"namespace", namespace}, {"slo", slo}, {"app", app}} {
					if got := f.labels.Get(l[0]); got != l[1] {
						c.errorf("%s has the label %s=%q; want %q", f.alert, l[0], got, l[1])
					}
				}
			}
			for _, alert := range slices.Sorted(maps.Keys(s.fires)) {
				if fired[alert] != 1 {
					c.errorf("%s fired %d times; want once", alert, fired[alert])
				}
			}
			// What the rules recorded at the incident's end, which tells
			// why an alert did or did not fire.
			for _, w := range []string{"5m", "1h", "6h"} {
				expr := fmt.Sprintf(`slipway:slo_errors_per_request:ratio_rate%s{slo=%q}`, w, slo)
				v := r.query(t, expr, baseline+s.length)
				if len(v) != 1 {
					c.errorf("%s at the incident's end: %d series; want 1 (%v)", expr, len(v), v)
					continue
				}
				t.Logf("%s at the incident's end: %.5f", expr, v[0].F)
			}
		})
	}
}
