package v1alpha1

import (
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// escapes checks the escape hatches as far as they can be checked before
// rendering: each patch names its target and says one thing; each extra
// object is an object, not a Secret, in the App's namespace; per-kind
// metadata is valid. What a patch does to its object is checked when it is
// applied (manifests), and every object by the same checks as the rest.
func (v *validator) escapes(app *App, spec *field.Path) {
	s := &app.Spec
	for i, p := range s.Patches {
		path := spec.Child("patches").Index(i)
		v.required(path.Child("target", "kind"), p.Target.Kind)
		if (p.Patch == nil) == (len(p.Ops) == 0) {
			v.add(path, "set exactly one of patch (a strategic merge patch) and ops (JSON 6902 operations)")
		}
		for j, op := range p.Ops {
			op, opPath := op, path.Child("ops").Index(j)
			enum[PatchOp](v, opPath.Child("op"), "op", op.Op)
			if !strings.HasPrefix(op.Path, "/") || op.Path == "/" {
				v.add(opPath.Child("path"), "%q must be a JSON pointer into the object, such as /metadata/annotations/x", op.Path)
			}
		}
	}
	for i, obj := range s.ExtraObjects {
		path := spec.Child("extraObjects").Index(i)
		apiVersion, _ := obj["apiVersion"].(string)
		kind, _ := obj["kind"].(string)
		meta, _ := obj["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		namespace, _ := meta["namespace"].(string)
		v.required(path.Child("apiVersion"), apiVersion)
		v.required(path.Child("kind"), kind)
		if v.required(path.Child("metadata", "name"), name) {
			v.messages(path.Child("metadata", "name"), name, validation.IsDNS1123Subdomain(name))
		}
		if kind == "Secret" && (apiVersion == "v1" || apiVersion == "") {
			v.add(path.Child("kind"), "a Secret would put its values in Git: declare it in externalSecrets, which fetches it from the secret store")
		}
		if namespace != "" && namespace != app.Namespace {
			v.add(path.Child("metadata", "namespace"), "%q is not the App's namespace (%q): an App renders into its own namespace", namespace, app.Namespace)
		}
		if labels, ok := meta["labels"].(map[string]any); ok {
			for _, k := range slices.Sorted(maps.Keys(labels)) {
				if slices.Contains(selectorLabels, k) {
					v.add(path.Child("metadata", "labels").Key(k), "is one of slipway's own labels (%s)", strings.Join(selectorLabels, ", "))
				}
			}
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(s.ObjectMetadata)) {
		path := spec.Child("objectMetadata").Key(kind)
		m := s.ObjectMetadata[kind]
		v.labels(m.Labels, path.Child("labels"))
		for _, k := range slices.Sorted(maps.Keys(m.Labels)) {
			if slices.Contains(selectorLabels, k) {
				v.add(path.Child("labels").Key(k), "is one of slipway's own labels (%s)", strings.Join(selectorLabels, ", "))
			}
		}
		v.annotations(m.Annotations, path.Child("annotations"))
	}
}
