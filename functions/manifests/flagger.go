package manifests

import (
	"maps"
	"strconv"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// FlaggerAPIVersion is the Flagger API.
const FlaggerAPIVersion = "flagger.app/v1beta1"

// Thresholds of Flagger's built-in metrics, as in Flagger's own examples:
// at least 99% of requests succeed, and the 99th percentile of request
// durations stays under 500 milliseconds.
const (
	FlaggerMinSuccessRate = 99
	FlaggerMaxDurationMS  = 500
)

// FlaggerCanary is the subset of the Flagger Canary (flagger.app/v1beta1)
// that slipway renders.
type FlaggerCanary struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              FlaggerCanarySpec `json:"spec"`
}

// FlaggerCanarySpec is the spec of a Canary.
type FlaggerCanarySpec struct {
	TargetRef     FlaggerRef      `json:"targetRef"`
	AutoscalerRef *FlaggerRef     `json:"autoscalerRef,omitempty"`
	Service       FlaggerService  `json:"service"`
	Analysis      FlaggerAnalysis `json:"analysis"`
}

// FlaggerRef refers to an object of the app.
type FlaggerRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
}

// FlaggerService describes the Services and the VirtualService Flagger
// creates.
type FlaggerService struct {
	Port          int32               `json:"port"`
	TargetPort    *intstr.IntOrString `json:"targetPort,omitempty"`
	PortName      string              `json:"portName,omitempty"`
	PortDiscovery bool                `json:"portDiscovery,omitempty"`
	Gateways      []string            `json:"gateways,omitempty"`
	Hosts         []string            `json:"hosts,omitempty"`
	Headers       *Headers            `json:"headers,omitempty"`
	Timeout       string              `json:"timeout,omitempty"`
	Retries       *HTTPRetry          `json:"retries,omitempty"`
	TrafficPolicy *TrafficPolicy      `json:"trafficPolicy,omitempty"`
}

// FlaggerAnalysis is the analysis schedule and its metrics.
type FlaggerAnalysis struct {
	Interval   string          `json:"interval"`
	Threshold  int32           `json:"threshold"`
	MaxWeight  int32           `json:"maxWeight"`
	StepWeight int32           `json:"stepWeight"`
	Metrics    []FlaggerMetric `json:"metrics"`
}

// FlaggerMetric is one metric check of the analysis.
type FlaggerMetric struct {
	Name           string                `json:"name"`
	TemplateRef    *FlaggerTemplateRef   `json:"templateRef,omitempty"`
	Interval       string                `json:"interval"`
	ThresholdRange FlaggerThresholdRange `json:"thresholdRange"`
}

// FlaggerTemplateRef names a MetricTemplate.
type FlaggerTemplateRef struct {
	Name string `json:"name"`
}

// FlaggerThresholdRange is the accepted range of a metric.
type FlaggerThresholdRange struct {
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// flaggerCanary renders the Flagger Canary that drives the Deployment.
// Flagger creates the "<name>", "<name>-primary" and "<name>-canary"
// Services and the VirtualService itself, so slipway renders none of them
// (services.go and routing.go), but keeps a Gateway it creates.
//
// The Services Flagger creates expose the first port under its name and, with
// portDiscovery, the others under theirs: the same ports as ours.
func (r *renderer) flaggerCanary() []any {
	if r.controller() != v1alpha1.CanaryControllerFlagger {
		return nil
	}
	s, a := r.spec, r.spec.Canary.Analysis
	first := s.Ports[0]
	targetPort := intstr.FromString(first.Name)
	service := FlaggerService{
		Port:          first.Port,
		TargetPort:    &targetPort,
		PortName:      first.Name,
		PortDiscovery: len(s.Ports) > 1,
	}
	if routing := s.Routing; routing != nil {
		if len(routing.Hosts) > 0 {
			service.Gateways = []string{r.gatewayName()}
		}
		if *routing.Mesh {
			service.Gateways = append(service.Gateways, MeshGateway)
		}
		service.Hosts = routing.Hosts
		if len(routing.RequestHeaders) > 0 {
			service.Headers = &Headers{Request: HeaderOperations{Set: maps.Clone(routing.RequestHeaders)}}
		}
		service.Timeout = routing.Timeout
		if re := routing.Retries; re != nil {
			service.Retries = &HTTPRetry{Attempts: re.Attempts, PerTryTimeout: re.PerTryTimeout, RetryOn: re.RetryOn}
		}
		service.TrafficPolicy = r.trafficPolicy()
	}
	spec := FlaggerCanarySpec{
		TargetRef: FlaggerRef{APIVersion: "apps/v1", Kind: "Deployment", Name: r.app.Name},
		Service:   service,
		Analysis: FlaggerAnalysis{
			Interval:   a.Interval,
			Threshold:  *a.Threshold,
			MaxWeight:  *a.MaxWeight,
			StepWeight: *a.StepWeight,
			Metrics: []FlaggerMetric{
				{Name: "request-success-rate", Interval: a.Interval, ThresholdRange: FlaggerThresholdRange{Min: ptr[float64](FlaggerMinSuccessRate)}},
				{Name: "request-duration", Interval: a.Interval, ThresholdRange: FlaggerThresholdRange{Max: ptr[float64](FlaggerMaxDurationMS)}},
			},
		},
	}
	// The SLO's objectives, each bounded by the fast burn rate of its
	// budget (see metricTemplates).
	for _, o := range r.objectives() {
		threshold, _ := strconv.ParseFloat(canaryFailureThreshold(o), 64)
		spec.Analysis.Metrics = append(spec.Analysis.Metrics, FlaggerMetric{
			Name: o.name, TemplateRef: &FlaggerTemplateRef{Name: o.name}, Interval: a.Interval,
			ThresholdRange: FlaggerThresholdRange{Max: &threshold},
		})
	}
	if s.Autoscaling != nil {
		spec.AutoscalerRef = &FlaggerRef{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler", Name: r.app.Name}
	}
	return []any{&FlaggerCanary{
		TypeMeta:   typeMeta(FlaggerAPIVersion, "Canary"),
		ObjectMeta: r.meta(r.app.Name),
		Spec:       spec,
	}}
}
