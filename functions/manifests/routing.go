package manifests

// routingIstio is what routingAPI answers for routing through Istio; an
// Ingress or HTTPRoute answers with its ingress.api.
const routingIstio = "Istio"

// routingAPI is how the App is exposed: routingIstio (a Gateway and a
// VirtualService), v1alpha1.IngressAPIIngress or
// v1alpha1.IngressAPIHTTPRoute; "" without routing.
func (r *renderer) routingAPI() string {
	switch routing := r.spec.Routing; {
	case routing == nil:
		return ""
	case routing.Ingress == nil:
		return routingIstio
	default:
		return routing.Ingress.API
	}
}
