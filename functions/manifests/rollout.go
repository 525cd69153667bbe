package manifests

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// scaleTarget is the workload the HorizontalPodAutoscaler scales.
func (r *renderer) scaleTarget() autoscalingv2.CrossVersionObjectReference {
	if c := r.spec.Canary; c != nil && c.Controller == v1alpha1.CanaryControllerArgoRollouts {
		return autoscalingv2.CrossVersionObjectReference{APIVersion: "argoproj.io/v1alpha1", Kind: "Rollout", Name: r.app.Name}
	}
	return autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: r.app.Name}
}

// rollout renders the Argo Rollouts Rollout. (not yet implemented)
func (r *renderer) rollout() []any { return nil }
