package importer

import (
	"maps"
	"slices"
	"strings"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// canaryController models a canary that Argo Rollouts (the workload is a
// Rollout) or Flagger (a Canary object targets it) runs.
func canaryController(a *app, spec *v1alpha1.AppSpec) {
	switch {
	case a.workload.kind == "Rollout":
		c := &v1alpha1.Canary{Controller: v1alpha1.CanaryControllerArgoRollouts}
		for _, s := range listAt(mapAt(mapAt(a.workload.spec(), "strategy"), "canary"), "steps") {
			step := asMap(s)
			for _, m := range listAt(mapAt(step, "setHeaderRoute"), "match") {
				if c.Match == nil {
					c.Match = &v1alpha1.CanaryMatch{Headers: map[string]v1alpha1.StringMatch{}}
				}
				var value v1alpha1.StringMatch
				convert(asMap(m)["headerValue"], &value)
				c.Match.Headers[str(asMap(m), "headerName")] = value
			}
			if step["setWeight"] != nil || step["pause"] != nil {
				var typed v1alpha1.CanaryStep
				convert(step, &typed)
				c.Steps = append(c.Steps, typed)
			}
		}
		spec.Canary = c
	case len(a.of("Canary")) == 1:
		c := &v1alpha1.Canary{Controller: v1alpha1.CanaryControllerFlagger}
		convert(mapAt(a.of("Canary")[0].spec(), "analysis"), &c.Analysis)
		spec.Canary = c
	}
}

// routing models the app's Istio routes: the hosts, the Gateway (its own,
// or a shared one by name), the headers set on requests, the canary weight.
func routing(a *app, spec *v1alpha1.AppSpec) {
	services := a.of("VirtualService")
	if len(services) != 1 {
		ingressRouting(a, spec)
		return
	}
	vs := services[0]
	var hosts []string
	for _, h := range listAt(vs.spec(), "hosts") {
		if s, _ := h.(string); strings.Contains(s, ".") {
			hosts = append(hosts, s)
		}
	}
	if len(hosts) == 0 {
		return
	}
	r := &v1alpha1.Routing{Hosts: hosts}
	if !slices.Contains(listAt(vs.spec(), "gateways"), any("mesh")) {
		r.Mesh = ptr(false)
	}
	for _, g := range listAt(vs.spec(), "gateways") {
		name, _ := g.(string)
		if name == "mesh" {
			continue
		}
		short := name[strings.LastIndex(name, "/")+1:]
		if gw := a.member("Gateway", short); gw != nil {
			if short != a.workload.name {
				r.Gateway = &v1alpha1.Gateway{Name: name}
			}
			if sel := stringMap(mapAt(gw.spec(), "selector")); !(len(sel) == 1 && sel["istio"] == "ingressgateway") {
				gatewayOf(r).Selector = sel
			}
			for _, s := range listAt(gw.spec(), "servers") {
				if cred := str(mapAt(asMap(s), "tls"), "credentialName"); cred != "" {
					gatewayOf(r).TLS = &v1alpha1.TLS{CredentialName: cred}
				}
			}
		} else {
			r.Gateway = &v1alpha1.Gateway{Create: ptr(false), Name: name}
		}
	}
	headers := map[string]string{}
	var canaryWeight *int32
	var preview *v1alpha1.CanaryMatch
	for _, h := range listAt(vs.spec(), "http") {
		route := asMap(h)
		if match, ok := canaryMatch(route); ok {
			preview = match
			continue
		}
		maps.Copy(headers, stringMap(mapAt(mapAt(mapAt(route, "headers"), "request"), "set")))
		for _, d := range listAt(route, "route") {
			dest := asMap(d)
			// Headers set per destination are the route's, said once.
			maps.Copy(headers, stringMap(mapAt(mapAt(mapAt(dest, "headers"), "request"), "set")))
			if host, _, _ := strings.Cut(str(mapAt(dest, "destination"), "host"), "."); strings.HasSuffix(host, "-canary") {
				canaryWeight = ptr(int32(num(dest, "weight")))
			}
		}
	}
	routed(spec, r, headers, canaryWeight, preview)
}

// routed sets the routing, with the headers every request gets, and the
// canary its routes give a share or a preview.
func routed(spec *v1alpha1.AppSpec, r *v1alpha1.Routing, headers map[string]string, canaryWeight *int32, preview *v1alpha1.CanaryMatch) {
	if len(headers) > 0 {
		r.RequestHeaders = headers
	}
	spec.Routing = r
	// A canary's share of 0 is what the routes of an App without a canary
	// send it.
	if canaryWeight != nil && *canaryWeight == 0 {
		canaryWeight = nil
	}
	if canaryWeight != nil || preview != nil {
		spec.Canary = &v1alpha1.Canary{Weight: canaryWeight, Match: preview}
	}
}

// ingressRouting models routing through an Ingress, or through Gateway
// API HTTPRoutes: the one named after the app for its hosts, and
// "<name>-mesh", attached to its Service, for the mesh.
func ingressRouting(a *app, spec *v1alpha1.AppSpec) {
	if ing := a.member("Ingress", a.workload.name); ing != nil && ing.group == "networking.k8s.io" {
		r := &v1alpha1.Routing{Ingress: &v1alpha1.Ingress{ClassName: str(ing.spec(), "ingressClassName")}}
		for _, rule := range listAt(ing.spec(), "rules") {
			r.Hosts = append(r.Hosts, str(asMap(rule), "host"))
		}
		r.Ingress.TLSSecretName = str(asMap(itemAt(listAt(ing.spec(), "tls"), 0)), "secretName")
		if ann := stringMap(mapAt(mapAt(ing.doc, "metadata"), "annotations")); len(ann) > 0 {
			r.Ingress.Annotations = ann
		}
		routed(spec, r, nil, nil, nil)
		return
	}
	route := a.member("HTTPRoute", a.workload.name)
	if route == nil || route.group != "gateway.networking.k8s.io" {
		return
	}
	r := &v1alpha1.Routing{Hosts: stringList(listAt(route.spec(), "hostnames")), Ingress: &v1alpha1.Ingress{API: "HTTPRoute"}}
	for _, p := range listAt(route.spec(), "parentRefs") {
		ref := str(asMap(p), "name")
		if ns := str(asMap(p), "namespace"); ns != "" {
			ref = ns + "/" + ref
		}
		r.Ingress.ParentRefs = append(r.Ingress.ParentRefs, ref)
	}
	if a.member("HTTPRoute", a.workload.name+"-mesh") != nil {
		r.Mesh = ptr(true)
	}
	headers := map[string]string{}
	var canaryWeight *int32
	for _, rule := range listAt(route.spec(), "rules") {
		rm := asMap(rule)
		if timeout := str(mapAt(rm, "timeouts"), "request"); timeout != "" {
			r.Timeout = timeout
		}
		for _, f := range listAt(rm, "filters") {
			for _, h := range listAt(mapAt(asMap(f), "requestHeaderModifier"), "set") {
				headers[str(asMap(h), "name")] = str(asMap(h), "value")
			}
		}
		if str(rm, "name") != "primary" {
			continue
		}
		for _, b := range listAt(rm, "backendRefs") {
			if strings.HasSuffix(str(asMap(b), "name"), "-canary") {
				canaryWeight = ptr(int32(num(asMap(b), "weight")))
			}
		}
	}
	routed(spec, r, headers, canaryWeight, nil)
}

// canaryDeployment models the Deployment "<name>-canary": the canary's
// image and replicas.
func canaryDeployment(a *app, spec *v1alpha1.AppSpec) {
	if a.canary == nil {
		return
	}
	if spec.Canary == nil {
		spec.Canary = &v1alpha1.Canary{}
	}
	c := mainContainer(a.canary.podSpec(), a.workload.name)
	if image := str(c, "image"); image != spec.Image {
		spec.Canary.Image = image
	}
	if r, ok := mapAt(a.canary.read, "spec")["replicas"].(int); ok {
		spec.Canary.Replicas = ptr(int32(r))
	}
}

// canaryMatch reads a route that sends the requests with certain headers
// to the canary Service alone: the canary's preview.
func canaryMatch(route map[string]any) (*v1alpha1.CanaryMatch, bool) {
	destinations, matches := listAt(route, "route"), listAt(route, "match")
	if len(destinations) != 1 || len(matches) != 1 {
		return nil, false
	}
	host, _, _ := strings.Cut(str(mapAt(asMap(destinations[0]), "destination"), "host"), ".")
	if !strings.HasSuffix(host, "-canary") {
		return nil, false
	}
	out := &v1alpha1.CanaryMatch{}
	convert(asMap(matches[0])["headers"], &out.Headers)
	if len(out.Headers) == 0 {
		return nil, false
	}
	return out, true
}

func gatewayOf(r *v1alpha1.Routing) *v1alpha1.Gateway {
	if r.Gateway == nil {
		r.Gateway = &v1alpha1.Gateway{}
	}
	return r.Gateway
}
