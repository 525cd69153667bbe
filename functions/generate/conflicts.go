package generate

import (
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// conflicts reports what two Apps of one input cannot both have: the same
// NodePort (a cluster-wide resource) or the same routed host (traffic for it
// would go to either). Each clash names both Apps.
func conflicts(apps []*RenderedApp) framework.Results {
	var results framework.Results
	nodePorts := map[int32]*RenderedApp{}
	hosts := map[string]*RenderedApp{}
	for _, a := range apps {
		s := a.App.Spec
		for i, p := range s.Ports {
			port := p.NodePort
			if port == 0 {
				continue
			}
			if first, clash := nodePorts[port]; clash {
				results = append(results, a.source.results([]v1alpha1.FieldError{{Path: fmt.Sprintf("spec.ports[%d].nodePort", i),
					Detail: fmt.Sprintf("%d is already used by %s", port, first.source.describe())}})...)
			} else {
				nodePorts[port] = a
			}
		}
		if s.Routing == nil {
			continue
		}
		for i, host := range s.Routing.Hosts {
			host = strings.ToLower(host)
			if first, clash := hosts[host]; clash {
				results = append(results, a.source.results([]v1alpha1.FieldError{{Path: fmt.Sprintf("spec.routing.hosts[%d]", i),
					Detail: fmt.Sprintf("%q is already routed to %s", host, first.source.describe())}})...)
			} else {
				hosts[host] = a
			}
		}
	}
	return results
}
