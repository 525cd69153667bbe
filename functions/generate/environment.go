package generate

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// environmentPath is where an App or Platform names its environment.
var environmentPath = field.NewPath("metadata", "annotations").Key(AnnotationEnvironment)

// selectEnvironment settles the one environment of a rendering, the same way
// whichever client runs slipway:
//   - the caller's option (a flag, the function config's data.environment,
//     an Argo CD plugin parameter) selects it;
//   - otherwise the annotation slipway.dev/environment of the Apps and the
//     Platform of the input (items or function config) selects it;
//   - an annotation that names another environment than the option or than
//     another annotation is an error, as is an empty one: an annotation is
//     never ignored;
//   - an environment that no App or Platform of the input defines is an
//     error.
//
// No option and no annotation renders the base.
func selectEnvironment(in *input, opts *Options) framework.Results {
	var results framework.Results
	var first *source // the first annotated source, when it selects
	for _, src := range in.sources() {
		env, annotated := annotatedEnvironment(src.doc)
		switch {
		case !annotated:
		case env == "":
			results = append(results, src.results([]v1alpha1.FieldError{{Path: environmentPath.String(),
				Detail: "must name an environment; remove the annotation to render the base"}})...)
		case opts.Environment != "" && first == nil:
			if env != opts.Environment {
				results = append(results, src.results([]v1alpha1.FieldError{{Path: environmentPath.String(),
					Detail: fmt.Sprintf("%q conflicts with the environment %q selected by %s: a rendering has one environment; remove the annotation or select %q",
						env, opts.Environment, or(opts.EnvironmentFrom, "the function's options"), env)}})...)
			}
		case first == nil:
			first = src
			opts.Environment, opts.EnvironmentFrom = env, "the annotation "+AnnotationEnvironment+" of "+src.describe()
		case env != opts.Environment:
			results = append(results, src.results([]v1alpha1.FieldError{{Path: environmentPath.String(),
				Detail: fmt.Sprintf("%q conflicts with %q (annotated on %s): a rendering has one environment", env, opts.Environment, first.describe())}})...)
		}
	}
	if opts.Environment == "" {
		return results
	}
	if known := v1alpha1.KnownEnvironments(in.docs()...); !slices.Contains(known, opts.Environment) {
		err := v1alpha1.UnknownEnvironment(opts.Environment, known)
		if first == nil {
			return append(results, &framework.Result{Severity: framework.Error, Message: err.Error()})
		}
		results = append(results, first.results([]v1alpha1.FieldError{{Path: environmentPath.String(), Detail: err.Error()}})...)
	}
	return results
}

// annotatedEnvironment reads the annotation slipway.dev/environment of a
// decoded App or Platform.
func annotatedEnvironment(doc map[string]any) (string, bool) {
	meta, _ := doc["metadata"].(map[string]any)
	annotations, _ := meta["annotations"].(map[string]any)
	v, ok := annotations[AnnotationEnvironment]
	if !ok {
		return "", false
	}
	s, ok := v.(string) // a value of another type is reported by the strict checks
	return s, ok
}

// sources are the Apps and the Platform of the input, in input order (the
// function config first).
func (in *input) sources() []*source {
	all := slices.Clone(in.apps)
	if in.platform != nil {
		all = append(all, in.platform)
	}
	slices.SortStableFunc(all, func(a, b *source) int { return a.item - b.item })
	return all
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
