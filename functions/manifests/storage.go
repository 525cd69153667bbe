package manifests

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// SuffixHeadless names the headless Service of a StatefulSet, which gives
// each of its pods a stable DNS name.
const SuffixHeadless = "-headless"

// claimName is the PersistentVolumeClaim rendered for a storage volume of
// a Deployment.
func (r *renderer) claimName(volume string) string { return r.app.Name + "-" + volume }

// persistentVolumeClaims renders a claim per storage volume of an App whose
// serving pods are a Deployment; a StatefulSet claims a volume per pod
// through its volumeClaimTemplates instead.
func (r *renderer) persistentVolumeClaims() []any {
	if r.spec.Workload != v1alpha1.WorkloadDeployment {
		return nil
	}
	var out []any
	for _, vol := range r.spec.Volumes {
		if vol.Storage != nil {
			claim := r.claim(vol)
			claim.TypeMeta = typeMeta("v1", "PersistentVolumeClaim")
			claim.ObjectMeta = r.meta(r.claimName(vol.Name))
			out = append(out, &claim)
		}
	}
	return out
}

// claim is the claim of a storage volume.
func (r *renderer) claim(vol v1alpha1.Volume) corev1.PersistentVolumeClaim {
	st := vol.Storage
	claim := corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: st.AccessModes,
		Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: *st.Size}},
	}}
	if st.StorageClassName != "" {
		claim.Spec.StorageClassName = ptr(st.StorageClassName)
	}
	return claim
}

// statefulSet renders the serving pods of an App with workload StatefulSet:
// the stable track, governed by the headless Service, with a claim per pod
// and storage volume.
func (r *renderer) statefulSet() []any {
	if r.spec.Workload != v1alpha1.WorkloadStatefulSet {
		return nil
	}
	replicas := r.spec.Replicas
	if r.spec.Autoscaling != nil {
		replicas = nil
	}
	var templates []corev1.PersistentVolumeClaim
	for _, vol := range r.spec.Volumes {
		if vol.Storage != nil {
			claim := r.claim(vol)
			claim.ObjectMeta = metav1.ObjectMeta{Name: vol.Name, Labels: r.labels()}
			templates = append(templates, claim)
		}
	}
	return []any{&appsv1.StatefulSet{
		TypeMeta:   typeMeta("apps/v1", "StatefulSet"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: appsv1.StatefulSetSpec{
			Replicas:             replicas,
			ServiceName:          r.app.Name + SuffixHeadless,
			Selector:             &metav1.LabelSelector{MatchLabels: r.workloadSelector(TrackStable)},
			Template:             r.podTemplate(r.servingPod(TrackStable, r.spec.Image)),
			VolumeClaimTemplates: templates,
		},
	}}
}

// headlessService gives each pod of a StatefulSet its DNS name
// (<pod>.<app>-headless), and lists the pods whether ready or not only as
// Kubernetes' default does (ready ones).
func (r *renderer) headlessService() *corev1.Service {
	svc := &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: r.meta(r.app.Name + SuffixHeadless),
		Spec: corev1.ServiceSpec{
			ClusterIP: corev1.ClusterIPNone,
			Selector:  r.selector(TrackStable),
			Ports:     r.servicePorts(nil),
		},
	}
	svc.Labels[LabelTrack] = TrackStable
	return svc
}
