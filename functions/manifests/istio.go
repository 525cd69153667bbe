package manifests

import (
	"maps"

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
	Route   []HTTPRouteDestination `json:"route"`
	Headers *Headers               `json:"headers,omitempty"`
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
	if r.routingAPI() != routingIstio {
		return nil
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

// virtualService routes the hosts to the first port of the stable and canary
// Services, in one route named "primary" that splits by weight. Under
// Flagger, which creates the VirtualService itself, there is none.
func (r *renderer) virtualService() []any {
	if r.routingAPI() != routingIstio || r.controller() == v1alpha1.CanaryControllerFlagger {
		return nil
	}
	routing := r.spec.Routing
	gateway := r.gatewayName()
	stable, canary := r.weights()
	port := PortSelect{Number: uint32(r.spec.Ports[0].Port)}
	route := HTTPRoute{
		Name: RouteName,
		Route: []HTTPRouteDestination{
			{Destination: Destination{Host: r.app.Name + SuffixStable, Port: port}, Weight: stable},
			{Destination: Destination{Host: r.app.Name + SuffixCanary, Port: port}, Weight: canary},
		},
	}
	if len(routing.RequestHeaders) > 0 {
		route.Headers = &Headers{Request: HeaderOperations{Set: maps.Clone(routing.RequestHeaders)}}
	}
	return []any{&VirtualService{
		TypeMeta:   typeMeta(r.versions.Istio, "VirtualService"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: VirtualServiceSpec{
			Hosts:    routing.Hosts,
			Gateways: []string{gateway},
			HTTP:     []HTTPRoute{route},
		},
	}}
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
