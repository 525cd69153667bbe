package promrules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/oracle"
)

// root is the repository, from this package's directory.
const root = "../../.."

// rendered returns every object slipway rendered in a checked-in file, by
// file.
func rendered(t *testing.T) map[string][]*oracle.Object {
	t.Helper()
	files, err := oracle.RenderedFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*oracle.Object{}
	for _, file := range files {
		objs, err := oracle.ReadRendered(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) > 0 {
			out[file] = objs
		}
	}
	if len(out) < 100 {
		t.Fatalf("found rendered objects in %d files; want at least 100", len(out))
	}
	return out
}

// TestRenderedRulesValid checks every PrometheusRule slipway rendered in a
// checked-in file as `promtool check rules` checks a rule file.
func TestRenderedRulesValid(t *testing.T) {
	var objects, groups, records, alerts int
	for file, objs := range rendered(t) {
		for _, obj := range objs {
			if obj.Kind != "PrometheusRule" {
				continue
			}
			objects++
			ruleFile, err := RuleFile(obj)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			rgs, errs := CheckRules(ruleFile)
			for _, err := range errs {
				t.Errorf("%s: %s: %v", file, obj.ID(), err)
			}
			if rgs == nil {
				continue
			}
			for _, g := range rgs.Groups {
				groups++
				for _, r := range g.Rules {
					if r.Alert != "" {
						alerts++
					} else {
						records++
					}
				}
			}
		}
	}
	// Not vacuous: the slo cases' three renderings hold three
	// PrometheusRules (two objectives and one) of two groups each.
	if objects < 4 || groups < 8 || records < 24 || alerts < 12 {
		t.Errorf("checked %d PrometheusRules, %d groups, %d recording and %d alerting rules; want at least 4, 8, 24 and 12", objects, groups, records, alerts)
	}
	t.Logf("checked %d PrometheusRules: %d groups, %d recording rules, %d alerts", objects, groups, records, alerts)
}

// TestRenderedQueriesParse parses every PromQL query slipway rendered
// outside rules, in a checked-in file: the canary analyses' and the
// dashboards'.
func TestRenderedQueriesParse(t *testing.T) {
	byKind := map[string]int{}
	for file, objs := range rendered(t) {
		for _, obj := range objs {
			queries, err := Queries(obj)
			if err != nil {
				t.Errorf("%s: %s: %v", file, obj.ID(), err)
				continue
			}
			for _, q := range queries {
				byKind[obj.Kind]++
				if strings.Contains(q.Expr, "{{") {
					t.Errorf("%s: %s: %s: a template is left in %q", file, obj.ID(), q.Where, q.Expr)
				}
				if _, err := Parser.ParseExpr(q.Expr); err != nil {
					t.Errorf("%s: %s: %s: %v\n  %s", file, obj.ID(), q.Where, err, q.Expr)
				}
			}
		}
	}
	// Not vacuous: a dashboard has 8 queries per objective (the slo case's
	// two renderings have two objectives each, the canary case's two
	// dashboards one); the canary case has one AnalysisTemplate metric and
	// one MetricTemplate.
	for kind, least := range map[string]int{"ConfigMap": 48, "AnalysisTemplate": 1, "MetricTemplate": 1} {
		if byKind[kind] < least {
			t.Errorf("parsed %d queries of %s objects; want at least %d", byKind[kind], kind, least)
		}
	}
	t.Logf("parsed queries: %v", byKind)
}
