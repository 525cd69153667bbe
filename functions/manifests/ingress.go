package manifests

import (
	"maps"
	"sort"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// GatewayAPIVersion is the Gateway API.
const GatewayAPIVersion = "gateway.networking.k8s.io/v1"

// GatewayHTTPRoute is the subset of the Gateway API HTTPRoute
// (gateway.networking.k8s.io/v1) that slipway renders. The fields the API
// server would default inside lists (parentRefs group and kind, backendRefs
// group and kind, the "/" path match) are rendered: a GitOps diff of a list
// compares whole items, so a defaulted field would show as a change forever.
type GatewayHTTPRoute struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              GatewayHTTPRouteSpec `json:"spec"`
}

// GatewayHTTPRouteSpec is the spec of an HTTPRoute.
type GatewayHTTPRouteSpec struct {
	ParentRefs []GatewayParentRef     `json:"parentRefs"`
	Hostnames  []string               `json:"hostnames"`
	Rules      []GatewayHTTPRouteRule `json:"rules"`
}

// GatewayParentRef is a Gateway the route attaches to.
type GatewayParentRef struct {
	Group     string `json:"group"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
}

// GatewayHTTPRouteRule matches requests and sends them to weighted backends.
type GatewayHTTPRouteRule struct {
	Matches     []GatewayHTTPRouteMatch `json:"matches"`
	Filters     []GatewayHTTPFilter     `json:"filters,omitempty"`
	BackendRefs []GatewayBackendRef     `json:"backendRefs"`
}

// GatewayHTTPRouteMatch matches a path.
type GatewayHTTPRouteMatch struct {
	Path GatewayPathMatch `json:"path"`
}

// GatewayPathMatch is a path match.
type GatewayPathMatch struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// GatewayHTTPFilter modifies requests.
type GatewayHTTPFilter struct {
	Type                  string                 `json:"type"`
	RequestHeaderModifier *GatewayHeaderModifier `json:"requestHeaderModifier,omitempty"`
}

// GatewayHeaderModifier sets request headers.
type GatewayHeaderModifier struct {
	Set []GatewayHeader `json:"set"`
}

// GatewayHeader is one header.
type GatewayHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// GatewayBackendRef is a weighted Service port.
type GatewayBackendRef struct {
	Group  string `json:"group"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Port   int32  `json:"port"`
	Weight int32  `json:"weight"`
}

// ingressMeta is the metadata of an Ingress or HTTPRoute: the App's
// ingress annotations beside the Platform's.
func (r *renderer) ingressMeta() metav1.ObjectMeta {
	meta := r.meta(r.app.Name)
	if a := r.spec.Routing.Ingress.Annotations; len(a) > 0 {
		if meta.Annotations == nil {
			meta.Annotations = map[string]string{}
		}
		maps.Copy(meta.Annotations, a)
	}
	return meta
}

// ingress renders a networking.k8s.io/v1 Ingress sending every host to the
// first port of the stable Service. An Ingress cannot split traffic, so the
// canary Service gets none (validation refuses a canary weight with it).
func (r *renderer) ingress() []any {
	if r.routingAPI() != v1alpha1.IngressAPIIngress {
		return nil
	}
	routing, in := r.spec.Routing, r.spec.Routing.Ingress
	pathType := networkingv1.PathTypePrefix
	backend := networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
		Name: r.app.Name + SuffixStable,
		Port: networkingv1.ServiceBackendPort{Name: r.spec.Ports[0].Name},
	}}
	spec := networkingv1.IngressSpec{}
	if in.ClassName != "" {
		spec.IngressClassName = ptr(in.ClassName)
	}
	if in.TLSSecretName != "" {
		spec.TLS = []networkingv1.IngressTLS{{Hosts: routing.Hosts, SecretName: in.TLSSecretName}}
	}
	for _, host := range routing.Hosts {
		spec.Rules = append(spec.Rules, networkingv1.IngressRule{
			Host: host,
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
				Paths: []networkingv1.HTTPIngressPath{{Path: "/", PathType: &pathType, Backend: backend}},
			}},
		})
	}
	return []any{&networkingv1.Ingress{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "Ingress"),
		ObjectMeta: r.ingressMeta(),
		Spec:       spec,
	}}
}

// httpRoute renders a Gateway API HTTPRoute that splits every host between
// the first port of the stable and the canary Service by the canary weight,
// and sets the request headers.
func (r *renderer) httpRoute() []any {
	if r.routingAPI() != v1alpha1.IngressAPIHTTPRoute {
		return nil
	}
	routing, in := r.spec.Routing, r.spec.Routing.Ingress
	parents := make([]GatewayParentRef, 0, len(in.ParentRefs))
	for _, ref := range in.ParentRefs {
		ns, name, found := strings.Cut(ref, "/")
		if !found {
			ns, name = "", ref
		}
		parents = append(parents, GatewayParentRef{Group: "gateway.networking.k8s.io", Kind: "Gateway", Namespace: ns, Name: name})
	}
	stable, canary := r.weights()
	port := r.spec.Ports[0].Port
	rule := GatewayHTTPRouteRule{
		Matches: []GatewayHTTPRouteMatch{{Path: GatewayPathMatch{Type: "PathPrefix", Value: "/"}}},
		BackendRefs: []GatewayBackendRef{
			{Kind: "Service", Name: r.app.Name + SuffixStable, Port: port, Weight: stable},
			{Kind: "Service", Name: r.app.Name + SuffixCanary, Port: port, Weight: canary},
		},
	}
	if len(routing.RequestHeaders) > 0 {
		names := make([]string, 0, len(routing.RequestHeaders))
		for name := range routing.RequestHeaders {
			names = append(names, name)
		}
		sort.Strings(names)
		headers := make([]GatewayHeader, len(names))
		for i, name := range names {
			headers[i] = GatewayHeader{Name: name, Value: routing.RequestHeaders[name]}
		}
		rule.Filters = []GatewayHTTPFilter{{Type: "RequestHeaderModifier", RequestHeaderModifier: &GatewayHeaderModifier{Set: headers}}}
	}
	return []any{&GatewayHTTPRoute{
		TypeMeta:   typeMeta(GatewayAPIVersion, "HTTPRoute"),
		ObjectMeta: r.ingressMeta(),
		Spec: GatewayHTTPRouteSpec{
			ParentRefs: parents,
			Hostnames:  routing.Hosts,
			Rules:      []GatewayHTTPRouteRule{rule},
		},
	}}
}
