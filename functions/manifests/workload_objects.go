package manifests

import (
	"maps"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// serviceAccount renders the pods' ServiceAccount when the App asks for one.
func (r *renderer) serviceAccount() []any {
	sa := r.spec.ServiceAccount
	if sa == nil || !*sa.Create {
		return nil
	}
	meta := r.meta(sa.Name)
	if len(sa.Annotations) > 0 {
		if meta.Annotations == nil {
			meta.Annotations = map[string]string{}
		}
		maps.Copy(meta.Annotations, sa.Annotations)
	}
	return []any{&corev1.ServiceAccount{
		TypeMeta:                     typeMeta("v1", "ServiceAccount"),
		ObjectMeta:                   meta,
		AutomountServiceAccountToken: sa.AutomountToken,
	}}
}

// configMap renders the app's configuration.
func (r *renderer) configMap() []any {
	if r.spec.Config == nil {
		return nil
	}
	return []any{&corev1.ConfigMap{
		TypeMeta:   typeMeta("v1", "ConfigMap"),
		ObjectMeta: r.meta(r.app.Name + SuffixConfig),
		Data:       maps.Clone(r.spec.Config.Data),
	}}
}

// autoscaler renders the HorizontalPodAutoscaler of the stable workload.
func (r *renderer) autoscaler() []any {
	a := r.spec.Autoscaling
	if a == nil {
		return nil
	}
	var metrics []autoscalingv2.MetricSpec
	for _, t := range []struct {
		name   corev1.ResourceName
		target *int32
	}{{corev1.ResourceCPU, a.TargetCPUUtilizationPercentage}, {corev1.ResourceMemory, a.TargetMemoryUtilizationPercentage}} {
		if t.target == nil {
			continue
		}
		metrics = append(metrics, autoscalingv2.MetricSpec{
			Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{
				Name:   t.name,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: t.target},
			},
		})
	}
	return []any{&autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   typeMeta("autoscaling/v2", "HorizontalPodAutoscaler"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: r.scaleTarget(),
			MinReplicas:    a.MinReplicas,
			MaxReplicas:    a.MaxReplicas,
			Metrics:        metrics,
		},
	}}
}

// disruptionBudget renders the PodDisruptionBudget of the serving pods: the
// stable track; under Argo Rollouts every pod of the Rollout (stable and
// canary pods differ only by the controller's hash); under Flagger the
// primary pods, which Flagger labels "app: <name>-primary" (it renames the
// one selector label it finds, and "app" is the only one of its selector
// labels our Deployment's selector has). The Deployment Flagger targets is
// scaled to zero between analyses, so a budget on its labels would protect
// nothing.
func (r *renderer) disruptionBudget() []any {
	b := r.spec.DisruptionBudget
	if b == nil {
		return nil
	}
	selector := r.selector(TrackStable)
	switch r.controller() {
	case v1alpha1.CanaryControllerArgoRollouts:
		selector = r.rolloutSelector()
	case v1alpha1.CanaryControllerFlagger:
		selector = map[string]string{LabelApp: r.app.Name + FlaggerPrimarySuffix}
	}
	return []any{&policyv1.PodDisruptionBudget{
		TypeMeta:   typeMeta("policy/v1", "PodDisruptionBudget"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable:   b.MinAvailable,
			MaxUnavailable: b.MaxUnavailable,
			Selector:       &metav1.LabelSelector{MatchLabels: selector},
		},
	}}
}
