package manifests

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// ServiceMonitor is the subset of the Prometheus Operator ServiceMonitor
// (monitoring.coreos.com/v1) that slipway renders.
type ServiceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ServiceMonitorSpec `json:"spec"`
}

// ServiceMonitorSpec selects Services in the monitor's namespace and the
// port of theirs to scrape.
type ServiceMonitorSpec struct {
	Selector  metav1.LabelSelector `json:"selector"`
	Endpoints []MetricsEndpoint    `json:"endpoints"`
}

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

// MetricsEndpoint is one scraped port, by name: a Service port of a
// ServiceMonitor, a container port of a PodMonitor (slipway names both
// alike).
type MetricsEndpoint struct {
	Port     string `json:"port"`
	Path     string `json:"path"`
	Interval string `json:"interval"`
}

// The Prometheus Operator object of an App scrapes every pod of the app
// exactly once, at all times:
//
//   - without a canary controller, a ServiceMonitor of our stable and canary
//     Services: they select disjoint tracks, and the "service" label of each
//     series tells stable from canary;
//   - under Argo Rollouts, a PodMonitor of the app's pods: outside a rollout
//     the controller points both Services at the same pods, which a
//     ServiceMonitor would scrape twice, and during one it points the stable
//     Service at the stable pods only, which would leave the canary pods,
//     whose metrics an analysis reads, unscraped. The controller's
//     rollouts-pod-template-hash label tells the revisions apart;
//   - under Flagger, a ServiceMonitor of the "<name>-primary" and
//     "<name>-canary" Services that Flagger creates and labels "app: <service
//     name>"; its "<name>" Service selects the primary pods again and is left
//     out.

// podMonitor renders the PodMonitor of an App under Argo Rollouts.
func (r *renderer) podMonitor() []any {
	m := r.spec.Monitoring
	if m == nil || r.controller() != v1alpha1.CanaryControllerArgoRollouts {
		return nil
	}
	return []any{&PodMonitor{
		TypeMeta:   typeMeta("monitoring.coreos.com/v1", "PodMonitor"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: PodMonitorSpec{
			Selector:            metav1.LabelSelector{MatchLabels: r.rolloutSelector()},
			PodMetricsEndpoints: r.metricsEndpoints(),
			PodTargetLabels:     []string{LabelRolloutsPodTemplateHash},
		},
	}}
}

// serviceMonitor renders the ServiceMonitor of an App, unless it is under
// Argo Rollouts.
func (r *renderer) serviceMonitor() []any {
	if r.spec.Monitoring == nil {
		return nil
	}
	var selector metav1.LabelSelector
	switch r.controller() {
	case v1alpha1.CanaryControllerArgoRollouts:
		return nil
	case v1alpha1.CanaryControllerFlagger:
		selector.MatchExpressions = []metav1.LabelSelectorRequirement{{
			Key:      LabelApp,
			Operator: metav1.LabelSelectorOpIn,
			Values:   []string{r.app.Name + SuffixCanary, r.app.Name + FlaggerPrimarySuffix},
		}}
	default:
		selector.MatchLabels = map[string]string{LabelApp: r.app.Name, LabelManagedBy: ManagedBy}
	}
	return []any{&ServiceMonitor{
		TypeMeta:   typeMeta("monitoring.coreos.com/v1", "ServiceMonitor"),
		ObjectMeta: r.meta(r.app.Name),
		Spec:       ServiceMonitorSpec{Selector: selector, Endpoints: r.metricsEndpoints()},
	}}
}

func (r *renderer) metricsEndpoints() []MetricsEndpoint {
	m := r.spec.Monitoring
	return []MetricsEndpoint{{Port: m.Port, Path: m.Path, Interval: m.Interval}}
}
