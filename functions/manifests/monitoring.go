package manifests

import (
	"maps"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// PodMonitor is the subset of the Prometheus Operator PodMonitor
// (monitoring.coreos.com/v1) that slipway renders.
type PodMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              PodMonitorSpec `json:"spec"`
}

// PodMonitorSpec selects pods in the monitor's namespace, the container
// port of theirs to scrape, and the pod labels copied to every series.
type PodMonitorSpec struct {
	Selector            metav1.LabelSelector `json:"selector"`
	PodMetricsEndpoints []MetricsEndpoint    `json:"podMetricsEndpoints"`
	PodTargetLabels     []string             `json:"podTargetLabels,omitempty"`
}

// MetricsEndpoint is one scraped container port, by name.
type MetricsEndpoint struct {
	Port     string `json:"port"`
	Path     string `json:"path"`
	Interval string `json:"interval"`
}

// podMonitor renders the PodMonitor that scrapes every serving pod of the
// app exactly once, at all times. It scrapes pods, not Services: the
// App's Services overlap on purpose ("<name>" backs every pod, the stable
// one may expose some ports only), and a Rollout points its Services at
// the same pods outside a rollout. Each series says what it came from:
//
//   - without a canary controller, its track (slipway.dev/track);
//   - under Argo Rollouts, the revision (the controller's
//     rollouts-pod-template-hash, which its analysis reads);
//   - under Flagger, the app label, which Flagger renames to
//     "<name>-primary" on the primary's pods and leaves "<name>" on the
//     canary's.
//
// Workers' pods are labelled "app: <name>-<worker>" and are not scraped.
func (r *renderer) podMonitor() []any {
	m := r.spec.Monitoring
	if m == nil {
		return nil
	}
	var spec PodMonitorSpec
	switch r.controller() {
	case v1alpha1.CanaryControllerArgoRollouts:
		spec.Selector.MatchLabels = r.rolloutSelector()
		spec.PodTargetLabels = []string{LabelRolloutsPodTemplateHash}
	case v1alpha1.CanaryControllerFlagger:
		spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{
			Key:      LabelApp,
			Operator: metav1.LabelSelectorOpIn,
			Values:   []string{r.app.Name, r.app.Name + FlaggerPrimarySuffix},
		}}
		spec.PodTargetLabels = []string{LabelApp}
	default:
		spec.Selector.MatchLabels = map[string]string{LabelApp: r.app.Name}
		spec.PodTargetLabels = []string{LabelTrack}
	}
	spec.PodMetricsEndpoints = []MetricsEndpoint{{Port: m.Port, Path: m.Path, Interval: m.Interval}}
	meta := r.meta(r.app.Name)
	maps.Copy(meta.Labels, m.Labels)
	return []any{&PodMonitor{
		TypeMeta:   typeMeta("monitoring.coreos.com/v1", "PodMonitor"),
		ObjectMeta: meta,
		Spec:       spec,
	}}
}
