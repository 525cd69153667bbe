package manifests

import (
	"maps"
	"regexp"
	"slices"
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

// GatewayParentRef is a Gateway the route attaches to, or, for a mesh
// route, the Service (group "") whose callers it routes.
type GatewayParentRef struct {
	Group     string `json:"group"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
}

// GatewayHTTPRouteRule matches requests and sends them to weighted backends.
type GatewayHTTPRouteRule struct {
	Name        string                  `json:"name,omitempty"`
	Matches     []GatewayHTTPRouteMatch `json:"matches"`
	Filters     []GatewayHTTPFilter     `json:"filters,omitempty"`
	BackendRefs []GatewayBackendRef     `json:"backendRefs"`
	Timeouts    *GatewayHTTPTimeouts    `json:"timeouts,omitempty"`
}

// GatewayHTTPRouteMatch matches a path, and headers.
type GatewayHTTPRouteMatch struct {
	Path    GatewayPathMatch     `json:"path"`
	Headers []GatewayHeaderMatch `json:"headers,omitempty"`
}

// GatewayHeaderMatch matches a header exactly or by a regular expression.
type GatewayHeaderMatch struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// GatewayHTTPTimeouts bounds a request.
type GatewayHTTPTimeouts struct {
	Request string `json:"request"`
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

// httpRoutes render the Gateway API HTTPRoute that splits every host
// between the first port of the stable and the canary Service by the
// canary weight, after a "preview" rule for the requests canary.match
// matches; with mesh routing, a second HTTPRoute "<name>-mesh" with the
// same rules attaches to the "<name>" Service, for its in-mesh callers.
func (r *renderer) httpRoutes() []any {
	if r.routingAPI() != v1alpha1.IngressAPIHTTPRoute {
		return nil
	}
	routing, in := r.spec.Routing, r.spec.Routing.Ingress
	var out []any
	if len(routing.Hosts) > 0 {
		parents := make([]GatewayParentRef, 0, len(in.ParentRefs))
		for _, ref := range in.ParentRefs {
			ns, name, found := strings.Cut(ref, "/")
			if !found {
				ns, name = "", ref
			}
			parents = append(parents, GatewayParentRef{Group: "gateway.networking.k8s.io", Kind: "Gateway", Namespace: ns, Name: name})
		}
		out = append(out, r.httpRoute(r.ingressMeta(), parents, routing.Hosts))
	}
	if *routing.Mesh {
		meta := r.ingressMeta()
		meta.Name = r.app.Name + SuffixMesh
		out = append(out, r.httpRoute(meta, []GatewayParentRef{{Group: "", Kind: "Service", Name: r.app.Name}}, nil))
	}
	return out
}

func (r *renderer) httpRoute(meta metav1.ObjectMeta, parents []GatewayParentRef, hosts []string) *GatewayHTTPRoute {
	routing := r.spec.Routing
	stable, canary := r.weights()
	port := r.spec.Ports[0].Port
	backend := func(suffix string, weight int32) GatewayBackendRef {
		return GatewayBackendRef{Kind: "Service", Name: r.app.Name + suffix, Port: port, Weight: weight}
	}
	all := GatewayPathMatch{Type: "PathPrefix", Value: "/"}
	rule := func(name string, match GatewayHTTPRouteMatch, to ...GatewayBackendRef) GatewayHTTPRouteRule {
		rl := GatewayHTTPRouteRule{Name: name, Matches: []GatewayHTTPRouteMatch{match}, BackendRefs: to}
		if routing.Timeout != "" {
			rl.Timeouts = &GatewayHTTPTimeouts{Request: routing.Timeout}
		}
		if len(routing.RequestHeaders) > 0 {
			headers := make([]GatewayHeader, 0, len(routing.RequestHeaders))
			for _, name := range slices.Sorted(maps.Keys(routing.RequestHeaders)) {
				headers = append(headers, GatewayHeader{Name: name, Value: routing.RequestHeaders[name]})
			}
			rl.Filters = []GatewayHTTPFilter{{Type: "RequestHeaderModifier", RequestHeaderModifier: &GatewayHeaderModifier{Set: headers}}}
		}
		return rl
	}
	var rules []GatewayHTTPRouteRule
	if m := r.previewMatch(); m != nil {
		match := GatewayHTTPRouteMatch{Path: all}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			// The Gateway API matches headers exactly or by a regular
			// expression; a prefix is a regular expression.
			h := GatewayHeaderMatch{Type: "Exact", Name: name, Value: m[name].Exact}
			switch {
			case m[name].Prefix != "":
				h.Type, h.Value = "RegularExpression", "^"+regexp.QuoteMeta(m[name].Prefix)
			case m[name].Regex != "":
				h.Type, h.Value = "RegularExpression", m[name].Regex
			}
			match.Headers = append(match.Headers, h)
		}
		rules = append(rules, rule(RoutePreview, match, backend(SuffixCanary, 100)))
	}
	split := []GatewayBackendRef{backend(SuffixStable, stable), backend(SuffixCanary, canary)}
	if !r.hasCanaryService() {
		split = split[:1]
	}
	rules = append(rules, rule(RouteName, GatewayHTTPRouteMatch{Path: all}, split...))
	return &GatewayHTTPRoute{
		TypeMeta:   typeMeta(GatewayAPIVersion, "HTTPRoute"),
		ObjectMeta: meta,
		Spec:       GatewayHTTPRouteSpec{ParentRefs: parents, Hostnames: hosts, Rules: rules},
	}
}
