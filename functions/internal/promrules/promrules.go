// Package promrules checks the Prometheus rules and queries slipway renders
// with Prometheus' own rule-file validator, PromQL parser and rule
// evaluation. It is a test-only module of its own: Prometheus stays out of
// the functions' go.mod.
package promrules

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/rules"

	"github.com/slipway-dev/slipway/functions/internal/oracle"
)

// Parser is the PromQL parser of a Prometheus server without feature
// flags: no experimental functions, no optional syntax.
var Parser = parser.NewParser(parser.Options{})

// NameValidation is the stricter of Prometheus' metric and label name
// schemes: names valid under it are valid for Prometheus 2 and 3 alike.
const NameValidation = model.LegacyValidation

// RuleFile is the rule file the Prometheus Operator writes for a
// PrometheusRule and Prometheus loads: its spec.groups under "groups". JSON
// is YAML, so the file is the spec's JSON.
func RuleFile(obj *oracle.Object) ([]byte, error) {
	var rule struct {
		Spec struct {
			Groups json.RawMessage `json:"groups"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(obj.Raw, &rule); err != nil {
		return nil, err
	}
	if len(rule.Spec.Groups) == 0 {
		return nil, fmt.Errorf("%s: no spec.groups", obj.ID())
	}
	return json.Marshal(map[string]json.RawMessage{"groups": rule.Spec.Groups})
}

// CheckRules checks a rule file as `promtool check rules` does with its
// default lint: strict decoding (unknown fields refused) and rulefmt's
// validation (every expression parses, record names, labels, annotation
// names and templates, `for` durations, one of record and alert), then no
// two rules of the same name and labels. It returns the groups and every
// problem.
func CheckRules(file []byte) (*rulefmt.RuleGroups, []error) {
	groups, errs := rulefmt.Parse(file, false, NameValidation, Parser, slog.New(slog.DiscardHandler))
	if groups == nil {
		return nil, errs
	}
	return groups, append(errs, duplicates(groups)...)
}

// duplicates is promtool's duplicate-rules lint: rules of the same name
// (record or alert) with the same labels (the group's and the rule's)
// write the same series.
func duplicates(groups *rulefmt.RuleGroups) []error {
	seen := map[string]string{}
	var errs []error
	for _, g := range groups.Groups {
		for i, r := range g.Rules {
			name := r.Record
			if r.Alert != "" {
				name = r.Alert
			}
			key := name + rules.FromMaps(g.Labels, r.Labels).String()
			where := fmt.Sprintf("group %q, rule %d", g.Name, i+1)
			if first, ok := seen[key]; ok {
				errs = append(errs, fmt.Errorf("%s: %s duplicates %s", where, key, first))
				continue
			}
			seen[key] = where
		}
	}
	return errs
}

// Query is a PromQL query of a rendered object, with where it is.
type Query struct {
	Where, Expr string
}

// FlaggerInterval is what the queries of Flagger MetricTemplates are
// checked with in place of `{{ interval }}`, which Flagger fills in with
// the analysis metric's interval.
const FlaggerInterval = "1m"

// Queries returns the PromQL queries of a rendered object other than its
// rules: the metrics of an Argo Rollouts AnalysisTemplate, the query of a
// Flagger MetricTemplate (its interval filled in) and the targets of a
// Grafana dashboard (a ConfigMap labelled grafana_dashboard: "1" holding
// dashboard JSON).
func Queries(obj *oracle.Object) ([]Query, error) {
	switch {
	case obj.Kind == "AnalysisTemplate" && strings.HasPrefix(obj.APIVersion, "argoproj.io/"):
		var at struct {
			Spec struct {
				Metrics []struct {
					Name     string `json:"name"`
					Provider struct {
						Prometheus *struct {
							Query string `json:"query"`
						} `json:"prometheus"`
					} `json:"provider"`
				} `json:"metrics"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(obj.Raw, &at); err != nil {
			return nil, err
		}
		var out []Query
		for i, m := range at.Spec.Metrics {
			if p := m.Provider.Prometheus; p != nil {
				out = append(out, Query{fmt.Sprintf("spec.metrics[%d] (%s)", i, m.Name), p.Query})
			}
		}
		return out, nil
	case obj.Kind == "MetricTemplate" && strings.HasPrefix(obj.APIVersion, "flagger.app/"):
		var mt struct {
			Spec struct {
				Provider struct {
					Type string `json:"type"`
				} `json:"provider"`
				Query string `json:"query"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(obj.Raw, &mt); err != nil {
			return nil, err
		}
		if mt.Spec.Provider.Type != "prometheus" {
			return nil, nil
		}
		return []Query{{"spec.query", strings.ReplaceAll(mt.Spec.Query, "{{ interval }}", FlaggerInterval)}}, nil
	case obj.Kind == "ConfigMap" && obj.Labels["grafana_dashboard"] == "1":
		var cm struct {
			Data map[string]string `json:"data"`
		}
		if err := json.Unmarshal(obj.Raw, &cm); err != nil {
			return nil, err
		}
		keys := make([]string, 0, len(cm.Data))
		for k := range cm.Data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []Query
		for _, k := range keys {
			var board struct {
				Panels []panel `json:"panels"`
			}
			if err := json.Unmarshal([]byte(cm.Data[k]), &board); err != nil {
				return nil, fmt.Errorf("data.%s: %w", k, err)
			}
			out = append(out, panelQueries("data."+k+": panels", board.Panels)...)
		}
		return out, nil
	}
	return nil, nil
}

// panel is a Grafana panel: its queries, and the panels of a row.
type panel struct {
	Title   string `json:"title"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

func panelQueries(where string, panels []panel) []Query {
	var out []Query
	for i, p := range panels {
		at := fmt.Sprintf("%s[%d]", where, i)
		for j, t := range p.Targets {
			if t.Expr != "" {
				out = append(out, Query{fmt.Sprintf("%s.targets[%d] (%s)", at, j, p.Title), t.Expr})
			}
		}
		out = append(out, panelQueries(at+".panels", p.Panels)...)
	}
	return out
}
