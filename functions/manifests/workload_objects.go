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

// configMap renders the app's configuration, and its SLO dashboard.
func (r *renderer) configMap() []any {
	var out []any
	if r.spec.Config != nil {
		out = append(out, &corev1.ConfigMap{
			TypeMeta:   typeMeta("v1", "ConfigMap"),
			ObjectMeta: r.meta(r.app.Name + SuffixConfig),
			Data:       maps.Clone(r.spec.Config.Data),
		})
	}
	if d := r.dashboard(); d != nil {
		out = append(out, d)
	}
	return out
}

// autoscaler renders the HorizontalPodAutoscaler of the stable workload
// and of each worker that autoscales.
func (r *renderer) autoscaler() []any {
	var out []any
	if a := r.spec.Autoscaling; a != nil && len(a.Triggers) == 0 {
		out = append(out, horizontalPodAutoscaler(r.meta(r.app.Name), a, r.scaleTarget()))
	}
	for _, w := range r.spec.Workers {
		if w.Autoscaling != nil && len(w.Autoscaling.Triggers) == 0 {
			target := autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: r.app.Name + "-" + w.Name}
			out = append(out, horizontalPodAutoscaler(r.processMeta(w.Name), w.Autoscaling, target))
		}
	}
	return out
}

func horizontalPodAutoscaler(meta metav1.ObjectMeta, a *v1alpha1.Autoscaling, target autoscalingv2.CrossVersionObjectReference) *autoscalingv2.HorizontalPodAutoscaler {
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
	for _, m := range a.Metrics {
		metrics = append(metrics, *m.DeepCopy())
	}
	return &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   typeMeta("autoscaling/v2", "HorizontalPodAutoscaler"),
		ObjectMeta: meta,
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: target,
			MinReplicas:    a.MinReplicas,
			MaxReplicas:    a.MaxReplicas,
			Metrics:        metrics,
			Behavior:       a.Behavior.DeepCopy(),
		},
	}
}

// disruptionBudget renders the PodDisruptionBudget of the serving pods and
// of each worker that has one. For the serving pods it selects the stable
// track; under Argo Rollouts every pod of the Rollout (stable and canary
// pods differ only by the controller's hash); under Flagger the primary
// pods, which Flagger labels "app: <name>-primary" (it renames the one
// selector label it finds, and "app" is the only one of its selector
// labels our Deployment's selector has). The Deployment Flagger targets is
// scaled to zero between analyses, so a budget on its labels would protect
// nothing.
func (r *renderer) disruptionBudget() []any {
	var out []any
	if b := r.spec.DisruptionBudget; b != nil {
		selector := r.selector(TrackStable)
		switch r.controller() {
		case v1alpha1.CanaryControllerArgoRollouts:
			selector = r.rolloutSelector()
		case v1alpha1.CanaryControllerFlagger:
			selector = map[string]string{LabelApp: r.app.Name + FlaggerPrimarySuffix}
		}
		out = append(out, podDisruptionBudget(r.meta(r.app.Name), b, selector))
	}
	for _, w := range r.spec.Workers {
		if w.DisruptionBudget != nil {
			out = append(out, podDisruptionBudget(r.processMeta(w.Name), w.DisruptionBudget, r.processSelector(w.Name)))
		}
	}
	return out
}

func podDisruptionBudget(meta metav1.ObjectMeta, b *v1alpha1.DisruptionBudget, selector map[string]string) *policyv1.PodDisruptionBudget {
	return &policyv1.PodDisruptionBudget{
		TypeMeta:   typeMeta("policy/v1", "PodDisruptionBudget"),
		ObjectMeta: meta,
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable:   b.MinAvailable,
			MaxUnavailable: b.MaxUnavailable,
			Selector:       &metav1.LabelSelector{MatchLabels: selector},
		},
	}
}
