package manifests

import (
	"maps"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// ScaledObject is the subset of the KEDA ScaledObject (keda.sh/v1alpha1)
// that slipway renders.
type ScaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ScaledObjectSpec `json:"spec"`
}

// ScaledObjectSpec scales a workload from its triggers.
type ScaledObjectSpec struct {
	ScaleTargetRef  ScaleTarget   `json:"scaleTargetRef"`
	MinReplicaCount *int32        `json:"minReplicaCount,omitempty"`
	MaxReplicaCount *int32        `json:"maxReplicaCount,omitempty"`
	Advanced        *KedaAdvanced `json:"advanced,omitempty"`
	Triggers        []KedaTrigger `json:"triggers"`
}

// ScaleTarget names the workload to scale.
type ScaleTarget struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
}

// KedaAdvanced carries the behavior of the autoscaler KEDA makes.
type KedaAdvanced struct {
	HorizontalPodAutoscalerConfig KedaHPAConfig `json:"horizontalPodAutoscalerConfig"`
}

// KedaHPAConfig is the autoscaler's behavior.
type KedaHPAConfig struct {
	Behavior *autoscalingv2.HorizontalPodAutoscalerBehavior `json:"behavior"`
}

// KedaTrigger is one scaler.
type KedaTrigger struct {
	Type              string            `json:"type"`
	Metadata          map[string]string `json:"metadata"`
	AuthenticationRef *KedaAuthRef      `json:"authenticationRef,omitempty"`
}

// KedaAuthRef names a TriggerAuthentication.
type KedaAuthRef struct {
	Name string `json:"name"`
}

// scaledObjects render a KEDA ScaledObject for the App and each worker
// that scales on triggers; KEDA then manages their autoscaler, which
// slipway does not render.
func (r *renderer) scaledObjects() []any {
	var out []any
	if a := r.spec.Autoscaling; a != nil && len(a.Triggers) > 0 {
		target := r.scaleTarget()
		out = append(out, scaledObject(r.meta(r.app.Name), a, ScaleTarget{APIVersion: target.APIVersion, Kind: target.Kind, Name: target.Name}))
	}
	for _, w := range r.spec.Workers {
		if a := w.Autoscaling; a != nil && len(a.Triggers) > 0 {
			out = append(out, scaledObject(r.processMeta(w.Name), a, ScaleTarget{APIVersion: "apps/v1", Kind: "Deployment", Name: r.app.Name + "-" + w.Name}))
		}
	}
	return out
}

func scaledObject(meta metav1.ObjectMeta, a *v1alpha1.Autoscaling, target ScaleTarget) *ScaledObject {
	spec := ScaledObjectSpec{ScaleTargetRef: target, MinReplicaCount: a.MinReplicas, MaxReplicaCount: &a.MaxReplicas}
	if a.Behavior != nil {
		spec.Advanced = &KedaAdvanced{HorizontalPodAutoscalerConfig: KedaHPAConfig{Behavior: a.Behavior.DeepCopy()}}
	}
	for _, t := range a.Triggers {
		trigger := KedaTrigger{Type: t.Type, Metadata: maps.Clone(t.Metadata)}
		if t.AuthenticationRef != nil {
			trigger.AuthenticationRef = &KedaAuthRef{Name: t.AuthenticationRef.Name}
		}
		spec.Triggers = append(spec.Triggers, trigger)
	}
	return &ScaledObject{TypeMeta: typeMeta("keda.sh/v1alpha1", "ScaledObject"), ObjectMeta: meta, Spec: spec}
}
