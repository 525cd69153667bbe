package v1alpha1

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// applyPlatform gives the App every Platform setting it does not make itself.
// It runs after the App's environment is merged and before the built-in
// defaults, which makes the precedence App environment > App > Platform
// environment > Platform > built-in default.
func applyPlatform(app *App, platform *Platform) []FieldError {
	p, s := &platform.Spec, &app.Spec
	var errs []FieldError
	if app.Namespace == "" {
		app.Namespace = p.Namespace
	}
	if p.ImageRegistry != "" {
		for _, image := range s.images() {
			if *image != "" {
				*image = withRegistry(p.ImageRegistry, *image)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(p.Labels)) {
		if own, set := app.Labels[k]; set && own != p.Labels[k] {
			errs = append(errs, fieldError(field.NewPath("metadata", "labels").Key(k),
				"%q conflicts with %q set by Platform %q, which owns this label", own, p.Labels[k], platform.Name))
		}
	}
	app.Labels = mergeMaps(p.Labels, app.Labels)
	for i := range s.ExternalSecrets {
		if s.ExternalSecrets[i].StoreRef == nil {
			s.ExternalSecrets[i].StoreRef = platform.secretStore(app.Namespace)
		}
	}
	if r := s.Routing; r != nil {
		if p.HostSuffix != "" {
			if len(r.Hosts) == 0 {
				r.Hosts = []string{app.Name + p.HostSuffix}
			}
			for i, host := range r.Hosts {
				if !strings.Contains(host, ".") {
					r.Hosts[i] = host + p.HostSuffix
				}
			}
		}
		if r.Gateway == nil && r.Ingress == nil && p.Gateway != nil {
			g := *p.Gateway
			g.Selector = mergeMaps(p.Gateway.Selector, nil)
			r.Gateway = &g
		}
	}
	return errs
}

// featureSections are the spec sections whose presence turns a feature on:
// a Platform default of one is merged only into the Apps that have it.
var featureSections = []string{"autoscaling", "canary", "compatibility", "config", "monitoring", "routing"}

// inherit merges an App's spec document (its environment section already
// merged) over the Platform's defaults, with the merge rules of
// environments; the result is what the App is decoded from. This is the
// one way an App inherits from its Platform: every field of the spec is
// inherited alike.
func inherit(defaults, spec map[string]any) (map[string]any, []FieldError) {
	if len(defaults) == 0 {
		return spec, nil
	}
	base := make(map[string]any, len(defaults))
	for k, v := range defaults {
		if _, own := spec[k]; own || !slices.Contains(featureSections, k) {
			base[k] = v
		}
	}
	merged, errs := Merge(base, spec, specPath)
	return merged.(map[string]any), errs
}

// secretStore is the Platform's store for a namespace, if it has one.
func (p *Platform) secretStore(namespace string) *StoreRef {
	if ref, ok := p.Spec.SecretStoresByNamespace[namespace]; ok {
		return &ref
	}
	if t := p.Tenant(namespace); t != nil && t.SecretStore != nil {
		return &StoreRef{Name: t.SecretStore.StoreName(), Kind: "SecretStore"}
	}
	if p.Spec.SecretStore != nil {
		ref := *p.Spec.SecretStore
		return &ref
	}
	return nil
}

// MeshOrDefault returns the Platform's mesh settings with the built-in
// defaults for what it leaves unset.
func (p *Platform) MeshOrDefault() Mesh {
	m := Mesh{TrustDomain: "cluster.local", MonitoringNamespace: "monitoring", IngressGateway: &IngressGateway{
		Namespace: "istio-system", Labels: DefaultGatewaySelector(), ServiceAccount: "istio-ingressgateway-service-account",
	}}
	if p == nil || p.Spec.Mesh == nil {
		return m
	}
	own := p.Spec.Mesh
	m.TrustDomain = or(own.TrustDomain, m.TrustDomain)
	m.MonitoringNamespace = or(own.MonitoringNamespace, m.MonitoringNamespace)
	if g := own.IngressGateway; g != nil {
		m.IngressGateway.Namespace = or(g.Namespace, m.IngressGateway.Namespace)
		m.IngressGateway.ServiceAccount = or(g.ServiceAccount, m.IngressGateway.ServiceAccount)
		if len(g.Labels) > 0 {
			m.IngressGateway.Labels = g.Labels
		}
	}
	return m
}

// SLOMetricsOrDefault returns the Platform's SLO metrics with the built-in
// defaults (Istio's standard metrics) for what it leaves unset.
func (p *Platform) SLOMetricsOrDefault() SLOMetrics {
	m := SLOMetrics{
		Requests:          "istio_requests_total",
		Selector:          `reporter="destination",destination_workload_namespace="$(namespace)",destination_app="$(app)"`,
		CanarySelector:    `reporter="destination",destination_workload_namespace="$(namespace)",destination_service_name="$(app)-canary"`,
		Errors:            `response_code=~"5.."`,
		Duration:          "istio_request_duration_milliseconds",
		DurationUnit:      "milliseconds",
		Buckets:           []float64{0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000},
		PrometheusAddress: "http://prometheus-operated.monitoring.svc:9090",
	}
	if p == nil || p.Spec.SLOMetrics == nil {
		return m
	}
	own := p.Spec.SLOMetrics
	m.Requests = or(own.Requests, m.Requests)
	m.Selector = or(own.Selector, m.Selector)
	m.CanarySelector = or(own.CanarySelector, m.CanarySelector)
	m.Errors = or(own.Errors, m.Errors)
	m.Duration = or(own.Duration, m.Duration)
	m.DurationUnit = or(own.DurationUnit, m.DurationUnit)
	m.PrometheusAddress = or(own.PrometheusAddress, m.PrometheusAddress)
	if len(own.Buckets) > 0 {
		m.Buckets = own.Buckets
	}
	return m
}

// APIVersionsOrDefault returns the custom resource API versions to render.
func (p *Platform) APIVersionsOrDefault() APIVersions {
	v := APIVersions{Istio: DefaultIstioAPIVersion, ExternalSecrets: DefaultExternalSecretsAPI}
	if p != nil && p.Spec.APIVersions != nil {
		v.Istio = or(p.Spec.APIVersions.Istio, v.Istio)
		v.ExternalSecrets = or(p.Spec.APIVersions.ExternalSecrets, v.ExternalSecrets)
	}
	return v
}

// withRegistry prefixes an image that names no registry host. As in Docker,
// the first path component is a host when it has a dot or a port, or is
// localhost.
func withRegistry(registry, image string) string {
	first, _, hasPath := strings.Cut(image, "/")
	if hasPath && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return image
	}
	return strings.TrimSuffix(registry, "/") + "/" + image
}

// mergeMaps returns base overridden by override, or nil when both are empty.
func mergeMaps(base, override map[string]string) map[string]string {
	if len(base) == 0 && len(override) == 0 {
		return nil
	}
	out := make(map[string]string, len(base)+len(override))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range override {
		out[k] = v
	}
	return out
}

// validatePlatform checks a resolved Platform.
func validatePlatform(p *Platform) []FieldError {
	var v validator
	spec := field.NewPath("spec")
	if p.Spec.Namespace != "" {
		v.messages(spec.Child("namespace"), p.Spec.Namespace, validation.IsDNS1123Label(p.Spec.Namespace))
	}
	v.labels(p.Spec.Labels, spec.Child("labels"))
	if reg := p.Spec.ImageRegistry; reg != "" && !imageRef.MatchString(withRegistry(reg, "app:1")) {
		v.add(spec.Child("imageRegistry"), "%q is not a registry host with an optional path, such as registry.example.com/team", reg)
	}
	v.annotations(p.Spec.Annotations, spec.Child("annotations"))
	if d := p.Spec.Defaults; d != nil {
		// What can be checked without an App is checked here, so that a
		// mistake is reported on the Platform, once, rather than on every
		// App; the rest is checked on each App after the merge.
		path := spec.Child("defaults")
		if d.Environments != nil {
			v.add(path.Child("environments"), "the Platform's environments override its defaults: set spec.environments.<name>.defaults")
		}
		v.image(d.Image, path.Child("image"), false)
		if r := d.Routing; r != nil {
			for _, k := range slices.Sorted(maps.Keys(r.RequestHeaders)) {
				v.messages(path.Child("routing", "requestHeaders"), k, validation.IsHTTPHeaderName(k))
			}
		}
		v.nonNegative(d.Replicas, path.Child("replicas"))
		v.resources(d.Resources, path.Child("resources"))
		v.pod(d.Pod, path.Child("pod"))
	}
	if p.Spec.HostSuffix != "" {
		if !strings.HasPrefix(p.Spec.HostSuffix, ".") {
			v.add(spec.Child("hostSuffix"), "%q must start with a dot, such as .example.com", p.Spec.HostSuffix)
		} else {
			v.messages(spec.Child("hostSuffix"), p.Spec.HostSuffix, validation.IsDNS1123Subdomain(p.Spec.HostSuffix[1:]))
		}
	}
	for _, ns := range slices.Sorted(maps.Keys(p.Spec.SecretStoresByNamespace)) {
		ref := p.Spec.SecretStoresByNamespace[ns]
		v.storeRef(&ref, spec.Child("secretStoresByNamespace").Key(ns))
	}
	if p.Spec.SecretStore != nil {
		v.storeRef(p.Spec.SecretStore, spec.Child("secretStore"))
	}
	if g := p.Spec.Gateway; g != nil && g.Name != "" && len(g.Selector) > 0 {
		v.add(spec.Child("gateway"), "set either selector (for created gateways) or name (a shared gateway), not both")
	}
	if g := p.Spec.Gateway; g != nil && g.TLS != nil {
		v.add(spec.Child("gateway", "tls"), "TLS certificates are per App: set it in the App's routing.gateway")
	}
	if pol := p.Spec.Policy; pol != nil {
		pp := spec.Child("policy")
		for i, prefix := range pol.AllowedRegistries {
			if prefix == "" {
				v.add(pp.Child("allowedRegistries").Index(i), "required: a registry prefix such as registry.example.com/")
			}
		}
		for i, s := range pol.AllowRelaxing {
			enum[Policy](&v, pp.Child("allowRelaxing").Index(i), "allowRelaxing", s)
		}
		if b := pol.Replicas; b != nil {
			v.nonNegative(b.Min, pp.Child("replicas", "min"))
			if b.Min != nil && b.Max != nil && *b.Max < *b.Min {
				v.add(pp.Child("replicas", "max"), "must be at least min (%d), got %d", *b.Min, *b.Max)
			}
		}
		v.resources(&corev1.ResourceRequirements{Limits: pol.MaxResources}, pp.Child("maxResources"))
		for i, k := range pol.RequiredLabels {
			v.messages(pp.Child("requiredLabels").Index(i), k, validation.IsQualifiedName(k))
		}
	}
	if m := p.Spec.SLOMetrics; m != nil {
		mp := spec.Child("sloMetrics")
		for _, name := range []struct{ field, value string }{{"requests", m.Requests}, {"duration", m.Duration}} {
			if name.value != "" && !metricName.MatchString(name.value) {
				v.add(mp.Child(name.field), "%q is not a Prometheus metric name", name.value)
			}
		}
		for _, sel := range []struct{ field, value string }{{"selector", m.Selector}, {"canarySelector", m.CanarySelector}, {"errors", m.Errors}} {
			if sel.value != "" && !labelMatchers.MatchString(sel.value) {
				v.add(mp.Child(sel.field), "%q is not a list of Prometheus label matchers, such as reporter=\"destination\",destination_app=\"$(app)\"", sel.value)
			}
		}
		if m.DurationUnit != "" {
			enum[SLOMetrics](&v, mp.Child("durationUnit"), "durationUnit", m.DurationUnit)
		}
		for i, b := range m.Buckets {
			if b <= 0 || (i > 0 && b <= m.Buckets[i-1]) {
				v.add(mp.Child("buckets").Index(i), "buckets are positive and ascending, got %v", b)
			}
		}
		if a := m.PrometheusAddress; a != "" && !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, "https://") {
			v.add(mp.Child("prometheusAddress"), "%q must be an http or https URL", a)
		}
	}
	if m := p.Spec.Mesh; m != nil {
		mp := spec.Child("mesh")
		if m.TrustDomain != "" {
			v.messages(mp.Child("trustDomain"), m.TrustDomain, validation.IsDNS1123Subdomain(m.TrustDomain))
		}
		if m.MonitoringNamespace != "" {
			v.messages(mp.Child("monitoringNamespace"), m.MonitoringNamespace, validation.IsDNS1123Label(m.MonitoringNamespace))
		}
		if g := m.IngressGateway; g != nil {
			gp := mp.Child("ingressGateway")
			if g.Namespace != "" {
				v.messages(gp.Child("namespace"), g.Namespace, validation.IsDNS1123Label(g.Namespace))
			}
			if g.ServiceAccount != "" {
				v.messages(gp.Child("serviceAccount"), g.ServiceAccount, validation.IsDNS1123Subdomain(g.ServiceAccount))
			}
			v.labels(g.Labels, gp.Child("labels"))
		}
	}
	v.tenants(p, spec.Child("tenants"))
	if a := p.Spec.ArgoCD; a != nil {
		v.argoCD(a, spec.Child("argoCD"))
	}
	if a := p.Spec.APIVersions; a != nil {
		if a.Istio != "" {
			enum[APIVersions](&v, spec.Child("apiVersions", "istio"), "istio", a.Istio)
		}
		if a.ExternalSecrets != "" {
			enum[APIVersions](&v, spec.Child("apiVersions", "externalSecrets"), "externalSecrets", a.ExternalSecrets)
		}
	}
	return v.errs
}

// images are the App's own image fields: its image, the canary's, and
// those of its containers, workers and jobs.
func (s *AppSpec) images() []*string {
	images := []*string{&s.Image}
	if s.Canary != nil {
		images = append(images, &s.Canary.Image)
	}
	for i := range s.InitContainers {
		images = append(images, &s.InitContainers[i].Image)
	}
	for i := range s.Sidecars {
		images = append(images, &s.Sidecars[i].Image)
	}
	for i := range s.Workers {
		images = append(images, &s.Workers[i].Image)
	}
	for i := range s.Jobs {
		images = append(images, &s.Jobs[i].Image)
	}
	return images
}

// Bucket returns the histogram bucket boundary, in the histogram's unit,
// that a duration is, if it is one.
func (m SLOMetrics) Bucket(d time.Duration) (float64, bool) {
	value := d.Seconds()
	if m.DurationUnit == "milliseconds" {
		value = float64(d) / float64(time.Millisecond)
	}
	return value, slices.Contains(m.Buckets, value)
}

// BucketList lists the buckets with their unit.
func (m SLOMetrics) BucketList() string {
	unit := "s"
	if m.DurationUnit == "milliseconds" {
		unit = "ms"
	}
	parts := make([]string, len(m.Buckets))
	for i, b := range m.Buckets {
		parts[i] = strconv.FormatFloat(b, 'f', -1, 64) + unit
	}
	return strings.Join(parts, ", ")
}

// labelMatchers is the form of a comma-separated list of PromQL label
// matchers (name, operator, double-quoted value).
var labelMatchers = regexp.MustCompile(`^\s*` + matcher + `(\s*,\s*` + matcher + `)*\s*$`)

const matcher = `[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"([^"\\]|\\.)*"`

// metricName is the form of a Prometheus metric name.
var metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
