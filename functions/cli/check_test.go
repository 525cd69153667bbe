package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/check"
	"github.com/slipway-dev/slipway/functions/internal/golden"
)

const checkCases = "../../testdata/check"

// TestCheckGolden runs slipway check on each case's tree/, from the case's
// directory, and compares its text and JSON output with expected.txt and
// expected.json; the exit code is 1 exactly when an error is expected.
func TestCheckGolden(t *testing.T) {
	for _, dir := range golden.Cases(t, checkCases) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Chdir(abs)
			for _, out := range []struct{ format, file string }{{"text", "expected.txt"}, {"json", "expected.json"}} {
				var stdout, stderr bytes.Buffer
				code := Run([]string{"check", "-o", out.format, "tree"}, nil, &stdout, &stderr)
				golden.Compare(t, out.file, stdout.Bytes())
				var findings []check.Finding
				if err := json.Unmarshal(stdout.Bytes(), &findings); out.format == "json" && err != nil {
					t.Errorf("the JSON output does not parse: %v", err)
				}
				want := 0
				if strings.Contains(stdout.String(), "error") {
					want = 1
				}
				if code != want {
					t.Errorf("-o %s: exit %d, want %d; stderr:\n%s", out.format, code, want, stderr.String())
				}
				if !regexp.MustCompile(`^slipway check: \d+ Apps, environments base`).MatchString(stderr.String()) {
					t.Errorf("stderr is no summary: %q", stderr.String())
				}
			}
		})
	}
}

// TestCheckClashesNameBothFiles: each clash of Apps in different
// directories is reported on one App's file and names the other's.
func TestCheckClashesNameBothFiles(t *testing.T) {
	report, err := check.Tree(filepath.Join(checkCases, "clashes", "tree"), check.Options{Environment: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"spec.ports[0].nodePort", "spec.externalSecrets[0].name"} {
		found := false
		for _, f := range report.Findings {
			if f.Field == field && f.Severity == check.Error && strings.HasSuffix(f.File, filepath.Join("team-b", "orders", "app.yaml")) &&
				strings.Contains(f.Message, filepath.Join("team-a", "billing", "app.yaml")) && f.Environment == "prod" {
				found = true
			}
		}
		if !found {
			t.Errorf("no clash at %s naming both files in %+v", field, report.Findings)
		}
	}
}

func TestCheckRun(t *testing.T) {
	clashes := filepath.Join(checkCases, "clashes", "tree")
	clean := filepath.Join(checkCases, "clean", "tree")
	platform := filepath.Join(clean, "platform", "platform.yaml")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // a regular expression
		stderr string // a regular expression
	}{
		{"--help", []string{"check", "--help"}, 0, `slipway check \[-e ENVIRONMENT\]`, `^$`},
		{"two directories", []string{"check", clean, clashes}, 2, `^$`, `takes one directory, not 2 arguments`},
		{"unknown output", []string{"check", "-o", "xml", clean}, 2, `^$`, `unknown --output "xml"`},
		{"a missing directory", []string{"check", "missing"}, 1, `^$`, `^error: stat missing: no such file or directory\n$`},
		{"a file, not a directory", []string{"check", platform}, 1, `^$`, `is not a directory`},
		{"clean", []string{"check", clean}, 0, `^$`, `2 Apps, environments base, prod: 0 errors, 0 warnings`},
		{"one environment, named without it", []string{"check", "-e", "prod", clashes}, 1, `orders/app.yaml: App shop/orders: spec.ports\[0\].nodePort: 30080 is already used by .*billing/app.yaml: App shop/billing\n`, `environments prod:`},
		{"an unknown environment", []string{"check", "--environment", "qa", clean}, 1, `^error: environment "qa" is not defined by any App or Platform of the input; known: prod\n$`, ``},
		{"--platform and one in the tree", []string{"check", "--platform", platform, clashes}, 1, `platform.yaml: Platform platform: a tree has one Platform, and .* \(--platform\) is already the Platform`, ``},
		{"--platform that is the tree's", []string{"check", "--platform", platform, clean}, 0, `^$`, `0 errors`},
		{"github", []string{"check", "-o", "github", clashes}, 1, `(?m)^::error file=.*orders/app.yaml,title=slipway check \(base\)::App shop/orders: spec.routing.hosts\[0\]: "shop.example.com" is already routed to `, ``},
		{"github warning", []string{"check", "-o", "github", clashes}, 1, `(?m)^::warning file=.*billing/app.yaml,title=`, ``},
		{"json of a clean tree is an empty list", []string{"check", "-o", "json", clean}, 0, `^\[\]\n$`, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(tc.args, nil, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if !regexp.MustCompile(tc.stdout).MatchString(stdout.String()) {
				t.Errorf("stdout does not match %s:\n%s", tc.stdout, stdout.String())
			}
			if !regexp.MustCompile(tc.stderr).MatchString(stderr.String()) {
				t.Errorf("stderr does not match %s:\n%s", tc.stderr, stderr.String())
			}
		})
	}
}
