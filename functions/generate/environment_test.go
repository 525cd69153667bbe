package generate

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/krm"
)

// annotatedApp is an App whose replicas say which environment was rendered:
// 1 for the base, 2 for dev, 3 for prod.
func annotatedApp(name, annotation string) string {
	meta := "  name: " + name + "\n"
	if annotation != "-" {
		meta += "  annotations: {slipway.dev/environment: " + annotation + "}\n"
	}
	return "apiVersion: slipway.dev/v1alpha1\nkind: App\nmetadata:\n" + meta +
		"spec:\n  image: registry.example.com/" + name + ":1.0.0\n  environments:\n    dev: {replicas: 2}\n    prod: {replicas: 3}\n"
}

// TestEnvironmentRule is the rule of selectEnvironment, one case per clause:
// the option selects, else the annotations do; an annotation that disagrees,
// an empty one and an unknown environment are errors, in every path
// (items as kpt, the plugin and the command pass them; the App as function
// config as kustomize passes it; a ConfigMap config as kpt fn eval makes it).
func TestEnvironmentRule(t *testing.T) {
	const noAnnotation = "-"
	platform := func(annotation string) string {
		s := "apiVersion: slipway.dev/v1alpha1\nkind: Platform\nmetadata:\n  name: acme\n"
		if annotation != noAnnotation {
			s += "  annotations: {slipway.dev/environment: " + annotation + "}\n"
		}
		return s + "spec:\n  environments:\n    qa: {}\n"
	}
	configMap := func(env string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: options}\ndata: {environment: " + env + "}\n"
	}
	for _, tc := range []struct {
		name   string
		items  []string
		config string // function config, if any
		opts   Options
		want   string // replicas of every Deployment, or an error
	}{
		{"no option, no annotation: the base", []string{annotatedApp("a", noAnnotation)}, "", Options{}, "1"},
		{"the option", []string{annotatedApp("a", noAnnotation)}, "", Options{Environment: "dev"}, "2"},
		{"the annotation of an item", []string{annotatedApp("a", "prod")}, "", Options{}, "3"},
		{"the annotation selects for every App", []string{annotatedApp("a", "prod"), annotatedApp("b", noAnnotation)}, "", Options{}, "3"},
		{"annotations that agree", []string{annotatedApp("a", "prod"), annotatedApp("b", "prod")}, "", Options{}, "3"},
		{"the annotation of the Platform", []string{annotatedApp("a", noAnnotation), platform("prod")}, "", Options{}, "3"},
		{"the App as function config (kustomize)", []string{annotatedApp("a", "prod")}, annotatedApp("a", "prod"), Options{}, "3"},
		{"option and annotation agree", []string{annotatedApp("a", "prod")}, "", Options{Environment: "prod"}, "3"},
		{"the option conflicts with the annotation", []string{annotatedApp("a", "prod")}, "", Options{Environment: "dev", EnvironmentFrom: "--environment"},
			`App a: metadata.annotations[slipway.dev/environment]: "prod" conflicts with the environment "dev" selected by --environment`},
		{"the function config conflicts with the annotation", []string{annotatedApp("a", "prod")}, configMap("dev"), Options{},
			`"prod" conflicts with the environment "dev" selected by the function config's data.environment`},
		{"two annotations conflict", []string{annotatedApp("a", "prod"), annotatedApp("b", "dev")}, "", Options{},
			`App b: metadata.annotations[slipway.dev/environment]: "dev" conflicts with "prod" (annotated on items[0]: App a): a rendering has one environment`},
		{"the Platform conflicts with an App", []string{annotatedApp("a", "prod"), platform("dev")}, "", Options{},
			`Platform acme: metadata.annotations[slipway.dev/environment]: "dev" conflicts with "prod"`},
		{"an empty annotation", []string{annotatedApp("a", `""`)}, "", Options{},
			`App a: metadata.annotations[slipway.dev/environment]: must name an environment; remove the annotation to render the base`},
		{"an unknown environment by annotation", []string{annotatedApp("a", "staging")}, "", Options{},
			`App a: metadata.annotations[slipway.dev/environment]: environment "staging" is not defined by any App or Platform of the input; known: dev, prod`},
		{"an unknown environment by option", []string{annotatedApp("a", noAnnotation)}, "", Options{Environment: "staging"},
			`environment "staging" is not defined by any App or Platform of the input; known: dev, prod`},
		{"an environment only the Platform defines", []string{annotatedApp("a", "qa"), platform(noAnnotation)}, "", Options{}, "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var items []*yaml.RNode
			for _, s := range tc.items {
				items = append(items, yaml.MustParse(s))
			}
			var config *yaml.RNode
			if tc.config != "" {
				config = yaml.MustParse(tc.config)
			}
			out, results := Render(items, config, tc.opts)
			if strings.ContainsAny(tc.want, " ") {
				var msgs []string
				for _, r := range results {
					msgs = append(msgs, krm.FormatResult(r))
				}
				if got := strings.Join(msgs, "\n"); results.ExitCode() == 0 || !strings.Contains(got, tc.want) {
					t.Fatalf("want an error containing\n  %s\ngot\n  %s", tc.want, got)
				}
				return
			}
			if results.ExitCode() != 0 {
				t.Fatal(results.Error())
			}
			n := 0
			for _, obj := range out {
				if obj.GetKind() != "Deployment" {
					continue
				}
				n++
				if got := obj.Field("spec").Value.Field("replicas").Value.YNode().Value; got != tc.want {
					t.Errorf("Deployment %s: replicas %s, want %s", obj.GetName(), got, tc.want)
				}
			}
			if n == 0 {
				t.Fatal("no Deployment rendered")
			}
		})
	}
}
