package manifests

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// PrometheusRule is the subset of the Prometheus Operator PrometheusRule
// (monitoring.coreos.com/v1) that slipway renders.
type PrometheusRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              PrometheusRuleSpec `json:"spec"`
}

// PrometheusRuleSpec holds rule groups.
type PrometheusRuleSpec struct {
	Groups []RuleGroup `json:"groups"`
}

// RuleGroup is a group of recording and alerting rules.
type RuleGroup struct {
	Name  string `json:"name"`
	Rules []Rule `json:"rules"`
}

// Rule records a series or raises an alert.
type Rule struct {
	Record      string            `json:"record,omitempty"`
	Alert       string            `json:"alert,omitempty"`
	Expr        string            `json:"expr"`
	For         string            `json:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// The series the SLO rules record: the share of bad requests (errors, or
// requests slower than the latency threshold) over a window, labelled with
// the objective ("slo": "<app>-availability" or "<app>-latency").
const (
	sloRecordPrefix = "slipway:slo_errors_per_request:ratio_rate"
	labelSLO        = "slo"
)

// burnRate is one multi-window alert of the Google SRE workbook: the
// error budget burning rate times faster than it can over both windows,
// the long one to be significant, the short one to stop alerting soon
// after it is over.
type burnRate struct {
	name, severity    string
	factor            float64
	long, short, hold string
}

// burnRates are the workbook's page alerts: 2% of a 30-day budget in an
// hour, 5% in six hours.
var burnRates = []burnRate{
	{name: "FastBurn", severity: "critical", factor: 14.4, long: "1h", short: "5m", hold: "2m"},
	{name: "SlowBurn", severity: "warning", factor: 6, long: "6h", short: "30m", hold: "15m"},
}

// sloWindows are the windows the rules record, each burn rate's two.
var sloWindows = []string{"5m", "30m", "1h", "6h"}

// objective is one SLO of an App, as the rules need it.
type objective struct {
	name      string // "<app>-availability", "<app>-latency"
	what      string // for the alerts' descriptions
	budget    float64
	window    string
	badRatio  func(window string) string // PromQL of the share of bad requests
	canaryBad func(window string) string // the same, of the canary's requests
}

// objectives are the App's SLOs with their PromQL.
func (r *renderer) objectives() []objective {
	slo := r.spec.SLO
	if slo == nil {
		return nil
	}
	m := r.platform.SLOMetricsOrDefault()
	expand := func(selector string) string {
		return strings.NewReplacer("$(namespace)", r.app.Namespace, "$(app)", r.app.Name).Replace(selector)
	}
	all, canary := expand(m.Selector), expand(m.CanarySelector)
	var out []objective
	if a := slo.Availability; a != nil {
		// No failed request yet is no error series at all: the errors are 0
		// then (or vector(0)), not an empty result, which an analysis
		// could not evaluate.
		errorRatio := func(selector string) func(string) string {
			return func(w string) string {
				return fmt.Sprintf("(sum(rate(%s{%s,%s}[%s])) or vector(0)) / sum(rate(%s{%s}[%s]))", m.Requests, selector, m.Errors, w, m.Requests, selector, w)
			}
		}
		out = append(out, objective{
			name: r.app.Name + "-availability", what: "requests that fail", budget: budget(a.Objective), window: a.Window,
			badRatio: errorRatio(all), canaryBad: errorRatio(canary),
		})
	}
	if l := slo.Latency; l != nil {
		d, _ := time.ParseDuration(l.Threshold)
		le, _ := m.Bucket(d)
		slowRatio := func(selector string) func(string) string {
			return func(w string) string {
				return fmt.Sprintf(`1 - sum(rate(%s_bucket{%s,%s}[%s])) / sum(rate(%s_count{%s}[%s]))`,
					m.Duration, selector, leMatcher(le), w, m.Duration, selector, w)
			}
		}
		out = append(out, objective{
			name: r.app.Name + "-latency", what: "requests slower than " + l.Threshold, budget: budget(l.Objective.Objective), window: l.Window,
			badRatio: slowRatio(all), canaryBad: slowRatio(canary),
		})
	}
	return out
}

// leMatcher selects a histogram bucket by its bound, as an exporter writes
// it ("250") and as Prometheus 3 stores it ("250.0": it normalises the le
// label of classic histograms on ingestion).
func leMatcher(le float64) string {
	s := strconv.FormatFloat(le, 'f', -1, 64)
	if strings.Contains(s, ".") {
		return fmt.Sprintf(`le="%s"`, s)
	}
	return fmt.Sprintf(`le=~"%s(\\.0)?"`, s)
}

// budget is the share of requests an objective in percent lets fail.
func budget(objective float64) float64 { return (100 - objective) / 100 }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

// prometheusRule renders the SLO's recording rules (the share of bad
// requests over each window the alerts read) and its multi-window,
// multi-burn-rate alerts, labelled for the Prometheus instance's rule
// selector (monitoring.labels).
func (r *renderer) prometheusRule() []any {
	objectives := r.objectives()
	if len(objectives) == 0 {
		return nil
	}
	recording := RuleGroup{Name: r.app.Name + "-slo-recording"}
	alerting := RuleGroup{Name: r.app.Name + "-slo-alerts"}
	for _, o := range objectives {
		labels := map[string]string{labelSLO: o.name, "namespace": r.app.Namespace, "app": r.app.Name}
		for _, w := range sloWindows {
			recording.Rules = append(recording.Rules, Rule{Record: sloRecordPrefix + w, Expr: o.badRatio(w), Labels: labels})
		}
		for _, b := range burnRates {
			threshold := formatFloat(b.factor * o.budget)
			series := func(w string) string { return r.recorded(o, w) }
			alerting.Rules = append(alerting.Rules, Rule{
				Alert:  alertName(o.name) + b.name,
				Expr:   fmt.Sprintf("%s > %s and %s > %s", series(b.long), threshold, series(b.short), threshold),
				For:    b.hold,
				Labels: map[string]string{"severity": b.severity, labelSLO: o.name, "namespace": r.app.Namespace},
				Annotations: map[string]string{
					"summary": fmt.Sprintf("%s/%s is burning its %s error budget %v times too fast", r.app.Namespace, r.app.Name, o.window, b.factor),
					"description": fmt.Sprintf("The share of %s over the last %s and %s is above %s (%v times the budget of %s): at this rate the budget of the %s window is gone in %s.",
						o.what, b.long, b.short, threshold, b.factor, formatFloat(o.budget), o.window, exhaustion(o.window, b.factor)),
				},
			})
		}
	}
	meta := r.meta(r.app.Name + "-slo")
	if m := r.spec.Monitoring; m != nil {
		for k, v := range m.Labels {
			meta.Labels[k] = v
		}
	}
	return []any{&PrometheusRule{
		TypeMeta:   typeMeta("monitoring.coreos.com/v1", "PrometheusRule"),
		ObjectMeta: meta,
		Spec:       PrometheusRuleSpec{Groups: []RuleGroup{recording, alerting}},
	}}
}

// recorded selects an objective's recorded share of bad requests over a
// window: by its objective and its namespace, which Apps of one name in two
// namespaces do not share.
func (r *renderer) recorded(o objective, window string) string {
	return fmt.Sprintf(`%s%s{%s="%s",namespace="%s"}`, sloRecordPrefix, window, labelSLO, o.name, r.app.Namespace)
}

// alertName makes "shop-availability" "ShopAvailability".
func alertName(slo string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(slo, func(r rune) bool { return r == '-' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// exhaustion says how long a window's budget lasts at a burn rate.
func exhaustion(window string, factor float64) string {
	days, _ := strconv.Atoi(strings.TrimSuffix(window, "d"))
	hours := float64(days) * 24 / factor
	if hours < 48 {
		return strconv.FormatFloat(hours, 'f', 0, 64) + " hours"
	}
	return strconv.FormatFloat(hours/24, 'f', 0, 64) + " days"
}

// dashboard renders a Grafana dashboard of the SLOs as a ConfigMap that
// Grafana's dashboard sidecar loads (label grafana_dashboard: "1"): for
// each objective, the share of bad requests over the recorded windows
// against the budget, the burn rate, and the budget left over its window.
func (r *renderer) dashboard() *corev1.ConfigMap {
	objectives := r.objectives()
	if len(objectives) == 0 {
		return nil
	}
	var panels []map[string]any
	y := 0
	for _, o := range objectives {
		series := func(w string) string { return r.recorded(o, w) }
		target := func(expr, legend string) map[string]any {
			return map[string]any{"expr": expr, "legendFormat": legend, "refId": legend}
		}
		var bad []map[string]any
		for _, w := range sloWindows {
			bad = append(bad, target(series(w), w))
		}
		panels = append(panels,
			map[string]any{
				"type": "timeseries", "title": o.name + ": share of " + o.what, "gridPos": map[string]int{"x": 0, "y": y, "w": 12, "h": 8},
				"targets": append(bad, target(formatFloat(o.budget), "budget")),
			},
			map[string]any{
				"type": "timeseries", "title": o.name + ": burn rate (1 = the budget lasts the " + o.window + " window)", "gridPos": map[string]int{"x": 12, "y": y, "w": 12, "h": 8},
				"targets": []map[string]any{target(fmt.Sprintf("%s / %s", series("1h"), formatFloat(o.budget)), "1h"), target(fmt.Sprintf("%s / %s", series("6h"), formatFloat(o.budget)), "6h")},
			},
			map[string]any{
				"type": "stat", "title": o.name + ": budget left over " + o.window, "gridPos": map[string]int{"x": 0, "y": y + 8, "w": 24, "h": 4},
				"targets":     []map[string]any{target(fmt.Sprintf("1 - (%s) / %s", o.badRatio(o.window), formatFloat(o.budget)), "left")},
				"fieldConfig": map[string]any{"defaults": map[string]any{"unit": "percentunit"}},
			},
		)
		y += 12
	}
	board := map[string]any{
		"title":         fmt.Sprintf("%s/%s SLOs", r.app.Namespace, r.app.Name),
		"uid":           dashboardUID(r.app.Namespace, r.app.Name),
		"tags":          []string{"slipway", "slo"},
		"schemaVersion": 39,
		"time":          map[string]string{"from": "now-24h", "to": "now"},
		"panels":        panels,
	}
	data, _ := json.MarshalIndent(board, "", "  ") // maps of strings, numbers and lists always encode
	meta := r.meta(r.app.Name + "-dashboard")
	meta.Labels[LabelGrafanaDashboard] = "1"
	return &corev1.ConfigMap{
		TypeMeta:   typeMeta("v1", "ConfigMap"),
		ObjectMeta: meta,
		Data:       map[string]string{r.app.Name + "-slo.json": string(data)},
	}
}

// LabelGrafanaDashboard is the label by which Grafana's sidecar finds
// dashboards.
const LabelGrafanaDashboard = "grafana_dashboard"

// dashboardUID is a stable Grafana uid (at most 40 characters).
func dashboardUID(namespace, name string) string {
	uid := "slipway-" + namespace + "-" + name
	if len(uid) > 40 {
		uid = uid[:40]
	}
	return uid
}

// canaryFailureThreshold is the share of bad canary requests that fails
// an analysis: the fast burn rate of the budget.
func canaryFailureThreshold(o objective) string { return formatFloat(burnRates[0].factor * o.budget) }

// analysisWindow is the window a canary analysis measures over.
const analysisWindow = "5m"

// AnalysisTemplate is the subset of the Argo Rollouts AnalysisTemplate
// (argoproj.io/v1alpha1) that slipway renders.
type AnalysisTemplate struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              AnalysisTemplateSpec `json:"spec"`
}

// AnalysisTemplateSpec holds the metrics an analysis measures.
type AnalysisTemplateSpec struct {
	Metrics []AnalysisMetric `json:"metrics"`
}

// AnalysisMetric is one measurement, repeated every interval.
type AnalysisMetric struct {
	Name             string           `json:"name"`
	Interval         string           `json:"interval"`
	FailureLimit     int32            `json:"failureLimit"`
	SuccessCondition string           `json:"successCondition"`
	Provider         AnalysisProvider `json:"provider"`
}

// AnalysisProvider queries Prometheus.
type AnalysisProvider struct {
	Prometheus PrometheusQuery `json:"prometheus"`
}

// PrometheusQuery is a query of a Prometheus server.
type PrometheusQuery struct {
	Address string `json:"address"`
	Query   string `json:"query"`
}

// analysisTemplate renders the Argo Rollouts analysis the Rollout runs in
// the background of every rollout: each objective's share of bad canary
// requests over the last 5 minutes, which fails the canary above the fast
// burn rate of the budget (a canary without traffic, NaN, passes).
func (r *renderer) analysisTemplate() []any {
	objectives := r.objectives()
	if len(objectives) == 0 || r.controller() != v1alpha1.CanaryControllerArgoRollouts {
		return nil
	}
	address := r.platform.SLOMetricsOrDefault().PrometheusAddress
	var metrics []AnalysisMetric
	for _, o := range objectives {
		metrics = append(metrics, AnalysisMetric{
			Name:             o.name,
			Interval:         "1m",
			FailureLimit:     1,
			SuccessCondition: fmt.Sprintf("isNaN(result[0]) || result[0] <= %s", canaryFailureThreshold(o)),
			Provider:         AnalysisProvider{Prometheus: PrometheusQuery{Address: address, Query: o.canaryBad(analysisWindow)}},
		})
	}
	return []any{&AnalysisTemplate{
		TypeMeta:   typeMeta(RolloutAPIVersion, "AnalysisTemplate"),
		ObjectMeta: r.meta(r.app.Name + "-slo"),
		Spec:       AnalysisTemplateSpec{Metrics: metrics},
	}}
}

// MetricTemplate is the subset of the Flagger MetricTemplate
// (flagger.app/v1beta1) that slipway renders.
type MetricTemplate struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              MetricTemplateSpec `json:"spec"`
}

// MetricTemplateSpec is a query of a metrics provider.
type MetricTemplateSpec struct {
	Provider MetricProvider `json:"provider"`
	Query    string         `json:"query"`
}

// MetricProvider is a Prometheus server.
type MetricProvider struct {
	Type    string `json:"type"`
	Address string `json:"address"`
}

// metricTemplates render a Flagger MetricTemplate per objective: the share
// of bad canary requests over Flagger's analysis interval, which the
// Canary's analysis bounds by the fast burn rate of the budget.
func (r *renderer) metricTemplates() []any {
	objectives := r.objectives()
	if len(objectives) == 0 || r.controller() != v1alpha1.CanaryControllerFlagger {
		return nil
	}
	address := r.platform.SLOMetricsOrDefault().PrometheusAddress
	var out []any
	for _, o := range objectives {
		out = append(out, &MetricTemplate{
			TypeMeta:   typeMeta(FlaggerAPIVersion, "MetricTemplate"),
			ObjectMeta: r.meta(o.name),
			Spec:       MetricTemplateSpec{Provider: MetricProvider{Type: "prometheus", Address: address}, Query: o.canaryBad("{{ interval }}")},
		})
	}
	return out
}
