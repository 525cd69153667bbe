package manifests

import (
	"maps"
	"slices"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// RolloutAPIVersion is the Argo Rollouts API.
const RolloutAPIVersion = "argoproj.io/v1alpha1"

// Rollout is the subset of the Argo Rollouts Rollout (argoproj.io/v1alpha1)
// that slipway renders.
type Rollout struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              RolloutSpec `json:"spec"`
}

// RolloutSpec is the spec of a Rollout with an inline pod template.
type RolloutSpec struct {
	Replicas *int32                 `json:"replicas,omitempty"`
	Selector *metav1.LabelSelector  `json:"selector"`
	Template corev1.PodTemplateSpec `json:"template"`
	Strategy RolloutStrategy        `json:"strategy"`
}

// RolloutStrategy holds the canary strategy.
type RolloutStrategy struct {
	Canary RolloutCanary `json:"canary"`
}

// RolloutCanary is the canary strategy: the Service pair, the traffic
// routing and the steps.
type RolloutCanary struct {
	StableService  string                `json:"stableService"`
	CanaryService  string                `json:"canaryService"`
	TrafficRouting RolloutTrafficRouting `json:"trafficRouting"`
	Analysis       *RolloutAnalysis      `json:"analysis,omitempty"`
	Steps          []RolloutStep         `json:"steps,omitempty"`
}

// RolloutAnalysis runs analyses in the background of a rollout.
type RolloutAnalysis struct {
	Templates []RolloutAnalysisTemplate `json:"templates"`
}

// RolloutAnalysisTemplate names an AnalysisTemplate.
type RolloutAnalysisTemplate struct {
	TemplateName string `json:"templateName"`
}

// RolloutTrafficRouting routes through Istio, and names the routes the
// controller adds itself (a header route for a preview).
type RolloutTrafficRouting struct {
	Istio         RolloutIstio          `json:"istio"`
	ManagedRoutes []RolloutManagedRoute `json:"managedRoutes,omitempty"`
}

// RolloutManagedRoute is a route the controller manages in the
// VirtualService.
type RolloutManagedRoute struct {
	Name string `json:"name"`
}

// RolloutIstio names the VirtualService whose weights the controller sets.
type RolloutIstio struct {
	VirtualService RolloutVirtualService `json:"virtualService"`
}

// RolloutVirtualService names the VirtualService and the routes in it that
// carry the split.
type RolloutVirtualService struct {
	Name   string   `json:"name"`
	Routes []string `json:"routes"`
}

// RolloutStep is one canary step: setWeight, pause or setHeaderRoute.
type RolloutStep struct {
	SetWeight      *int32              `json:"setWeight,omitempty"`
	Pause          *RolloutPause       `json:"pause,omitempty"`
	SetHeaderRoute *RolloutHeaderRoute `json:"setHeaderRoute,omitempty"`
}

// RolloutHeaderRoute sends the requests that match to the canary.
type RolloutHeaderRoute struct {
	Name  string               `json:"name"`
	Match []RolloutHeaderMatch `json:"match"`
}

// RolloutHeaderMatch matches one header.
type RolloutHeaderMatch struct {
	HeaderName  string      `json:"headerName"`
	HeaderValue StringMatch `json:"headerValue"`
}

// RolloutPause waits for a duration, or for promotion when it has none.
type RolloutPause struct {
	Duration string `json:"duration,omitempty"`
}

// scaleTarget is the workload the HorizontalPodAutoscaler scales.
func (r *renderer) scaleTarget() autoscalingv2.CrossVersionObjectReference {
	if r.controller() == v1alpha1.CanaryControllerArgoRollouts {
		return autoscalingv2.CrossVersionObjectReference{APIVersion: RolloutAPIVersion, Kind: "Rollout", Name: r.app.Name}
	}
	return autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: r.spec.Workload, Name: r.app.Name}
}

// rolloutSelector selects every pod of the Rollout. Stable and canary pods
// of a Rollout share one template, so they carry no track label: the
// controller tells them apart by its rollouts-pod-template-hash, which it
// also adds to the selectors of the stable and canary Services.
func (r *renderer) rolloutSelector() map[string]string {
	return map[string]string{LabelApp: r.app.Name}
}

// rollout renders the Argo Rollouts Rollout that replaces the Deployments.
//
// The pod template is inline rather than a workloadRef to a Deployment: a
// referenced Deployment must be kept at zero replicas beside the Rollout,
// which doubles the objects to read and lets a sync of the Deployment start
// pods the Rollout does not manage.
//
// The template's image is canary.image when set: that is the version being
// rolled out, and the controller moves it through the steps until it is
// promoted to stable. Without a canary image the template runs spec.image,
// and any change of it is rolled out through the same steps.
func (r *renderer) rollout() []any {
	if r.controller() != v1alpha1.CanaryControllerArgoRollouts {
		return nil
	}
	c := r.spec.Canary
	image := r.spec.Image
	if c.Image != "" {
		image = c.Image
	}
	template := r.podTemplate(r.servingPod(TrackStable, image))
	delete(template.Labels, LabelTrack)
	replicas := r.spec.Replicas
	if r.spec.Autoscaling != nil {
		replicas = nil // the HorizontalPodAutoscaler owns it
	}
	steps := make([]RolloutStep, 0, len(c.Steps)+1)
	routing := RolloutTrafficRouting{Istio: RolloutIstio{
		// The route is listed explicitly: the controller sets the weights
		// of the listed routes only, and a VirtualService route it is not
		// told about keeps sending everything to stable whatever setWeight
		// says.
		VirtualService: RolloutVirtualService{Name: r.app.Name, Routes: []string{RouteName}},
	}}
	if m := r.previewMatch(); m != nil {
		// A preview is the controller's own header route, set first, so
		// that testers reach the canary from its first step on.
		route := RolloutHeaderRoute{Name: RoutePreview}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			route.Match = append(route.Match, RolloutHeaderMatch{HeaderName: name, HeaderValue: m[name]})
		}
		routing.ManagedRoutes = []RolloutManagedRoute{{Name: RoutePreview}}
		steps = append(steps, RolloutStep{SetHeaderRoute: &route})
	}
	for _, s := range c.Steps {
		step := RolloutStep{SetWeight: s.SetWeight}
		if s.Pause != nil {
			step.Pause = &RolloutPause{Duration: s.Pause.Duration}
		}
		steps = append(steps, step)
	}
	return []any{&Rollout{
		TypeMeta:   typeMeta(RolloutAPIVersion, "Rollout"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: RolloutSpec{
			Replicas: replicas,
			Selector: &metav1.LabelSelector{MatchLabels: r.rolloutSelector()},
			Template: template,
			Strategy: RolloutStrategy{Canary: RolloutCanary{
				StableService:  r.app.Name + SuffixStable,
				CanaryService:  r.app.Name + SuffixCanary,
				TrafficRouting: routing,
				Analysis:       r.rolloutAnalysis(),
				Steps:          steps,
			}},
		},
	}}
}

// rolloutAnalysis runs the SLO's analysis (see analysisTemplate) in the
// background of every rollout, when the App has an SLO.
func (r *renderer) rolloutAnalysis() *RolloutAnalysis {
	if len(r.objectives()) == 0 {
		return nil
	}
	return &RolloutAnalysis{Templates: []RolloutAnalysisTemplate{{TemplateName: r.app.Name + "-slo"}}}
}
