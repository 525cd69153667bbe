package manifests

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// IstioGateway is the subset of the Istio Gateway
// (networking.istio.io/v1) that slipway renders.
type IstioGateway struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              IstioGatewaySpec `json:"spec"`
}

// IstioGatewaySpec is the spec of an Istio Gateway.
type IstioGatewaySpec struct {
	Selector map[string]string `json:"selector"`
	Servers  []IstioServer     `json:"servers"`
}

// IstioServer is one listener of a Gateway.
type IstioServer struct {
	Port  IstioPort       `json:"port"`
	Hosts []string        `json:"hosts"`
	TLS   *IstioServerTLS `json:"tls,omitempty"`
}

// IstioPort is a Gateway listener port.
type IstioPort struct {
	Number   uint32 `json:"number"`
	Name     string `json:"name"`
	Protocol string `json:"protocol"`
}

// IstioServerTLS is a listener's TLS setting.
type IstioServerTLS struct {
	HTTPSRedirect  bool   `json:"httpsRedirect,omitempty"`
	Mode           string `json:"mode,omitempty"`
	CredentialName string `json:"credentialName,omitempty"`
}

// VirtualService is the subset of the Istio VirtualService
// (networking.istio.io/v1) that slipway renders.
type VirtualService struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              VirtualServiceSpec `json:"spec"`
}

// VirtualServiceSpec is the spec of a VirtualService.
type VirtualServiceSpec struct {
	Hosts    []string    `json:"hosts"`
	Gateways []string    `json:"gateways"`
	HTTP     []HTTPRoute `json:"http"`
}

// HTTPRoute is one HTTP route of a VirtualService.
type HTTPRoute struct {
	Name    string                 `json:"name"`
	Match   []HTTPMatchRequest     `json:"match,omitempty"`
	Route   []HTTPRouteDestination `json:"route"`
	Headers *Headers               `json:"headers,omitempty"`
	Timeout string                 `json:"timeout,omitempty"`
	Retries *HTTPRetry             `json:"retries,omitempty"`
}

// HTTPMatchRequest matches requests by headers.
type HTTPMatchRequest struct {
	Headers map[string]StringMatch `json:"headers"`
}

// StringMatch matches a string exactly, by prefix or by a regular
// expression.
type StringMatch struct {
	Exact  string `json:"exact,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Regex  string `json:"regex,omitempty"`
}

// HTTPRetry is a route's retry policy.
type HTTPRetry struct {
	Attempts      int32  `json:"attempts"`
	PerTryTimeout string `json:"perTryTimeout,omitempty"`
	RetryOn       string `json:"retryOn,omitempty"`
}

// DestinationRule is the subset of the Istio DestinationRule
// (networking.istio.io/v1) that slipway renders.
type DestinationRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              DestinationRuleSpec `json:"spec"`
}

// DestinationRuleSpec is the traffic policy of one host.
type DestinationRuleSpec struct {
	Host          string        `json:"host"`
	TrafficPolicy TrafficPolicy `json:"trafficPolicy"`
}

// TrafficPolicy is a DestinationRule's traffic policy.
type TrafficPolicy struct {
	ConnectionPool   *ConnectionPool   `json:"connectionPool,omitempty"`
	OutlierDetection *OutlierDetection `json:"outlierDetection,omitempty"`
	TLS              *ClientTLS        `json:"tls,omitempty"`
}

// ConnectionPool limits connections and requests.
type ConnectionPool struct {
	TCP  *TCPSettings  `json:"tcp,omitempty"`
	HTTP *HTTPSettings `json:"http,omitempty"`
}

// TCPSettings limits TCP connections.
type TCPSettings struct {
	MaxConnections *int32 `json:"maxConnections,omitempty"`
	ConnectTimeout string `json:"connectTimeout,omitempty"`
}

// HTTPSettings limits HTTP requests.
type HTTPSettings struct {
	HTTP1MaxPendingRequests  *int32 `json:"http1MaxPendingRequests,omitempty"`
	HTTP2MaxRequests         *int32 `json:"http2MaxRequests,omitempty"`
	MaxRequestsPerConnection *int32 `json:"maxRequestsPerConnection,omitempty"`
	MaxRetries               *int32 `json:"maxRetries,omitempty"`
	IdleTimeout              string `json:"idleTimeout,omitempty"`
}

// OutlierDetection ejects failing endpoints.
type OutlierDetection struct {
	Consecutive5xxErrors *int32 `json:"consecutive5xxErrors,omitempty"`
	Interval             string `json:"interval,omitempty"`
	BaseEjectionTime     string `json:"baseEjectionTime,omitempty"`
	MaxEjectionPercent   *int32 `json:"maxEjectionPercent,omitempty"`
}

// ClientTLS is the TLS mode of connections to the host.
type ClientTLS struct {
	Mode string `json:"mode"`
}

// HTTPRouteDestination is a weighted destination.
type HTTPRouteDestination struct {
	Destination Destination `json:"destination"`
	Weight      int32       `json:"weight"`
}

// Destination is a Service port.
type Destination struct {
	Host string     `json:"host"`
	Port PortSelect `json:"port"`
}

// PortSelect selects a Service port by number.
type PortSelect struct {
	Number uint32 `json:"number"`
}

// Headers manipulates request headers.
type Headers struct {
	Request HeaderOperations `json:"request"`
}

// HeaderOperations sets headers.
type HeaderOperations struct {
	Set map[string]string `json:"set"`
}

// istioGateway renders the app's own Gateway: HTTP on port 80 and, with TLS,
// HTTPS on port 443 with port 80 redirecting to it.
func (r *renderer) istioGateway() []any {
	if r.routingAPI() != routingIstio || len(r.spec.Routing.Hosts) == 0 {
		return nil // no hosts: routed inside the mesh only
	}
	g := r.spec.Routing.Gateway
	if g.Create == nil || !*g.Create {
		return nil
	}
	hosts := r.spec.Routing.Hosts
	servers := []IstioServer{{Port: IstioPort{Number: 80, Name: "http", Protocol: "HTTP"}, Hosts: hosts}}
	if g.TLS != nil {
		servers[0].TLS = &IstioServerTLS{HTTPSRedirect: true}
		servers = append(servers, IstioServer{
			Port:  IstioPort{Number: 443, Name: "https", Protocol: "HTTPS"},
			Hosts: hosts,
			TLS:   &IstioServerTLS{Mode: "SIMPLE", CredentialName: g.TLS.CredentialName},
		})
	}
	return []any{&IstioGateway{
		TypeMeta:   typeMeta(r.versions.Istio, "Gateway"),
		ObjectMeta: r.meta(r.app.Name),
		Spec:       IstioGatewaySpec{Selector: maps.Clone(g.Selector), Servers: servers},
	}}
}

// virtualService routes the hosts, and with mesh routing the callers of
// the "<name>" Service, to the first port of the stable and canary
// Services: a "preview" route first for the requests canary.match matches,
// then one route named "primary" that splits by weight. Under Flagger,
// which creates the VirtualService itself, there is none.
func (r *renderer) virtualService() []any {
	if r.routingAPI() != routingIstio || r.controller() == v1alpha1.CanaryControllerFlagger {
		return nil
	}
	routing := r.spec.Routing
	stable, canary := r.weights()
	port := PortSelect{Number: uint32(r.spec.Ports[0].Port)}
	dest := func(suffix string, weight int32) HTTPRouteDestination {
		return HTTPRouteDestination{Destination: Destination{Host: r.app.Name + suffix, Port: port}, Weight: weight}
	}
	route := func(name string, to ...HTTPRouteDestination) HTTPRoute {
		rt := HTTPRoute{Name: name, Route: to, Timeout: routing.Timeout}
		if len(routing.RequestHeaders) > 0 {
			rt.Headers = &Headers{Request: HeaderOperations{Set: maps.Clone(routing.RequestHeaders)}}
		}
		if re := routing.Retries; re != nil {
			rt.Retries = &HTTPRetry{Attempts: re.Attempts, PerTryTimeout: re.PerTryTimeout, RetryOn: re.RetryOn}
		}
		return rt
	}
	var routes []HTTPRoute
	if m := r.previewMatch(); m != nil && r.controller() == v1alpha1.CanaryControllerNone {
		preview := route(RoutePreview, dest(SuffixCanary, 100))
		preview.Match = []HTTPMatchRequest{{Headers: m}}
		routes = append(routes, preview)
	}
	split := []HTTPRouteDestination{dest(SuffixStable, stable), dest(SuffixCanary, canary)}
	if !r.hasCanaryService() {
		split = split[:1]
	}
	routes = append(routes, route(RouteName, split...))
	hosts, gateways := slices.Clone(routing.Hosts), []string{}
	if len(hosts) > 0 {
		gateways = append(gateways, r.gatewayName())
	}
	if *routing.Mesh {
		hosts = append(hosts, r.app.Name)
		gateways = append(gateways, MeshGateway)
	}
	return []any{&VirtualService{
		TypeMeta:   typeMeta(r.versions.Istio, "VirtualService"),
		ObjectMeta: r.meta(r.app.Name),
		Spec:       VirtualServiceSpec{Hosts: hosts, Gateways: gateways, HTTP: routes},
	}}
}

// previewMatch is canary.match as Istio header matches; a cookie is a
// match of the Cookie header.
func (r *renderer) previewMatch() map[string]StringMatch {
	c := r.spec.Canary
	if c == nil || c.Match == nil {
		return nil
	}
	out := map[string]StringMatch{}
	for name, m := range c.Match.Headers {
		out[strings.ToLower(name)] = StringMatch{Exact: m.Exact, Prefix: m.Prefix, Regex: m.Regex}
	}
	if len(c.Match.Cookies) > 0 {
		out["cookie"] = StringMatch{Regex: cookieRegex(c.Match.Cookies)}
	}
	return out
}

// cookieRegex matches a Cookie header that holds the cookie (validation
// allows one: RE2 cannot require several in any order).
func cookieRegex(cookies map[string]string) string {
	for name, value := range cookies {
		return fmt.Sprintf(`^(?:.*;\s*)?%s=%s(?:;.*)?$`, regexp.QuoteMeta(name), regexp.QuoteMeta(value))
	}
	return ""
}

// destinationRules render the traffic policy for the stable and the canary
// Service, the hosts routing sends to. Under Flagger, the Canary carries
// it and Flagger renders the rules.
func (r *renderer) destinationRules() []any {
	tp := r.trafficPolicy()
	if tp == nil || r.controller() == v1alpha1.CanaryControllerFlagger {
		return nil
	}
	var out []any
	for _, suffix := range []string{SuffixStable, SuffixCanary} {
		out = append(out, &DestinationRule{
			TypeMeta:   typeMeta(r.versions.Istio, "DestinationRule"),
			ObjectMeta: r.meta(r.app.Name + suffix),
			Spec:       DestinationRuleSpec{Host: r.app.Name + suffix, TrafficPolicy: *tp},
		})
	}
	return out
}

// trafficPolicy is routing.trafficPolicy in Istio's form, nil without one.
func (r *renderer) trafficPolicy() *TrafficPolicy {
	if r.spec.Routing == nil || r.spec.Routing.TrafficPolicy == nil {
		return nil
	}
	in := r.spec.Routing.TrafficPolicy
	var tp TrafficPolicy
	if o := in.OutlierDetection; o != nil {
		tp.OutlierDetection = &OutlierDetection{Consecutive5xxErrors: o.Consecutive5xxErrors, Interval: o.Interval, BaseEjectionTime: o.BaseEjectionTime, MaxEjectionPercent: o.MaxEjectionPercent}
	}
	if c := in.ConnectionPool; c != nil {
		tp.ConnectionPool = &ConnectionPool{}
		if t := c.TCP; t != nil {
			tp.ConnectionPool.TCP = &TCPSettings{MaxConnections: t.MaxConnections, ConnectTimeout: t.ConnectTimeout}
		}
		if h := c.HTTP; h != nil {
			tp.ConnectionPool.HTTP = &HTTPSettings{
				HTTP1MaxPendingRequests: h.HTTP1MaxPendingRequests, HTTP2MaxRequests: h.HTTP2MaxRequests,
				MaxRequestsPerConnection: h.MaxRequestsPerConnection, MaxRetries: h.MaxRetries, IdleTimeout: h.IdleTimeout,
			}
		}
	}
	if in.TLSMode != "" {
		tp.TLS = &ClientTLS{Mode: in.TLSMode}
	}
	return &tp
}

// gatewayName is the Istio Gateway the app's routes bind to: its own, named
// like the app, or the shared one it names.
func (r *renderer) gatewayName() string {
	if g := r.spec.Routing.Gateway; g != nil && g.Name != "" {
		return g.Name
	}
	return r.app.Name
}

// weights are the stable and canary shares of traffic; they always sum to 100.
func (r *renderer) weights() (stable, canary int32) {
	if c := r.spec.Canary; c != nil && c.Weight != nil {
		canary = *c.Weight
	}
	return 100 - canary, canary
}
