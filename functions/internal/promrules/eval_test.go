package promrules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	pmodel "github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/textparse"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"

	"github.com/slipway-dev/slipway/functions/internal/oracle"
)

// step is both the scrape interval of the synthetic series and the
// rules' evaluation interval (the Prometheus Operator's default
// evaluationInterval, and the default interval of slipway's monitors).
const step = 30 * time.Second

// goldenObject reads an object slipway rendered in a golden file.
func goldenObject(t *testing.T, file, kind, name string) *oracle.Object {
	t.Helper()
	objs, err := oracle.ReadRendered(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	for _, obj := range objs {
		if obj.Kind == kind && obj.Name == name {
			return obj
		}
	}
	t.Fatalf("%s: no %s %s", file, kind, name)
	return nil
}

// series is a synthetic counter: its labels (the metric name under
// __name__) and its increase per step in each phase of the traffic.
type series struct {
	labels   map[string]string
	increase []float64
}

// phase is a stretch of steady traffic.
type phase struct {
	length time.Duration
	bad    float64 // the share of bad requests
}

// loadCommand writes series in promqltest's load syntax, one value per
// step from 0 at time 0: each phase is one expanding segment.
func loadCommand(phases []phase, all []series) string {
	var b strings.Builder
	fmt.Fprintf(&b, "load %s\n", pmodel.Duration(step))
	for _, s := range all {
		b.WriteString("  " + seriesDesc(s.labels))
		value := 0.0
		for i, p := range phases {
			n := int(p.length / step)
			inc := s.increase[i]
			if i == 0 {
				fmt.Fprintf(&b, " 0+%sx%d", num(inc), n)
				value = inc * float64(n)
				continue
			}
			fmt.Fprintf(&b, " %s+%sx%d", num(value+inc), num(inc), n-1)
			value += inc * float64(n)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// seriesDesc writes a series as `name{label="value",...}`.
func seriesDesc(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != labels.MetricName {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Quote(m[k])
	}
	return m[labels.MetricName] + "{" + strings.Join(parts, ",") + "}"
}

// scraped returns the labels a series has once Prometheus 3 has scraped
// it from a text exposition with its type: its own text parser
// normalises, for instance, the le label of a classic histogram's buckets
// ("250" is stored as "250.0").
func scraped(t *testing.T, metricType, family string, m map[string]string) map[string]string {
	t.Helper()
	exposition := fmt.Sprintf("# TYPE %s %s\n%s 1\n", family, metricType, seriesDesc(m))
	p, err := textparse.New([]byte(exposition), "text/plain; version=0.0.4", nil, textparse.ParserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		entry, err := p.Next()
		if err != nil {
			t.Fatalf("%s: %v", exposition, err)
		}
		if entry != textparse.EntrySeries {
			continue
		}
		var l labels.Labels
		p.Labels(&l)
		return l.Map()
	}
}

// firing is an alert's firing: the alert, its labels, from when to when
// (the last evaluation it fired at).
type firing struct {
	alert    string
	labels   labels.Labels
	from, to time.Duration
}

// run is the evaluation of rule files over synthetic series.
type run struct {
	suite   *promqltest.LazyLoader
	groups  []*rules.Group // in the files' order
	firings []*firing
	errors  []string // each rule's evaluation errors, from when
}

// evaluate loads the series, then evaluates the rule files' groups in
// order at every step from `from` to end, as promtool's rule unit tests do:
// Prometheus' rule manager loads the files (the files the Prometheus
// Operator writes for PrometheusRules) and each group's Eval runs its
// rules in order, the recording rules writing to the storage the alerts
// read, with the alerts' `for`. It records every alert firing and every
// evaluation error. The alerts read the recorded ratios at the time of
// evaluation only, never over a range, so evaluating from a later time
// than the first sample changes nothing but the cost.
func evaluate(t *testing.T, load string, from, end time.Duration, ruleFiles ...[]byte) *run {
	t.Helper()
	suite, err := promqltest.NewLazyLoader(load, promqltest.LazyLoaderOpts{
		EnableAtModifier: true, EnableNegativeOffset: true, Parser: Parser,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, load)
	}
	t.Cleanup(func() { _ = suite.Close() })
	suite.SubqueryInterval = step
	manager := rules.NewManager(&rules.ManagerOptions{
		QueryFunc:            rules.EngineQueryFunc(suite.QueryEngine(), suite.Storage()),
		AppendableV2:         suite.Storage(),
		Context:              context.Background(),
		NotifyFunc:           func(context.Context, string, ...*rules.Alert) {},
		Logger:               promslog.NewNopLogger(),
		Parser:               Parser,
		NameValidationScheme: NameValidation,
	})
	dir := t.TempDir()
	r := &run{suite: suite}
	for i, data := range ruleFiles {
		file := filepath.Join(dir, fmt.Sprintf("rules-%d.yaml", i))
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		loaded, errs := manager.LoadGroups(step, labels.EmptyLabels(), "", nil, false, file)
		if len(errs) > 0 {
			t.Fatalf("loading the rules: %v", errs)
		}
		rgs, _ := CheckRules(data)
		for _, g := range rgs.Groups {
			r.groups = append(r.groups, loaded[rules.GroupKey(file, g.Name)])
		}
	}
	for _, g := range r.groups {
		for _, rule := range g.Rules() {
			if a, ok := rule.(*rules.AlertingRule); ok {
				a.SetRestored(true) // no state to restore: a fresh server
			}
		}
	}
	open := map[string]*firing{} // by alert and labels
	failed := map[string]bool{}  // by rule and error
	for ts := from; ts <= end; ts += step {
		at := time.Unix(0, 0).UTC().Add(ts)
		suite.WithSamplesTill(at, func(err error) {
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range r.groups {
				g.Eval(suite.Context(), at)
				for _, rule := range g.Rules() {
					if err := rule.LastError(); err != nil && !failed[rule.Name()+err.Error()] {
						failed[rule.Name()+err.Error()] = true
						r.errors = append(r.errors, fmt.Sprintf("%s (group %s) fails from %s on: %v", rule.Name(), g.Name(), ts, err))
					}
				}
			}
		})
		for _, g := range r.groups {
			for _, rule := range g.Rules() {
				a, ok := rule.(*rules.AlertingRule)
				if !ok {
					continue
				}
				for _, alert := range a.ActiveAlerts() {
					if alert.State != rules.StateFiring {
						continue
					}
					key := a.Name() + alert.Labels.String()
					if f := open[key]; f != nil && f.to == ts-step {
						f.to = ts
						continue
					}
					f := &firing{alert: a.Name(), labels: alert.Labels, from: ts, to: ts}
					open[key] = f
					r.firings = append(r.firings, f)
				}
			}
		}
	}
	return r
}

// query evaluates an instant query at a time of the run.
func (r *run) query(t *testing.T, expr string, at time.Duration) promql.Vector {
	t.Helper()
	q, err := r.suite.QueryEngine().NewInstantQuery(r.suite.Context(), r.suite.Queryable(), nil, expr, time.Unix(0, 0).UTC().Add(at))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	res := q.Exec(r.suite.Context())
	if res.Err != nil {
		t.Fatalf("%s: %v", expr, res.Err)
	}
	v, err := res.Vector()
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// alertNames are the alerting rules' names, in order.
func (r *run) alertNames() []string {
	var names []string
	for _, g := range r.groups {
		for _, rule := range g.Rules() {
			if _, ok := rule.(*rules.AlertingRule); ok && !slices.Contains(names, rule.Name()) {
				names = append(names, rule.Name())
			}
		}
	}
	return names
}
