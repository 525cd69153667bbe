package manifests

import "github.com/slipway-dev/slipway/functions/api/v1alpha1"

// routing renders the objects that expose the app: an Istio Gateway and
// VirtualService, or an Ingress or HTTPRoute. Under Flagger, which creates
// the VirtualService itself, only the Gateway.
func (r *renderer) routing() []any {
	routing := r.spec.Routing
	if routing == nil {
		return nil
	}
	if routing.Ingress == nil {
		if r.spec.Canary != nil && r.spec.Canary.Controller == v1alpha1.CanaryControllerFlagger {
			return r.istioGateway()
		}
		return append(r.istioGateway(), r.virtualService()...)
	}
	if routing.Ingress.API == v1alpha1.IngressAPIHTTPRoute {
		return r.httpRoute()
	}
	return r.ingress()
}
