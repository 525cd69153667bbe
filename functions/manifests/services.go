package manifests

import (
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// services renders the App's Services: "<name>", which in-cluster callers
// use and every pod of the app backs (with mesh routing, the route splits
// it by weight); the stable and the canary Service, which routing sends
// to; and a StatefulSet's headless Service. Flagger creates its own.
//
// The stable and canary Services each select their own track only, so the
// canary Service never reaches stable pods; under Argo Rollouts both select
// every pod of the app and the controller narrows them with its
// pod-template-hash. Only the stable Service takes the App's service type
// and annotations, with the exposed ports only: the canary Service is
// reached through routing alone and stays ClusterIP, so that it never
// provisions a second load balancer or node port.
func (r *renderer) services() []any {
	if r.controller() == v1alpha1.CanaryControllerFlagger || len(r.spec.Ports) == 0 {
		return nil
	}
	app := &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: map[string]string{LabelApp: r.app.Name},
			Ports:    r.servicePorts(nil),
		},
	}
	out := []any{app, r.service(TrackStable, SuffixStable)}
	if r.spec.Workload == v1alpha1.WorkloadStatefulSet {
		// A StatefulSet has no canary (validation refuses one), so no
		// canary Service: its headless Service instead.
		return append(out, r.headlessService())
	}
	return append(out, r.service(TrackCanary, SuffixCanary))
}

// hasCanaryService tells whether routing has a canary destination: every
// workload but a StatefulSet, which has no canary.
func (r *renderer) hasCanaryService() bool { return r.spec.Workload != v1alpha1.WorkloadStatefulSet }

func (r *renderer) service(track, suffix string) *corev1.Service {
	svc := &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: r.meta(r.app.Name + suffix),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: r.selector(track),
			Ports:    r.servicePorts(nil),
		},
	}
	svc.Labels[LabelTrack] = track
	if r.controller() == v1alpha1.CanaryControllerArgoRollouts {
		svc.Spec.Selector = r.rolloutSelector()
	}
	if s := r.spec.Service; track == TrackStable && s.Type != corev1.ServiceTypeClusterIP {
		svc.Spec.Type = s.Type
		svc.Spec.Ports = r.servicePorts(r.spec.ExposedPorts())
		svc.Spec.ExternalTrafficPolicy = s.ExternalTrafficPolicy
		for i, p := range svc.Spec.Ports {
			svc.Spec.Ports[i].NodePort = r.spec.Ports[slices.IndexFunc(r.spec.Ports, func(q v1alpha1.Port) bool { return q.Name == p.Name })].NodePort
		}
	}
	if track == TrackStable && len(r.spec.Service.Annotations) > 0 {
		if svc.Annotations == nil {
			svc.Annotations = map[string]string{}
		}
		maps.Copy(svc.Annotations, r.spec.Service.Annotations)
	}
	return svc
}

// servicePorts expose the container ports (those named, or all) under their
// names, so that Istio picks the protocol from the name and targetPort
// survives renumbering.
func (r *renderer) servicePorts(names []string) []corev1.ServicePort {
	ports := make([]corev1.ServicePort, 0, len(r.spec.Ports))
	for _, p := range r.spec.Ports {
		if names != nil && !slices.Contains(names, p.Name) {
			continue
		}
		ports = append(ports, corev1.ServicePort{
			Name:       p.Name,
			Port:       p.Port,
			Protocol:   p.Protocol,
			TargetPort: intstr.FromString(p.Name),
		})
	}
	return ports
}
