package v1alpha1

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestSchedule(t *testing.T) {
	for _, tc := range []struct {
		schedule, err string
	}{
		{"0 3 * * *", ""},
		{"*/15 * * * *", ""},
		{"0 9-17/2 * * mon-fri", ""},
		{"30 4 1,15 jan,jul *", ""},
		{"0 0 * * 7", ""},
		{"0 0 ? * *", ""},
		{"@daily", ""},
		{"@hourly", ""},
		{"0 3 * *", "has 4 fields"},
		{"0 0 3 * * *", "has 6 fields"},
		{"60 * * * *", `minute field "60"`},
		{"* 24 * * *", `hour field "24"`},
		{"* * 0 * *", `day of month field "0"`},
		{"* * * 13 *", `month field "13"`},
		{"* * * * 8", `day of week field "8"`},
		{"*/0 * * * *", `step "0"`},
		{"5-1 * * * *", "low to high"},
		{"1.5 * * * *", `minute field "1.5"`},
		{"@every 5m", "not a schedule macro"},
		{"CRON_TZ=UTC 0 3 * * *", "timeZone"},
	} {
		var v validator
		v.schedule(tc.schedule, field.NewPath("schedule"))
		switch {
		case tc.err == "" && len(v.errs) > 0:
			t.Errorf("%q: unexpected %v", tc.schedule, v.errs)
		case tc.err != "" && (len(v.errs) == 0 || !strings.Contains(v.errs[0].Error(), tc.err)):
			t.Errorf("%q: want an error with %q, got %v", tc.schedule, tc.err, v.errs)
		}
	}
}
