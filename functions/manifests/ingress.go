package manifests

// ingress renders a networking.k8s.io/v1 Ingress. (not yet implemented)
func (r *renderer) ingress() []any { return nil }

// httpRoute renders a Gateway API HTTPRoute. (not yet implemented)
func (r *renderer) httpRoute() []any { return nil }
