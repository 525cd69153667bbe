package manifests

import (
	"maps"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// services renders the stable and the canary Service. Each selects its own
// track only, so the canary Service never reaches stable pods; under Argo
// Rollouts both select every pod of the app and the controller narrows them
// with its pod-template-hash. Flagger creates its own Services.
//
// Each Service carries the track label too, so that a ServiceMonitor can
// tell them apart. Only the stable Service takes the App's service type and
// annotations: the canary Service is reached through routing alone and stays
// ClusterIP, so that it never provisions a second load balancer or node port.
func (r *renderer) services() []any {
	if r.controller() == v1alpha1.CanaryControllerFlagger || len(r.spec.Ports) == 0 {
		return nil
	}
	out := []any{r.service(TrackStable, SuffixStable), r.service(TrackCanary, SuffixCanary)}
	if r.spec.Workload == v1alpha1.WorkloadStatefulSet {
		out = append(out, r.headlessService())
	}
	return out
}

func (r *renderer) service(track, suffix string) *corev1.Service {
	svc := &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: r.meta(r.app.Name + suffix),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: r.selector(track),
			Ports:    r.servicePorts(),
		},
	}
	svc.Labels[LabelTrack] = track
	if track == TrackStable {
		svc.Spec.Type = r.spec.Service.Type
	}
	if r.spec.Canary != nil && r.spec.Canary.Controller == v1alpha1.CanaryControllerArgoRollouts {
		svc.Spec.Selector = r.rolloutSelector()
	}
	if track == TrackStable && len(r.spec.Service.Annotations) > 0 {
		if svc.Annotations == nil {
			svc.Annotations = map[string]string{}
		}
		maps.Copy(svc.Annotations, r.spec.Service.Annotations)
	}
	if track == TrackStable && r.spec.Service.NodePort != 0 {
		svc.Spec.Ports[0].NodePort = r.spec.Service.NodePort
	}
	return svc
}

// servicePorts expose every container port under its name, so that Istio
// picks the protocol from the name and targetPort survives renumbering.
func (r *renderer) servicePorts() []corev1.ServicePort {
	ports := make([]corev1.ServicePort, len(r.spec.Ports))
	for i, p := range r.spec.Ports {
		ports[i] = corev1.ServicePort{
			Name:       p.Name,
			Port:       p.Port,
			Protocol:   p.Protocol,
			TargetPort: intstr.FromString(p.Name),
		}
	}
	return ports
}
