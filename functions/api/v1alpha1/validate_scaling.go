package v1alpha1

import (
	"maps"
	"slices"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// scaling checks what autoscaling takes beside its CPU and memory targets:
// metrics and behavior as the API server checks them, and KEDA triggers,
// which replace the HorizontalPodAutoscaler and so its targets.
func (v *validator) scaling(a *Autoscaling, path *field.Path) {
	for i, m := range a.Metrics {
		v.metric(m, path.Child("metrics").Index(i))
	}
	if b := a.Behavior; b != nil {
		for _, rules := range []struct {
			name  string
			rules *autoscalingv2.HPAScalingRules
		}{{"scaleUp", b.ScaleUp}, {"scaleDown", b.ScaleDown}} {
			if rules.rules != nil {
				v.scalingRules(rules.rules, path.Child("behavior", rules.name))
			}
		}
	}
	if len(a.Triggers) == 0 {
		return
	}
	if a.TargetCPUUtilizationPercentage != nil || a.TargetMemoryUtilizationPercentage != nil || len(a.Metrics) > 0 {
		v.add(path.Child("triggers"), "with triggers KEDA scales, not a HorizontalPodAutoscaler: express the CPU, memory and other targets as triggers (types cpu, memory, prometheus, ...)")
	}
	for i, t := range a.Triggers {
		p := path.Child("triggers").Index(i)
		v.required(p.Child("type"), t.Type)
		if len(t.Metadata) == 0 {
			v.add(p.Child("metadata"), "required: the scaler's settings, as KEDA documents them for its type")
		}
		for _, k := range slices.Sorted(maps.Keys(t.Metadata)) {
			if k == "" {
				v.add(p.Child("metadata"), "has an empty key")
			}
		}
		if ref := t.AuthenticationRef; ref != nil && v.required(p.Child("authenticationRef", "name"), ref.Name) {
			v.messages(p.Child("authenticationRef", "name"), ref.Name, validation.IsDNS1123Subdomain(ref.Name))
		}
	}
}

// metric checks that a metric's type has its source, and a target.
func (v *validator) metric(m autoscalingv2.MetricSpec, path *field.Path) {
	sources := map[autoscalingv2.MetricSourceType]bool{
		autoscalingv2.ResourceMetricSourceType:          m.Resource != nil,
		autoscalingv2.ContainerResourceMetricSourceType: m.ContainerResource != nil,
		autoscalingv2.PodsMetricSourceType:              m.Pods != nil,
		autoscalingv2.ObjectMetricSourceType:            m.Object != nil,
		autoscalingv2.ExternalMetricSourceType:          m.External != nil,
	}
	set := 0
	for _, ok := range sources {
		if ok {
			set++
		}
	}
	has, known := sources[m.Type]
	switch {
	case !known:
		enum[autoscalingv2.MetricSpec](v, path.Child("type"), "type", string(m.Type))
	case !has || set != 1:
		v.add(path, "type %s needs its source (and only it) set", m.Type)
	}
	var target *autoscalingv2.MetricTarget
	var name string
	switch {
	case m.Pods != nil:
		target, name = &m.Pods.Target, m.Pods.Metric.Name
	case m.Object != nil:
		target, name = &m.Object.Target, m.Object.Metric.Name
	case m.External != nil:
		target, name = &m.External.Target, m.External.Metric.Name
	case m.Resource != nil:
		target, name = &m.Resource.Target, string(m.Resource.Name)
	case m.ContainerResource != nil:
		target, name = &m.ContainerResource.Target, string(m.ContainerResource.Name)
	}
	if target == nil {
		return
	}
	if name == "" {
		v.add(path, "needs the metric's name")
	}
	switch target.Type {
	case autoscalingv2.UtilizationMetricType:
		if target.AverageUtilization == nil || *target.AverageUtilization < 1 {
			v.add(path, "a Utilization target needs averageUtilization of at least 1")
		}
	case autoscalingv2.AverageValueMetricType:
		if target.AverageValue == nil || target.AverageValue.Sign() <= 0 {
			v.add(path, "an AverageValue target needs a positive averageValue")
		}
	case autoscalingv2.ValueMetricType:
		if target.Value == nil || target.Value.Sign() <= 0 {
			v.add(path, "a Value target needs a positive value")
		}
	default:
		v.add(path, "the target's type must be one of Utilization, AverageValue, Value, got %q", string(target.Type))
	}
}

// scalingRules checks one direction of the behavior, within the API
// server's bounds.
func (v *validator) scalingRules(r *autoscalingv2.HPAScalingRules, path *field.Path) {
	if w := r.StabilizationWindowSeconds; w != nil && (*w < 0 || *w > 3600) {
		v.add(path.Child("stabilizationWindowSeconds"), "must be between 0 and 3600, got %d", *w)
	}
	if p := r.SelectPolicy; p != nil {
		enum[autoscalingv2.HPAScalingRules](v, path.Child("selectPolicy"), "selectPolicy", string(*p))
	}
	for i, pol := range r.Policies {
		p := path.Child("policies").Index(i)
		enum[autoscalingv2.HPAScalingPolicy](v, p.Child("type"), "type", string(pol.Type))
		if pol.Value < 1 {
			v.add(p.Child("value"), "must be at least 1, got %d", pol.Value)
		}
		if pol.PeriodSeconds < 1 || pol.PeriodSeconds > 1800 {
			v.add(p.Child("periodSeconds"), "must be between 1 and 1800, got %d", pol.PeriodSeconds)
		}
	}
}
