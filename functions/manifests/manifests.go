// Package manifests renders a resolved App (and a Platform's own tenants
// and Argo CD Applications) into the Kubernetes objects it stands for, one file per kind of object, built from upstream API types
// where they exist and from small local types checked against the published
// CRD schemas where they do not.
package manifests

import (
	"maps"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
)

// Render returns the objects of a resolved App (see v1alpha1.ResolveApp), in
// the order of Kinds, then its extra objects, with its patches applied.
// platform may be nil. A patch that cannot apply is a FieldErrors.
func Render(app *v1alpha1.App, platform *v1alpha1.Platform) ([]*yaml.RNode, error) {
	r := &renderer{app: app, spec: &app.Spec, platform: platform, versions: platform.APIVersionsOrDefault()}
	var objects []any
	for i := range Kinds {
		built := Kinds[i].build(r)
		if wave := Kinds[i].Wave; wave != "" {
			for _, obj := range built {
				o := obj.(metav1.Object)
				o.SetAnnotations(mergeAnnotations(o.GetAnnotations(), map[string]string{AnnotationSyncWave: wave}))
			}
		}
		objects = append(objects, built...)
	}
	nodes := make([]*yaml.RNode, 0, len(objects))
	for _, obj := range objects {
		node, err := encode.Object(obj)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, node)
	}
	extra, extraErrs, err := r.extraObjects()
	if err != nil {
		return nil, err
	}
	nodes = append(nodes, extra...)
	patchErrs, err := r.patch(nodes)
	if err != nil {
		return nil, err
	}
	if errs := slices.Concat(r.compatibilityErrors(), extraErrs, patchErrs); len(errs) > 0 {
		return nil, errs
	}
	return nodes, nil
}

type renderer struct {
	app      *v1alpha1.App
	spec     *v1alpha1.AppSpec
	platform *v1alpha1.Platform
	versions v1alpha1.APIVersions
}

// labels are the labels of every object of the app.
func (r *renderer) labels() map[string]string {
	labels := maps.Clone(r.app.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels[LabelApp] = r.app.Name
	labels[LabelName] = r.nameLabel()
	labels[LabelManagedBy] = ManagedBy
	return labels
}

// nameLabel is the value of app.kubernetes.io/name: the App's name, or the
// one a kept selector (spec.compatibility) gives it, such as a Helm
// chart's name, which the live pods must keep carrying.
func (r *renderer) nameLabel() string {
	if c := r.spec.Compatibility; c != nil && c.Selector[LabelName] != "" {
		return c.Selector[LabelName]
	}
	return r.app.Name
}

// selector selects the pods of one track. It depends on the app name alone,
// so no change to an App ever changes a workload's immutable selector.
func (r *renderer) selector(track string) map[string]string {
	return map[string]string{LabelApp: r.app.Name, LabelTrack: track}
}

// podLabels are the labels of the pods of one track: slipway's, and on
// the stable pods a kept selector (spec.compatibility) too.
func (r *renderer) podLabels(track string) map[string]string {
	labels := r.ownPodLabels(track)
	if c := r.spec.Compatibility; c != nil && track == TrackStable {
		maps.Copy(labels, c.Selector)
	}
	return labels
}

// ownPodLabels are the labels slipway gives the pods of one track.
func (r *renderer) ownPodLabels(track string) map[string]string {
	labels := r.labels()
	maps.Copy(labels, r.selector(track))
	return labels
}

// workloadSelector is the selector of the workload of one track: the
// kept one of a workload taken over, or slipway's.
func (r *renderer) workloadSelector(track string) map[string]string {
	if c := r.spec.Compatibility; c != nil && track == TrackStable {
		return maps.Clone(c.Selector)
	}
	return r.selector(track)
}

func (r *renderer) meta(name string) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Name: name, Namespace: r.app.Namespace, Labels: r.labels()}
	if r.platform != nil && len(r.platform.Spec.Annotations) > 0 {
		m.Annotations = maps.Clone(r.platform.Spec.Annotations)
	}
	return m
}

// controller is the App's canary controller, CanaryControllerNone without one.
func (r *renderer) controller() string {
	if r.spec.Canary == nil {
		return v1alpha1.CanaryControllerNone
	}
	return r.spec.Canary.Controller
}

func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func ptr[T any](v T) *T { return &v }
