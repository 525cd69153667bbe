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
	Selector  metav1.LabelSelector     `json:"selector"`
	Endpoints []ServiceMonitorEndpoint `json:"endpoints"`
}

// ServiceMonitorEndpoint is one scraped port.
type ServiceMonitorEndpoint struct {
	Port     string `json:"port"`
	Path     string `json:"path"`
	Interval string `json:"interval"`
}

// serviceMonitor renders the Prometheus Operator ServiceMonitor. It selects
// the Services through which every pod of the app is scraped exactly once:
//
//   - without a canary controller, our stable and canary Services: they
//     select disjoint tracks, and the "service" label of each series tells
//     stable from canary;
//   - under Argo Rollouts, the stable Service only: outside a rollout the
//     controller points both Services at the same pods, which would scrape
//     them twice (canary pods are not scraped while a rollout runs);
//   - under Flagger, the "<name>-primary" and "<name>-canary" Services that
//     Flagger creates and labels "app: <service name>"; its "<name>" Service
//     selects the primary pods again and is left out.
func (r *renderer) serviceMonitor() []any {
	m := r.spec.Monitoring
	if m == nil {
		return nil
	}
	var selector metav1.LabelSelector
	switch r.controller() {
	case v1alpha1.CanaryControllerArgoRollouts:
		selector.MatchLabels = map[string]string{LabelApp: r.app.Name, LabelManagedBy: ManagedBy, LabelTrack: TrackStable}
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
		Spec: ServiceMonitorSpec{
			Selector:  selector,
			Endpoints: []ServiceMonitorEndpoint{{Port: m.Port, Path: m.Path, Interval: m.Interval}},
		},
	}}
}
