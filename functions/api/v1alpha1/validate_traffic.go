package v1alpha1

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// retryConditions are the conditions Istio (Envoy) retries on, beside
// HTTP status codes.
var retryConditions = []string{
	"5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited", "retriable-4xx",
	"refused-stream", "retriable-status-codes", "retriable-headers", "http3-post-connect-failure",
	"cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
}

// traffic checks what routing does to requests, and what each routing API
// can do: mesh routing, timeouts, retries and the traffic policy are
// Istio's; an HTTPRoute has mesh routing and timeouts but no retries or
// traffic policy in the standard Gateway API; an Ingress has none.
func (v *validator) traffic(s *AppSpec, path *field.Path) {
	r := s.Routing
	if r == nil {
		return
	}
	api := "Istio"
	if r.Ingress != nil {
		api = r.Ingress.API
	}
	refuse := func(name, reason string) {
		v.add(path.Child(name), "%s: %s", api, reason)
	}
	if r.Timeout != "" {
		v.positiveDuration(r.Timeout, path.Child("timeout"))
	}
	if re := r.Retries; re != nil {
		p := path.Child("retries")
		if re.Attempts < 1 {
			v.add(p.Child("attempts"), "must be at least 1, got %d", re.Attempts)
		}
		if re.PerTryTimeout != "" {
			v.positiveDuration(re.PerTryTimeout, p.Child("perTryTimeout"))
		}
		for _, cond := range strings.Split(re.RetryOn, ",") {
			if code, err := strconv.Atoi(cond); (err != nil || code < 100 || code > 599) && re.RetryOn != "" && !slices.Contains(retryConditions, cond) {
				v.add(p.Child("retryOn"), "%q is not a retry condition: use HTTP status codes or %s", cond, strings.Join(retryConditions, ", "))
			}
		}
	}
	if tp := r.TrafficPolicy; tp != nil {
		v.trafficPolicy(tp, path.Child("trafficPolicy"))
	}
	switch api {
	case IngressAPIIngress:
		if *r.Mesh {
			refuse("mesh", "an Ingress routes at the edge only; use Istio or an HTTPRoute for callers in the mesh")
		}
		for _, f := range []struct {
			name string
			set  bool
		}{{"timeout", r.Timeout != ""}, {"retries", r.Retries != nil}, {"trafficPolicy", r.TrafficPolicy != nil}} {
			if f.set {
				refuse(f.name, "an Ingress has no portable setting for it; use the ingress controller's annotations (ingress.annotations)")
			}
		}
	case IngressAPIHTTPRoute:
		if r.Retries != nil {
			refuse("retries", "the standard Gateway API has no retries (they are experimental); use Istio routing, or the mesh's own policy")
		}
		if r.TrafficPolicy != nil {
			refuse("trafficPolicy", "the standard Gateway API has no traffic policy; use Istio routing, or the mesh's own policy")
		}
	}
	if len(r.Hosts) == 0 && !*r.Mesh {
		v.add(path.Child("hosts"), "required: list at least one host (or have the Platform set a hostSuffix), or route the mesh only (mesh: true)")
	}
}

func (v *validator) trafficPolicy(tp *TrafficPolicy, path *field.Path) {
	if o := tp.OutlierDetection; o != nil {
		p := path.Child("outlierDetection")
		for _, d := range []struct {
			name, value string
		}{{"interval", o.Interval}, {"baseEjectionTime", o.BaseEjectionTime}} {
			if d.value != "" {
				v.positiveDuration(d.value, p.Child(d.name))
			}
		}
		if n := o.Consecutive5xxErrors; n != nil && *n < 1 {
			v.add(p.Child("consecutive5xxErrors"), "must be at least 1, got %d", *n)
		}
		if n := o.MaxEjectionPercent; n != nil && (*n < 0 || *n > 100) {
			v.add(p.Child("maxEjectionPercent"), "must be between 0 and 100, got %d", *n)
		}
	}
	if c := tp.ConnectionPool; c != nil {
		p := path.Child("connectionPool")
		if t := c.TCP; t != nil {
			v.positive(t.MaxConnections, p.Child("tcp", "maxConnections"))
			if t.ConnectTimeout != "" {
				v.positiveDuration(t.ConnectTimeout, p.Child("tcp", "connectTimeout"))
			}
		}
		if h := c.HTTP; h != nil {
			hp := p.Child("http")
			v.positive(h.HTTP1MaxPendingRequests, hp.Child("http1MaxPendingRequests"))
			v.positive(h.HTTP2MaxRequests, hp.Child("http2MaxRequests"))
			v.nonNegative(h.MaxRequestsPerConnection, hp.Child("maxRequestsPerConnection"))
			v.nonNegative(h.MaxRetries, hp.Child("maxRetries"))
			if h.IdleTimeout != "" {
				v.positiveDuration(h.IdleTimeout, hp.Child("idleTimeout"))
			}
		}
	}
	if tp.TLSMode != "" {
		enum[TrafficPolicy](v, path.Child("tlsMode"), "tlsMode", tp.TLSMode)
	}
}

func (v *validator) positive(n *int32, path *field.Path) {
	if n != nil && *n < 1 {
		v.add(path, "must be at least 1, got %d", *n)
	}
}

// positiveDuration checks a duration as Istio takes it: positive, at least
// a millisecond.
func (v *validator) positiveDuration(d string, path *field.Path) {
	if !v.duration(d, path) {
		return
	}
	if parsed, _ := time.ParseDuration(d); parsed < time.Millisecond {
		v.add(path, "%q must be at least 1ms", d)
	}
}

// match checks canary.match: valid header names, one way to match each,
// regular expressions RE2 compiles, one cookie; and a canary to send to.
func (v *validator) match(s *AppSpec, path *field.Path) {
	c := s.Canary
	if c == nil || c.Match == nil {
		return
	}
	m := c.Match
	if len(m.Headers) == 0 && len(m.Cookies) == 0 {
		v.add(path, "required: headers or cookies to match")
	}
	for _, name := range slices.Sorted(maps.Keys(m.Headers)) {
		p := path.Child("headers").Key(name)
		v.messages(path.Child("headers"), name, validation.IsHTTPHeaderName(name))
		h := m.Headers[name]
		set := 0
		for _, s := range []string{h.Exact, h.Prefix, h.Regex} {
			if s != "" {
				set++
			}
		}
		if set != 1 {
			v.add(p, "set exactly one of exact, prefix and regex")
		}
		if h.Regex != "" {
			if _, err := regexp.Compile(h.Regex); err != nil {
				v.add(p.Child("regex"), "is not a regular expression (RE2): %v", err)
			}
		}
		if strings.EqualFold(name, "cookie") && len(m.Cookies) > 0 {
			v.add(p, "match the Cookie header through cookies, not both")
		}
	}
	if len(m.Cookies) > 1 {
		v.add(path.Child("cookies"), "match one cookie: a regular expression (RE2) cannot require several in any order")
	}
	for _, name := range slices.Sorted(maps.Keys(m.Cookies)) {
		if !cookieToken.MatchString(name) || m.Cookies[name] == "" {
			v.add(path.Child("cookies").Key(name), "needs a cookie name (a token) and a value")
		}
	}
	switch {
	case c.Controller == CanaryControllerFlagger:
		v.add(path, "flagger: Flagger matches headers only in its A/B testing, which replaces the weighted analysis; use Istio or argo-rollouts for a preview")
	case s.Routing == nil:
		v.add(path, "needs routing: the preview is a route")
	case s.Routing.Ingress != nil && s.Routing.Ingress.API == IngressAPIIngress:
		v.add(path, "an Ingress cannot route by header portably; use HTTPRoute or Istio")
	case c.Controller == CanaryControllerArgoRollouts && len(m.Cookies) > 0:
		v.add(path.Child("cookies"), "argo-rollouts: the controller's header routes take headers only")
	case c.Image == "" && c.Controller == CanaryControllerNone:
		v.add(path, "needs canary.image: a preview of no canary has no pods to reach")
	}
}

// cookieToken is the name of a cookie (an HTTP token).
var cookieToken = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// allowFrom checks the allowed callers: one kind each, valid names, and
// ports to admit them to.
func (v *validator) allowFrom(s *AppSpec, path *field.Path) {
	seen := map[AllowFrom]int{}
	for i, a := range s.AllowFrom {
		p := path.Index(i)
		kinds := 0
		for _, set := range []bool{a.Namespace != "", a.IngressGateway, a.Monitoring} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			v.add(p, "set exactly one of namespace (with app, if any), ingressGateway and monitoring")
		}
		if a.Namespace != "" {
			v.messages(p.Child("namespace"), a.Namespace, validation.IsDNS1123Label(a.Namespace))
		}
		if a.App != "" {
			v.messages(p.Child("app"), a.App, validation.IsDNS1035Label(a.App))
			if a.Namespace == "" {
				v.add(p.Child("app"), "needs namespace: the App's namespace, where its pods run")
			}
		}
		if j, dup := seen[a]; dup {
			v.add(p, "is duplicated (first at %s)", path.Index(j))
		}
		seen[a] = i
	}
	if len(s.AllowFrom) > 0 && len(s.Ports) == 0 {
		v.add(path, "admits callers to the App's ports, but it has none (ports: [])")
	}
}

// minObjective is the lowest objective whose fast burn rate (14.4 times
// the budget) is a share of requests that can be exceeded.
const minObjective = 100 * (1 - 1/14.4)

// sloWindow is a window of days, as SLOs are set over.
var sloWindow = regexp.MustCompile(`^[1-9][0-9]?d$`)

// slo checks the objectives: percentages below 100, windows in days, and a
// latency threshold that is a bucket of the request duration histogram
// (the share of requests within it is read off that bucket).
func (v *validator) slo(s *AppSpec, namespace string, platform *Platform, path *field.Path) {
	slo := s.SLO
	if slo == nil {
		return
	}
	if slo.Availability == nil && slo.Latency == nil {
		v.add(path, "required: availability, latency or both")
	}
	if len(s.Ports) == 0 {
		v.add(path, "is measured on the requests the App serves, but it has no port (ports: [])")
	}
	if namespace == "" {
		v.add(path, "needs the App's namespace (metadata.namespace, the Platform's, or the client's): its requests are selected by it")
	}
	objective := func(o *Objective, p *field.Path) {
		switch {
		case o.Objective <= 0 || o.Objective >= 100:
			v.add(p.Child("objective"), "%v is not a percentage above 0 and below 100 (such as 99.9)", o.Objective)
		case o.Objective < minObjective:
			v.add(p.Child("objective"), "%v leaves a budget of more than 1/14.4 of the requests: the fast burn alert (14.4 times the budget) could never fire; set at least %.2f", o.Objective, minObjective)
		}
		if !sloWindow.MatchString(o.Window) {
			v.add(p.Child("window"), "%q must be a number of days, such as 30d (at most 99d)", o.Window)
		}
	}
	if a := slo.Availability; a != nil {
		objective(a, path.Child("availability"))
	}
	if l := slo.Latency; l != nil {
		p := path.Child("latency")
		objective(&l.Objective, p)
		m := platform.SLOMetricsOrDefault()
		if d, err := time.ParseDuration(l.Threshold); err != nil || d <= 0 {
			v.add(p.Child("threshold"), "%q is not a positive duration such as 250ms", l.Threshold)
		} else if _, ok := m.Bucket(d); !ok {
			v.add(p.Child("threshold"), "%s is not a bucket of %s: choose one of %s, or have the Platform name the buckets of its histogram (sloMetrics.buckets)",
				l.Threshold, m.Duration, m.BucketList())
		}
	}
}
