package manifests

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// compatibilityErrors checks a kept selector (spec.compatibility) against
// the labels slipway gives the pods: the serving pods must carry it
// without changing a label slipway's own selectors rely on, and no other
// pod of the App (a worker's, a job's) may match it, or two controllers
// would count the same pods.
func (r *renderer) compatibilityErrors() FieldErrors {
	c := r.spec.Compatibility
	if c == nil {
		return nil
	}
	path := specPath.Child("compatibility", "selector")
	var errs FieldErrors
	own := r.ownPodLabels(TrackStable)
	for _, k := range slices.Sorted(maps.Keys(c.Selector)) {
		if v, set := own[k]; set && v != c.Selector[k] {
			errs = append(errs, v1alpha1.FieldError{Path: path.Key(k).String(),
				Detail: fmt.Sprintf("%q: the pods' label %s is %q, which slipway's selectors (or the App's labels) need; keep the live value by naming the App or its labels after it", c.Selector[k], k, v)})
		}
	}
	for _, w := range r.spec.Workers {
		if matches(c.Selector, r.processLabels(w.Name)) {
			errs = append(errs, overlap(path, "worker", w.Name))
		}
	}
	for _, j := range r.spec.Jobs {
		if matches(c.Selector, r.processLabels(j.Name)) {
			errs = append(errs, overlap(path, "job", j.Name))
		}
	}
	return errs
}

func overlap(path *field.Path, kind, name string) v1alpha1.FieldError {
	return v1alpha1.FieldError{Path: path.String(),
		Detail: fmt.Sprintf("selects the pods of %s %q too (they carry every label of it): the workload would count them as its own; name the live selector's labels that only the serving pods carry", kind, name)}
}

// matches tells whether a selector selects pods with these labels.
func matches(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}
