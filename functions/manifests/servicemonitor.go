package manifests

// serviceMonitor renders the Prometheus Operator ServiceMonitor. (not yet implemented)
func (r *renderer) serviceMonitor() []any { return nil }
