package generate

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/internal/secretscan"
)

// An App only references secrets (secretKeyRef, externalSecrets); a literal
// value that looks like one ends up in plain text in Git and in every
// rendered manifest. secretWarnings finds such values, wherever an App holds
// literal text that reaches a manifest, and reports each as a warning, with
// its field path but never the value itself.

// secretWarnings returns a warning for every literal value of the Apps that
// looks like a secret.
func secretWarnings(apps []*RenderedApp) framework.Results {
	var results framework.Results
	for _, a := range apps {
		var warnings []v1alpha1.FieldError
		warn := func(path *field.Path, name, why string) {
			warnings = append(warnings, v1alpha1.FieldError{
				Path: path.String(),
				Detail: fmt.Sprintf("%s has a literal value that looks like a secret (%s): it would be stored in plain text in Git "+
					"and in the rendered manifests; keep it in the secret store and reference it (secretKeyRef, envFrom, a secret volume)", name, why),
			})
		}
		for _, text := range literalText(&a.App.Spec) {
			if why := secretscan.Why(text.name, text.value); why != "" {
				warn(text.path, text.name, why)
			}
		}
		for _, r := range a.source.results(warnings) {
			r.Severity = framework.Warning
			results = append(results, r)
		}
	}
	return results
}

// literal is a literal text of an App, named by its variable, key or field.
type literal struct {
	path        *field.Path
	name, value string
}

// literalText lists the literal texts of an App that reach a manifest:
// env values (of the App, its workers, jobs and containers), config data,
// commands and arguments, annotations, request headers and ExternalSecret
// templates (which are not templates where they hold no "{{").
func literalText(s *v1alpha1.AppSpec) []literal {
	spec := field.NewPath("spec")
	var out []literal
	env := func(env []v1alpha1.EnvVar, path *field.Path) {
		for i, e := range env {
			if e.Value != nil {
				out = append(out, literal{path.Index(i).Child("value"), e.Name, *e.Value})
			}
		}
	}
	words := func(list []string, path *field.Path) {
		for i, w := range list {
			// "--password=hunter2" is named by its flag.
			name, value, isFlag := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if !isFlag || !strings.HasPrefix(w, "-") {
				name, value = path.Index(i).String(), w
			}
			out = append(out, literal{path.Index(i), name, value})
		}
	}
	keyed := func(m map[string]string, path *field.Path) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out = append(out, literal{path.Key(k), k, m[k]})
		}
	}
	env(s.Env, spec.Child("env"))
	words(s.Command, spec.Child("command"))
	words(s.Args, spec.Child("args"))
	for i, w := range s.Workers {
		p := spec.Child("workers").Index(i)
		env(w.Env, p.Child("env"))
		words(w.Args, p.Child("args"))
	}
	for i, j := range s.Jobs {
		p := spec.Child("jobs").Index(i)
		env(j.Env, p.Child("env"))
		words(j.Args, p.Child("args"))
	}
	for _, list := range []struct {
		name       string
		containers []v1alpha1.Container
	}{{"initContainers", s.InitContainers}, {"sidecars", s.Sidecars}} {
		for i, c := range list.containers {
			p := spec.Child(list.name).Index(i)
			env(c.Env, p.Child("env"))
			words(c.Args, p.Child("args"))
		}
	}
	if c := s.Config; c != nil {
		keyed(c.Data, spec.Child("config", "data"))
	}
	if r := s.Routing; r != nil {
		keyed(r.RequestHeaders, spec.Child("routing", "requestHeaders"))
		if r.Ingress != nil {
			keyed(r.Ingress.Annotations, spec.Child("routing", "ingress", "annotations"))
		}
	}
	if s.Pod != nil {
		keyed(s.Pod.Annotations, spec.Child("pod", "annotations"))
	}
	if s.Service != nil {
		keyed(s.Service.Annotations, spec.Child("service", "annotations"))
	}
	if s.ServiceAccount != nil {
		keyed(s.ServiceAccount.Annotations, spec.Child("serviceAccount", "annotations"))
	}
	for i, es := range s.ExternalSecrets {
		for _, k := range slices.Sorted(maps.Keys(es.Template)) {
			if !strings.Contains(es.Template[k], "{{") {
				out = append(out, literal{spec.Child("externalSecrets").Index(i).Child("template").Key(k), k, es.Template[k]})
			}
		}
	}
	return out
}
