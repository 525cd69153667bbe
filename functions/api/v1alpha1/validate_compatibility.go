package v1alpha1

import (
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// compatibility checks the kept selector as the API server checks a
// label selector. Its clashes with the labels slipway gives the pods are
// checked where those labels are made, in rendering.
func (v *validator) compatibility(s *AppSpec, path *field.Path) {
	c := s.Compatibility
	if c == nil {
		return
	}
	sel := path.Child("selector")
	if len(c.Selector) == 0 {
		v.add(sel, "required: the live workload's spec.selector.matchLabels (remove compatibility once slipway's selector has taken over)")
		return
	}
	for _, k := range slices.Sorted(maps.Keys(c.Selector)) {
		v.messages(sel.Key(k), k, validation.IsQualifiedName(k))
		v.messages(sel.Key(k), c.Selector[k], validation.IsValidLabelValue(c.Selector[k]))
	}
	if s.Canary != nil {
		v.add(sel, "not with a canary: the canary's pods would carry these labels too, and the stable workload would count them as its own; take the workload over first, drop compatibility, then add the canary")
	}
}
