package promrules

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckRules shows that CheckRules refuses what `promtool check rules`
// refuses, one rule at a time, so that the check of the rendered rules
// cannot pass by checking nothing.
func TestCheckRules(t *testing.T) {
	const record = "    - record: slipway:slo_errors_per_request:ratio_rate5m\n      expr: sum(rate(x[5m]))\n"
	for _, tc := range []struct {
		name, rules, want string // want: a substring of an error; none if empty
	}{
		{"valid", "groups:\n  - name: g\n    rules:\n" + record +
			"      labels: {slo: search-availability}\n" +
			"    - alert: FastBurn\n      expr: slipway:slo_errors_per_request:ratio_rate5m > 0.0144\n      for: 2m\n" +
			"      labels: {severity: critical}\n      annotations: {summary: 'burning {{ $value }}'}\n", ""},
		{"expression", "groups:\n  - name: g\n    rules:\n    - record: r\n      expr: sum(rate(x[5m])\n", "could not parse expression"},
		{"experimental function", "groups:\n  - name: g\n    rules:\n    - record: r\n      expr: sort_by_label(x, \"a\")\n", "could not parse expression"},
		{"record name", "groups:\n  - name: g\n    rules:\n    - record: slipway:bad-name\n      expr: x\n", "invalid recording rule name"},
		{"annotations of a record", "groups:\n  - name: g\n    rules:\n" + record + "      annotations: {a: b}\n", "invalid field 'annotations' in recording rule"},
		{"for of a record", "groups:\n  - name: g\n    rules:\n" + record + "      for: 2m\n", "invalid field 'for' in recording rule"},
		{"duration", "groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: x > 1\n      for: 2 minutes\n", `in duration "2 minutes"`},
		{"label name", "groups:\n  - name: g\n    rules:\n" + record + "      labels: {bad-label: x}\n", "invalid label name"},
		{"annotation template", "groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: x > 1\n      annotations: {summary: '{{ $value'}\n", "annotation \"summary\""},
		{"unknown field", "groups:\n  - name: g\n    rules:\n" + record + "      keep: true\n", "field keep not found"},
		{"record and alert", "groups:\n  - name: g\n    rules:\n    - record: r\n      alert: A\n      expr: x\n", "only one of 'record' and 'alert'"},
		{"repeated group", "groups:\n  - name: g\n    rules:\n" + record + "  - name: g\n    rules:\n    - record: s\n      expr: x\n", "repeated in the same file"},
		{"duplicate rule", "groups:\n  - name: g\n    rules:\n" + record + record, "duplicates group \"g\", rule 1"},
		{"same record, other labels", "groups:\n  - name: g\n    rules:\n" + record + "      labels: {slo: a}\n" + record + "      labels: {slo: b}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := CheckRules([]byte(tc.rules))
			err := errors.Join(errs...)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Errorf("accepted; want an error with %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("refused with %v; want an error with %q", err, tc.want)
			}
		})
	}
}
