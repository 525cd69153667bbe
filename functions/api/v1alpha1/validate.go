package v1alpha1

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// MaxNameLength keeps "<name>-canary", the longest name slipway derives, a
// valid DNS-1035 label.
const MaxNameLength = validation.DNS1035LabelMaxLength - len("-canary")

// validateApp checks a defaulted App and returns every problem found;
// platform may be nil.
func validateApp(app *App, platform *Platform) []FieldError {
	var v validator
	v.metadata(app)
	s, p := &app.Spec, specPath
	v.image(s.Image, p.Child("image"), true)
	v.nonNegative(s.Replicas, p.Child("replicas"))
	v.ports(s.Ports, p.Child("ports"))
	v.env(s.Env, p.Child("env"), s.ExternalSecrets)
	v.resources(s.Resources, p.Child("resources"))
	v.routing(s, p.Child("routing"))
	v.canary(app, p.Child("canary"))
	v.traffic(s, p.Child("routing"))
	v.match(s, p.Child("canary", "match"))
	v.allowFrom(s, p.Child("allowFrom"))
	v.slo(s, app.Namespace, platform, p.Child("slo"))
	v.escapes(app, p)
	v.externalSecrets(s.ExternalSecrets, p.Child("externalSecrets"))
	v.autoscaling(s.Autoscaling, s.Resources, p.Child("resources"), p.Child("autoscaling"))
	v.disruptionBudget(s.DisruptionBudget, s.Replicas, s.Autoscaling, p.Child("disruptionBudget"))
	v.config(s.Config, p.Child("config"))
	v.configRead(app, p.Child("config"))
	v.mountPaths(s, p)
	v.serviceAccount(s.ServiceAccount, p.Child("serviceAccount"))
	v.probes(s, p.Child("probes"))
	v.security(s.Security, p.Child("security"))
	v.pod(s.Pod, p.Child("pod"))
	v.service(s, p.Child("service"))
	v.monitoring(s, p.Child("monitoring"))
	v.workload(s, p)
	v.compatibility(s, p.Child("compatibility"))
	v.volumes(app, p.Child("volumes"))
	v.envFrom(s.EnvFrom, p.Child("envFrom"))
	v.lifecycle(s, p.Child("lifecycle"))
	v.containers(app, p)
	v.workers(app, p.Child("workers"))
	v.jobs(app, p.Child("jobs"))
	return v.errs
}

type validator struct{ errs []FieldError }

func (v *validator) add(path *field.Path, format string, args ...any) {
	v.errs = append(v.errs, fieldError(path, format, args...))
}

// messages reports each message of an apimachinery validation helper.
func (v *validator) messages(path *field.Path, value string, msgs []string) {
	for _, msg := range msgs {
		v.add(path, "%q: %s", value, msg)
	}
}

func (v *validator) required(path *field.Path, value string) bool {
	if value == "" {
		v.add(path, "required")
		return false
	}
	return true
}

func (v *validator) oneOf(path *field.Path, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(path, "unsupported value %q: must be one of %s", value, strings.Join(allowed, ", "))
}

func (v *validator) nonNegative(n *int32, path *field.Path) {
	if n != nil && *n < 0 {
		v.add(path, "must not be negative, got %d", *n)
	}
}

func (v *validator) metadata(app *App) {
	meta := field.NewPath("metadata")
	if v.required(meta.Child("name"), app.Name) {
		// A name too long gets one error, this one, not also the upstream
		// check's own (63 characters), and does not repeat a name that long.
		if len(app.Name) > MaxNameLength {
			v.add(meta.Child("name"), "is %d characters long; at most %d are allowed, so that the name with \"-canary\" appended is still a valid name",
				len(app.Name), MaxNameLength)
		}
		msgs := slices.DeleteFunc(validation.IsDNS1035Label(app.Name), func(msg string) bool {
			return msg == validation.MaxLenError(validation.DNS1035LabelMaxLength)
		})
		v.messages(meta.Child("name"), app.Name, msgs)
	}
	if app.Namespace != "" {
		v.messages(meta.Child("namespace"), app.Namespace, validation.IsDNS1123Label(app.Namespace))
	}
	v.labels(app.Labels, meta.Child("labels"))
}

func (v *validator) labels(labels map[string]string, path *field.Path) {
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		v.messages(path, k, validation.IsQualifiedName(k))
		v.messages(path.Key(k), labels[k], validation.IsValidLabelValue(labels[k]))
	}
}

// imageRef is the Docker reference grammar: an optional registry host, a
// lowercase path, and a tag, a digest or both.
var imageRef = regexp.MustCompile(`^` +
	`(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?/)?` +
	`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*` +
	`(?::([\w][\w.-]{0,127}))?` +
	`(?:@(sha256:[0-9a-f]{64}))?$`)

// maxImageName is the longest image name (registry and repository) the
// distribution spec allows.
const maxImageName = 255

func (v *validator) image(image string, path *field.Path, required bool) {
	if image == "" {
		if required {
			v.add(path, "required")
		}
		return
	}
	name, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name = name[:i] // without the tag
	}
	if len(name) > maxImageName {
		v.add(path, "the image name (before any tag or digest) is %d characters long; registries allow at most %d", len(name), maxImageName)
		return
	}
	m := imageRef.FindStringSubmatch(image)
	switch {
	case m == nil:
		v.add(path, "%q is not a valid image reference (expected [registry/]repository[:tag][@sha256:digest], repository in lowercase)", image)
	case m[1] == "" && m[2] == "":
		v.add(path, "%q has no tag or digest: pin the version (name:tag or name@sha256:...)", image)
	case m[1] == "latest" && m[2] == "":
		v.add(path, "%q uses the mutable tag \"latest\": pin a version or a digest", image)
	}
}

func (v *validator) ports(ports []Port, path *field.Path) {
	names := map[string]int{}
	numbers := map[string]int{}
	for i, port := range ports {
		p := path.Index(i)
		if v.required(p.Child("name"), port.Name) {
			v.messages(p.Child("name"), port.Name, validation.IsValidPortName(port.Name))
			if j, dup := names[port.Name]; dup {
				v.add(p.Child("name"), "%q is duplicated (first at %s)", port.Name, path.Index(j))
			}
			names[port.Name] = i
		}
		if port.Port < 1 || port.Port > 65535 {
			v.add(p.Child("port"), "must be between 1 and 65535, got %d", port.Port)
		}
		enum[Port](v, p.Child("protocol"), "protocol", string(port.Protocol))
		key := fmt.Sprintf("%d/%s", port.Port, port.Protocol)
		if j, dup := numbers[key]; dup {
			v.add(p.Child("port"), "%s is duplicated (first at %s)", key, path.Index(j))
		}
		numbers[key] = i
	}
}

var percentage = regexp.MustCompile(`^(100|[1-9]?[0-9])%$`)

var envRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)`)

func (v *validator) env(env []EnvVar, path *field.Path, secrets []ExternalSecret) {
	defined := map[string]int{}
	for i, e := range env {
		if e.Name != "" {
			if _, dup := defined[e.Name]; !dup {
				defined[e.Name] = i
			}
		}
	}
	for i, e := range env {
		p := path.Index(i)
		if v.required(p.Child("name"), e.Name) {
			v.messages(p.Child("name"), e.Name, validation.IsEnvVarName(e.Name))
			if j := defined[e.Name]; j != i {
				v.add(p.Child("name"), "%q is duplicated (first at %s)", e.Name, path.Index(j))
			}
		}
		sources := 0
		for _, set := range []bool{e.Value != nil, e.SecretKeyRef != nil, e.ConfigMapKeyRef != nil, e.FieldRef != nil, e.ResourceFieldRef != nil} {
			if set {
				sources++
			}
		}
		if sources != 1 {
			v.add(p, "set exactly one of value, secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef")
		}
		if e.FieldRef != nil {
			enum[corev1.ObjectFieldSelector](v, p.Child("fieldRef", "fieldPath"), "fieldPath", e.FieldRef.FieldPath)
		}
		if e.ResourceFieldRef != nil {
			enum[corev1.ResourceFieldSelector](v, p.Child("resourceFieldRef", "resource"), "resource", e.ResourceFieldRef.Resource)
		}
		if e.Value != nil {
			if strings.ContainsRune(*e.Value, 0) {
				v.add(p.Child("value"), "holds a NUL character, which no process environment can carry: the container would not start")
			}
			for _, m := range envRef.FindAllStringSubmatch(*e.Value, -1) {
				if j, ok := defined[m[1]]; ok && j > i {
					v.add(p.Child("value"), "refers to $(%s), which is defined later (%s): variables are expanded in order, move it before", m[1], path.Index(j))
				}
			}
		}
		v.keyRef(e.SecretKeyRef, p.Child("secretKeyRef"))
		v.keyRef(e.ConfigMapKeyRef, p.Child("configMapKeyRef"))
		if ref := e.SecretKeyRef; ref != nil {
			for _, es := range secrets {
				if es.Name == ref.Name && !slices.Contains(es.secretKeys(), ref.Key) && ref.Key != "" {
					v.add(p.Child("secretKeyRef", "key"), "%q is not a key of Secret %q, which externalSecrets creates with keys %s",
						ref.Key, ref.Name, listOrNone(es.secretKeys()))
				}
			}
		}
	}
}

// secretKeys lists the keys of the Secret an ExternalSecret creates.
func (es *ExternalSecret) secretKeys() []string {
	if len(es.Template) > 0 {
		return slices.Sorted(maps.Keys(es.Template))
	}
	keys := make([]string, 0, len(es.Data))
	for _, d := range es.Data {
		keys = append(keys, d.SecretKey)
	}
	return keys
}

func (v *validator) keyRef(ref *KeyRef, path *field.Path) {
	if ref == nil {
		return
	}
	if v.required(path.Child("name"), ref.Name) {
		v.messages(path.Child("name"), ref.Name, validation.IsDNS1123Subdomain(ref.Name))
	}
	if v.required(path.Child("key"), ref.Key) {
		v.messages(path.Child("key"), ref.Key, validation.IsConfigMapKey(ref.Key))
	}
}

func (v *validator) routing(s *AppSpec, path *field.Path) {
	r := s.Routing
	if r == nil {
		return
	}
	seen := map[string]bool{}
	for i, host := range r.Hosts {
		p := path.Child("hosts").Index(i)
		name := strings.TrimPrefix(host, "*.")
		v.messages(p, host, validation.IsDNS1123Subdomain(name))
		v.validHost(host, p)
		if seen[host] {
			v.add(p, "%q is duplicated", host)
		}
		seen[host] = true
	}
	for _, k := range slices.Sorted(maps.Keys(r.RequestHeaders)) {
		v.messages(path.Child("requestHeaders"), k, validation.IsHTTPHeaderName(k))
	}
	if r.Ingress != nil && r.Gateway != nil {
		v.add(path, "set either gateway (Istio) or ingress, not both")
	}
	if g := r.Gateway; g != nil {
		gp := path.Child("gateway")
		if g.Name != "" && g.Create != nil && *g.Create {
			v.add(gp, "set either create or name (an existing gateway), not both")
		}
		if g.Name != "" {
			ns, name, found := strings.Cut(g.Name, "/")
			if !found {
				name, ns = ns, ""
			}
			if ns != "" {
				v.messages(gp.Child("name"), ns, validation.IsDNS1123Label(ns))
			}
			v.messages(gp.Child("name"), name, validation.IsDNS1123Subdomain(name))
		}
		if g.TLS != nil {
			if g.Name != "" {
				v.add(gp.Child("tls"), "applies to a gateway slipway creates: a shared gateway (name) terminates TLS with its own certificates")
			}
			if v.required(gp.Child("tls", "credentialName"), g.TLS.CredentialName) {
				// The name of a Secret, in the gateway's namespace.
				v.messages(gp.Child("tls", "credentialName"), g.TLS.CredentialName, validation.IsDNS1123Subdomain(g.TLS.CredentialName))
			}
		}
		if g.Name == "" && g.Create != nil && !*g.Create {
			v.add(gp.Child("name"), "required when create is false: name the existing gateway to route through")
		}
		if g.Name != "" && len(g.Selector) > 0 {
			v.add(gp.Child("selector"), "only a created gateway has a selector")
		}
	}
	if in := r.Ingress; in != nil {
		ip := path.Child("ingress")
		v.annotations(in.Annotations, ip.Child("annotations"))
		enum[Ingress](v, ip.Child("api"), "api", in.API)
		if in.API == IngressAPIHTTPRoute {
			if len(in.ParentRefs) == 0 {
				v.add(ip.Child("parentRefs"), "required for HTTPRoute: name the Gateway to attach to")
			}
			// The limits of the HTTPRoute CRD.
			if len(r.Hosts) > maxHTTPRouteItems {
				v.add(path.Child("hosts"), "lists %d hosts; an HTTPRoute takes at most %d: split the App's routing, or use Istio", len(r.Hosts), maxHTTPRouteItems)
			}
			if len(r.RequestHeaders) > maxHTTPRouteItems {
				v.add(path.Child("requestHeaders"), "sets %d headers; an HTTPRoute sets at most %d", len(r.RequestHeaders), maxHTTPRouteItems)
			}
			for _, k := range slices.Sorted(maps.Keys(r.RequestHeaders)) {
				if r.RequestHeaders[k] == "" {
					v.add(path.Child("requestHeaders").Key(k), "an HTTPRoute cannot set a header to the empty string")
				}
			}
			if len(in.ParentRefs) > maxParentRefs {
				v.add(ip.Child("parentRefs"), "lists %d parents; an HTTPRoute attaches to at most %d", len(in.ParentRefs), maxParentRefs)
			}
			seen := map[string]int{}
			for i, ref := range in.ParentRefs {
				if j, dup := seen[ref]; dup {
					v.add(ip.Child("parentRefs").Index(i), "%q is duplicated (first at %s): an HTTPRoute attaches to each Gateway once", ref, ip.Child("parentRefs").Index(j))
				}
				seen[ref] = i
			}
			if in.ClassName != "" || in.TLSSecretName != "" {
				v.add(ip, "className and tlsSecretName apply to an Ingress; an HTTPRoute's Gateway handles both")
			}
		}
		if in.API == IngressAPIIngress && len(in.ParentRefs) > 0 {
			v.add(ip.Child("parentRefs"), "applies to HTTPRoute only")
		}
		for i, ref := range in.ParentRefs {
			ns, name, found := strings.Cut(ref, "/")
			if !found {
				name, ns = ns, ""
			}
			if found {
				v.messages(ip.Child("parentRefs").Index(i), ns, validation.IsDNS1123Label(ns))
			}
			v.messages(ip.Child("parentRefs").Index(i), name, validation.IsDNS1123Subdomain(name))
		}
		if in.ClassName != "" {
			v.messages(ip.Child("className"), in.ClassName, validation.IsDNS1123Subdomain(in.ClassName))
		}
		if in.TLSSecretName != "" {
			v.messages(ip.Child("tlsSecretName"), in.TLSSecretName, validation.IsDNS1123Subdomain(in.TLSSecretName))
		}
		if in.API == IngressAPIIngress && len(r.RequestHeaders) > 0 {
			v.add(path.Child("requestHeaders"), "an Ingress cannot set request headers portably; use HTTPRoute or Istio routing, or the ingress controller's own annotations (ingress.annotations)")
		}
		if in.API == IngressAPIIngress && s.Canary != nil && s.Canary.Weight != nil && *s.Canary.Weight > 0 {
			v.add(ip.Child("api"), "an Ingress cannot split traffic; use HTTPRoute or Istio for a canary weight")
		}
	}
}

func (v *validator) canary(app *App, path *field.Path) {
	s := &app.Spec
	c := s.Canary
	if c == nil {
		return
	}
	if c.Controller != CanaryControllerNone {
		enum[Canary](v, path.Child("controller"), "controller", c.Controller)
	}
	v.image(c.Image, path.Child("image"), false)
	v.nonNegative(c.Replicas, path.Child("replicas"))
	if w := c.Weight; w != nil && (*w < 0 || *w > 100) {
		v.add(path.Child("weight"), "must be between 0 and 100, got %d", *w)
	}
	switch c.Controller {
	case CanaryControllerNone:
		// One error for a weight, the first of: out of range (above), no
		// canary pods to send it to, no route to split.
		switch w := c.Weight; {
		case w == nil || *w <= 0 || *w > 100:
		case c.Image == "":
			v.add(path.Child("weight"), "is %d but no canary image is set: the canary Service would have no endpoints", *w)
		case s.Routing == nil:
			v.add(path.Child("weight"), "is %d but the App has no routing: nothing would split traffic between the stable and canary Services", *w)
		}
		if len(c.Steps) > 0 {
			v.add(path.Child("steps"), "apply to controller argo-rollouts only")
		}
		if c.Replicas != nil && c.Image == "" {
			v.add(path.Child("replicas"), "sizes the canary Deployment, which only a canary image creates: set canary.image, or remove replicas")
		}
	case CanaryControllerArgoRollouts:
		if c.Weight != nil && *c.Weight != 0 {
			v.add(path.Child("weight"), "must be 0 with argo-rollouts: the controller sets the weights, through steps")
		}
		if c.Replicas != nil {
			v.add(path.Child("replicas"), "not used with argo-rollouts: the controller sizes the canary from the steps")
		}
		if c.Image != "" && len(c.Steps) == 0 {
			v.add(path.Child("steps"), "required with argo-rollouts and a canary image: without steps the image is promoted at once")
		}
		if s.Routing == nil || s.Routing.Ingress != nil {
			v.add(path.Child("controller"), "argo-rollouts shifts traffic through the Istio VirtualService: set routing (without ingress)")
		}
	case CanaryControllerFlagger:
		if n := len(app.Name) + len("-primary"); n > validation.DNS1123LabelMaxLength {
			v.add(field.NewPath("metadata", "name"), "is %d characters long; under flagger at most %d are allowed, so that Flagger's \"<name>-primary\" is still a valid label value",
				len(app.Name), validation.DNS1123LabelMaxLength-len("-primary"))
		}
		if c.Image != "" || c.Weight != nil || c.Replicas != nil || len(c.Steps) > 0 {
			v.add(path, "with flagger only analysis may be set: Flagger rolls out changes of spec.image and sets the weights itself")
		}
		if s.Routing != nil && s.Routing.Ingress != nil {
			v.add(path.Child("controller"), "flagger shifts traffic through an Istio VirtualService it creates: use Istio routing (without ingress)")
		}
	}
	if c.Analysis != nil && c.Controller != CanaryControllerFlagger {
		v.add(path.Child("analysis"), "applies to controller flagger only")
	}
	for i, step := range c.Steps {
		p := path.Child("steps").Index(i)
		if (step.SetWeight == nil) == (step.Pause == nil) {
			v.add(p, "set exactly one of setWeight and pause")
		}
		if w := step.SetWeight; w != nil && (*w < 0 || *w > 100) {
			v.add(p.Child("setWeight"), "must be between 0 and 100, got %d", *w)
		}
		if step.Pause != nil && step.Pause.Duration != "" {
			if v.duration(step.Pause.Duration, p.Child("pause", "duration")) && strings.HasPrefix(step.Pause.Duration, "-") {
				v.add(p.Child("pause", "duration"), "%q must not be negative", step.Pause.Duration)
			}
		}
	}
	if a := c.Analysis; a != nil && c.Controller == CanaryControllerFlagger {
		if v.duration(a.Interval, path.Child("analysis", "interval")) && !flaggerInterval.MatchString(a.Interval) {
			v.add(path.Child("analysis", "interval"), "%q must start with a number of seconds or minutes, such as 30s or 5m (Flagger's format)", a.Interval)
		}
		for _, f := range []struct {
			name string
			n    *int32
		}{{"threshold", a.Threshold}, {"maxWeight", a.MaxWeight}, {"stepWeight", a.StepWeight}} {
			switch {
			case f.name == "threshold" && *f.n < 1:
				v.add(path.Child("analysis", f.name), "must be at least 1, got %d", *f.n)
			case f.name != "threshold" && (*f.n < 1 || *f.n > 100):
				v.add(path.Child("analysis", f.name), "must be between 1 and 100, got %d", *f.n)
			}
		}
	}
}

// duration reports whether d is a Go duration, and an error when it is not.
func (v *validator) duration(d string, path *field.Path) bool {
	if _, err := time.ParseDuration(d); err != nil {
		v.add(path, "%q is not a duration such as 30s, 5m or 1h", d)
		return false
	}
	return true
}

// flaggerInterval is the pattern of Flagger's Canary CRD for intervals.
var flaggerInterval = regexp.MustCompile(`^[0-9]+(m|s)`)

func (v *validator) externalSecrets(secrets []ExternalSecret, path *field.Path) {
	names := map[string]int{}
	for i, es := range secrets {
		p := path.Index(i)
		if v.required(p.Child("name"), es.Name) {
			v.messages(p.Child("name"), es.Name, validation.IsDNS1123Subdomain(es.Name))
			if j, dup := names[es.Name]; dup {
				v.add(p.Child("name"), "%q is duplicated (first at %s)", es.Name, path.Index(j))
			}
			names[es.Name] = i
		}
		if es.StoreRef == nil {
			v.add(p.Child("storeRef"), "required (or have the Platform set a secretStore)")
		} else {
			v.storeRef(es.StoreRef, p.Child("storeRef"))
		}
		if es.RefreshInterval != "0" {
			v.duration(es.RefreshInterval, p.Child("refreshInterval"))
		}
		enum[ExternalSecret](v, p.Child("creationPolicy"), "creationPolicy", es.CreationPolicy)
		enum[ExternalSecret](v, p.Child("deletionPolicy"), "deletionPolicy", es.DeletionPolicy)
		// External Secrets' admission webhook refuses these pairs.
		switch {
		case es.DeletionPolicy == "Delete" && (es.CreationPolicy == "Merge" || es.CreationPolicy == "None"):
			v.add(p.Child("deletionPolicy"), "Delete needs creationPolicy Owner: with %s the Secret is not the ExternalSecret's to delete", es.CreationPolicy)
		case es.DeletionPolicy == "Merge" && es.CreationPolicy == "None":
			v.add(p.Child("deletionPolicy"), "Merge cannot be used with creationPolicy None: there is no Secret to merge with")
		}
		for _, k := range slices.Sorted(maps.Keys(es.Template)) {
			v.messages(p.Child("template"), k, validation.IsConfigMapKey(k))
		}
		if len(es.Data) == 0 {
			v.add(p.Child("data"), "required: list at least one value to fetch")
		}
		keys := map[string]int{}
		for j, d := range es.Data {
			dp := p.Child("data").Index(j)
			if v.required(dp.Child("secretKey"), d.SecretKey) {
				if len(es.Template) == 0 {
					v.messages(dp.Child("secretKey"), d.SecretKey, validation.IsConfigMapKey(d.SecretKey))
				}
				if k, dup := keys[d.SecretKey]; dup {
					v.add(dp.Child("secretKey"), "%q is duplicated (first at %s)", d.SecretKey, p.Child("data").Index(k))
				}
				keys[d.SecretKey] = j
			}
			v.required(dp.Child("remoteRef", "key"), d.RemoteRef.Key)
		}
	}
}

func (v *validator) storeRef(ref *StoreRef, path *field.Path) {
	if v.required(path.Child("name"), ref.Name) {
		v.messages(path.Child("name"), ref.Name, validation.IsDNS1123Subdomain(ref.Name))
	}
	if ref.Kind != "" {
		enum[StoreRef](v, path.Child("kind"), "kind", ref.Kind)
	}
}

// autoscaling checks the autoscaling of a workload whose containers have
// the given resources, set at resourcesPath (or inherited).
func (v *validator) autoscaling(a *Autoscaling, resources *corev1.ResourceRequirements, resourcesPath, path *field.Path) {
	if a == nil {
		return
	}
	if *a.MinReplicas < 1 {
		v.add(path.Child("minReplicas"), "must be at least 1, got %d", *a.MinReplicas)
	}
	v.scaling(a, path)
	if a.MaxReplicas < *a.MinReplicas {
		v.add(path.Child("maxReplicas"), "must be at least minReplicas (%d), got %d", *a.MinReplicas, a.MaxReplicas)
	}
	if t := a.TargetCPUUtilizationPercentage; t != nil && *t < 1 {
		v.add(path.Child("targetCPUUtilizationPercentage"), "must be at least 1, got %d", *t)
	}
	if t := a.TargetMemoryUtilizationPercentage; t != nil && *t < 1 {
		v.add(path.Child("targetMemoryUtilizationPercentage"), "must be at least 1, got %d", *t)
	}
	// A utilization target is a share of the request: without one the
	// autoscaler cannot compute it and never scales. A limit alone counts, as
	// Kubernetes then sets the request to the limit.
	for _, t := range []struct {
		field    string
		target   *int32
		resource corev1.ResourceName
	}{
		{"targetCPUUtilizationPercentage", a.TargetCPUUtilizationPercentage, corev1.ResourceCPU},
		{"targetMemoryUtilizationPercentage", a.TargetMemoryUtilizationPercentage, corev1.ResourceMemory},
	} {
		if t.target == nil {
			continue
		}
		if r := resources; r != nil {
			if _, ok := r.Requests[t.resource]; ok {
				continue
			}
			if _, ok := r.Limits[t.resource]; ok {
				continue
			}
		}
		v.add(path.Child(t.field), "needs %s (from the App or the Platform): utilization is measured against the request", resourcesPath.Child("requests", string(t.resource)))
	}
}

// disruptionBudget checks the budget of a workload with replicas pods, or
// autoscaling.
func (v *validator) disruptionBudget(b *DisruptionBudget, replicas *int32, autoscaling *Autoscaling, path *field.Path) {
	if b == nil {
		return
	}
	if (b.MinAvailable == nil) == (b.MaxUnavailable == nil) {
		v.add(path, "set exactly one of minAvailable and maxUnavailable")
	}
	for _, f := range []struct {
		name string
		n    *intstr.IntOrString
	}{{"minAvailable", b.MinAvailable}, {"maxUnavailable", b.MaxUnavailable}} {
		name, n := f.name, f.n
		if n == nil {
			continue
		}
		if n.Type == intstr.String {
			if !percentage.MatchString(n.StrVal) {
				v.add(path.Child(name), "%q must be a number or a percentage such as 25%%", n.StrVal)
			}
		} else if n.IntVal < 0 {
			v.add(path.Child(name), "must not be negative, got %d", n.IntVal)
		}
	}
	if m := b.MinAvailable; m != nil && m.Type == intstr.String && m.StrVal == "100%" {
		v.add(path.Child("minAvailable"), "is \"100%%\": no pod could ever be evicted, which blocks node drains")
	}
	if m := b.MaxUnavailable; m != nil && (m.Type == intstr.Int && m.IntVal == 0 || m.Type == intstr.String && m.StrVal == "0%") {
		v.add(path.Child("maxUnavailable"), "is %q: no pod could ever be evicted, which blocks node drains", m.String())
	}
	// The fewest pods the workload runs: a budget that keeps them all
	// available lets no pod be evicted. A percentage is rounded up, as the
	// eviction API does.
	fewest, what := int32(0), ""
	switch {
	case autoscaling != nil:
		fewest, what = *autoscaling.MinReplicas, "autoscaling may run as few as %d replica(s)"
	case replicas != nil:
		fewest, what = *replicas, "the workload runs %d replica(s)"
	}
	if m := b.MinAvailable; m != nil && fewest > 0 && m.StrVal != "100%" {
		need, err := intstr.GetScaledValueFromIntOrPercent(m, int(fewest), true)
		if err == nil && need >= int(fewest) {
			v.add(path.Child("minAvailable"), "is %s but "+what+": no pod could ever be evicted, which blocks node drains", m.String(), fewest)
		}
	}
}

func (v *validator) config(c *Config, path *field.Path) {
	if c == nil {
		return
	}
	if len(c.Data) == 0 {
		v.add(path.Child("data"), "required: at least one key")
	}
	v.configMapSize(c.Data, path.Child("data"))
	for _, k := range slices.Sorted(maps.Keys(c.Data)) {
		v.messages(path.Child("data"), k, validation.IsConfigMapKey(k))
		if c.Env {
			v.messages(path.Child("data"), k, validation.IsEnvVarName(k))
		}
	}
}

// mountPaths checks the directories the config, the external secrets and
// the volumes are mounted at: absolute, not /tmp (the writable scratch
// directory), and each used once, as Kubernetes requires of a container's
// mounts.
func (v *validator) mountPaths(s *AppSpec, spec *field.Path) {
	type mount struct {
		path *field.Path
		dir  string
	}
	var mounts []mount
	if s.Config != nil && s.Config.MountPath != "" {
		mounts = append(mounts, mount{spec.Child("config", "mountPath"), s.Config.MountPath})
	}
	for i, es := range s.ExternalSecrets {
		if es.MountPath != "" {
			mounts = append(mounts, mount{spec.Child("externalSecrets").Index(i).Child("mountPath"), es.MountPath})
		}
	}
	// Every other container mounts some of these, and /tmp: checking them
	// all, as the main container mounts them, checks each container.
	for i, vol := range s.Volumes {
		if v.required(spec.Child("volumes").Index(i).Child("mountPath"), vol.MountPath) {
			mounts = append(mounts, mount{spec.Child("volumes").Index(i).Child("mountPath"), vol.MountPath})
		}
	}
	first := map[string]*field.Path{}
	for _, m := range mounts {
		switch dir := path.Clean(m.dir); {
		case !strings.HasPrefix(m.dir, "/"):
			v.add(m.path, "%q must be an absolute path", m.dir)
		case dir == "/tmp":
			v.add(m.path, "/tmp is the writable scratch directory; mount elsewhere")
		case dir == "/":
			v.add(m.path, "cannot be the root directory")
		case first[dir] != nil:
			v.add(m.path, "%q is already mounted at %s", m.dir, first[dir])
		default:
			first[dir] = m.path
		}
	}
}

func (v *validator) serviceAccount(sa *ServiceAccount, path *field.Path) {
	if sa == nil {
		return
	}
	v.messages(path.Child("name"), sa.Name, validation.IsDNS1123Subdomain(sa.Name))
	v.annotations(sa.Annotations, path.Child("annotations"))
	if !*sa.Create && len(sa.Annotations) > 0 {
		v.add(path.Child("annotations"), "apply to a created ServiceAccount only (create is false)")
	}
}

func (v *validator) probes(s *AppSpec, path *field.Path) {
	p := s.Probes
	if p == nil {
		return
	}
	for _, probe := range []struct {
		name  string
		probe *Probe
	}{{"readiness", p.Readiness}, {"liveness", p.Liveness}, {"startup", p.Startup}} {
		if probe.probe == nil {
			continue
		}
		pp, pr := path.Child(probe.name), probe.probe
		v.probeTimings(&pr.Probe, probe.name, pp)
		handlers := 0
		for _, set := range []bool{pr.Path != "", pr.Exec != nil, pr.HTTPGet != nil, pr.TCPSocket != nil, pr.GRPC != nil} {
			if set {
				handlers++
			}
		}
		if handlers != 1 {
			v.add(pp, "set exactly one of path (the HTTP shorthand), exec, httpGet, tcpSocket and grpc")
		}
		if pr.Path != "" && !strings.HasPrefix(pr.Path, "/") {
			v.add(pp.Child("path"), "%q must start with /", pr.Path)
		}
		if pr.Port != nil && pr.Path == "" {
			v.add(pp.Child("port"), "belongs to the path shorthand; the full form sets httpGet.port")
		}
		if pr.Path != "" && pr.Port != nil {
			v.portRef(*pr.Port, s.Ports, pp.Child("port"))
		}
		if pr.Path != "" && pr.Port == nil && len(s.Ports) == 0 {
			v.add(pp.Child("path"), "the HTTP shorthand needs a port, but the App has none (ports: [])")
		}
		if pr.HTTPGet != nil {
			v.portRef(pr.HTTPGet.Port, s.Ports, pp.Child("httpGet", "port"))
		}
		if pr.TCPSocket != nil {
			v.portRef(pr.TCPSocket.Port, s.Ports, pp.Child("tcpSocket", "port"))
		}
		if pr.GRPC != nil {
			v.portRef(intstr.FromInt32(pr.GRPC.Port), s.Ports, pp.Child("grpc", "port"))
		}
	}
}

// portRef checks that a port, by name or number, is one of the app's ports.
func (v *validator) portRef(ref intstr.IntOrString, ports []Port, path *field.Path) {
	names := make([]string, len(ports))
	for i, port := range ports {
		names[i] = fmt.Sprintf("%s (%d)", port.Name, port.Port)
		if (ref.Type == intstr.String && ref.StrVal == port.Name) || (ref.Type == intstr.Int && ref.IntVal == port.Port) {
			return
		}
	}
	value := ref.String()
	if ref.Type == intstr.String {
		value = fmt.Sprintf("%q", ref.StrVal)
	}
	if len(ports) == 0 {
		v.add(path, "%s is not a port of the container, which has none (ports: [])", value)
		return
	}
	v.add(path, "%s is not a port of the container; its ports are %s", value, strings.Join(names, ", "))
}

func (v *validator) security(sec *Security, path *field.Path) {
	enum[Security](v, path.Child("seccompProfile"), "seccompProfile", sec.SeccompProfile)
	v.ids(path, map[string]*int64{"runAsUser": sec.RunAsUser, "runAsGroup": sec.RunAsGroup, "fsGroup": sec.FSGroup})
	if *sec.RunAsNonRoot && sec.RunAsUser != nil && *sec.RunAsUser == 0 {
		v.add(path.Child("runAsUser"), "is 0 (root) but runAsNonRoot is true: the container would never start")
	}
	for i, c := range sec.AddCapabilities {
		if string(c) != strings.ToUpper(string(c)) || strings.HasPrefix(string(c), "CAP_") || c == "" {
			v.add(path.Child("addCapabilities").Index(i), "%q must be a capability name such as NET_BIND_SERVICE (upper case, without CAP_)", c)
		}
	}
}

// AnnotationConfigHash is the pod annotation that rolls the pods when the
// config changes; an App may not set it.
const AnnotationConfigHash = "slipway.dev/config-hash"

// pod checks the pod settings where the API server would refuse them, so
// that a mistake shows here and not at sync time; affinity is checked for
// its fields and types only.
func (v *validator) pod(pod *Pod, path *field.Path) {
	if pod == nil {
		return
	}
	v.annotations(pod.Annotations, path.Child("annotations"))
	if _, set := pod.Annotations[AnnotationConfigHash]; set {
		v.add(path.Child("annotations").Key(AnnotationConfigHash), "is set by slipway from the config's content")
	}
	v.affinity(pod.Affinity, path.Child("affinity"))
	v.labels(pod.NodeSelector, path.Child("nodeSelector"))
	for i, t := range pod.Tolerations {
		p := path.Child("tolerations").Index(i)
		if t.Key != "" {
			v.messages(p.Child("key"), t.Key, validation.IsQualifiedName(t.Key))
		}
		if t.Operator != "" { // empty means Equal
			enum[corev1.Toleration](v, p.Child("operator"), "operator", string(t.Operator))
		}
		switch {
		case t.Key == "" && t.Operator != corev1.TolerationOpExists:
			v.add(p.Child("operator"), "must be Exists when key is empty (which tolerates every taint)")
		case t.Operator == corev1.TolerationOpExists && t.Value != "":
			v.add(p.Child("value"), "must be empty with operator Exists")
		}
		if t.Effect != "" { // empty matches every effect
			enum[corev1.Toleration](v, p.Child("effect"), "effect", string(t.Effect))
		}
		if t.TolerationSeconds != nil && t.Effect != corev1.TaintEffectNoExecute {
			v.add(p.Child("tolerationSeconds"), "applies to effect NoExecute only")
		}
	}
	spreads := map[string]int{}
	for i, c := range pod.TopologySpreadConstraints {
		p := path.Child("topologySpreadConstraints").Index(i)
		// The API server allows one constraint per key and behaviour.
		key := c.TopologyKey + "/" + string(c.WhenUnsatisfiable)
		if j, dup := spreads[key]; dup {
			v.add(p, "spreads by %q with %s as %s does: one constraint per key and whenUnsatisfiable", c.TopologyKey, c.WhenUnsatisfiable, path.Child("topologySpreadConstraints").Index(j))
		}
		spreads[key] = i
		if c.MaxSkew < 1 {
			v.add(p.Child("maxSkew"), "must be at least 1, got %d", c.MaxSkew)
		}
		if v.required(p.Child("topologyKey"), c.TopologyKey) {
			v.messages(p.Child("topologyKey"), c.TopologyKey, validation.IsQualifiedName(c.TopologyKey))
		}
		enum[corev1.TopologySpreadConstraint](v, p.Child("whenUnsatisfiable"), "whenUnsatisfiable", string(c.WhenUnsatisfiable))
		if c.MinDomains != nil && (*c.MinDomains < 1 || c.WhenUnsatisfiable != corev1.DoNotSchedule) {
			v.add(p.Child("minDomains"), "applies with whenUnsatisfiable DoNotSchedule only, and must be at least 1")
		}
		v.labelSelector(c.LabelSelector, p.Child("labelSelector"))
	}
	if pod.PriorityClassName != "" {
		v.messages(path.Child("priorityClassName"), pod.PriorityClassName, validation.IsDNS1123Subdomain(pod.PriorityClassName))
	}
	seen := map[string]bool{}
	for i, name := range pod.ImagePullSecrets {
		p := path.Child("imagePullSecrets").Index(i)
		if v.required(p, name) {
			v.messages(p, name, validation.IsDNS1123Subdomain(name))
		}
		if seen[name] {
			v.add(p, "%q is duplicated", name)
		}
		seen[name] = true
	}
	if g := pod.TerminationGracePeriodSeconds; g != nil && *g < 0 {
		v.add(path.Child("terminationGracePeriodSeconds"), "must not be negative, got %d", *g)
	}
}

func (v *validator) service(s *AppSpec, path *field.Path) {
	svc := s.Service
	enum[Service](v, path.Child("type"), "type", string(svc.Type))
	v.annotations(svc.Annotations, path.Child("annotations"))
	external := svc.Type == corev1.ServiceTypeNodePort || svc.Type == corev1.ServiceTypeLoadBalancer
	for i, port := range s.Ports {
		p := specPath.Child("ports").Index(i).Child("nodePort")
		switch {
		case port.NodePort == 0:
		case !external:
			v.add(p, "needs service.type NodePort or LoadBalancer, got %q", svc.Type)
		case port.NodePort < 30000 || port.NodePort > 32767:
			v.add(p, "must be between 30000 and 32767 (the default node port range), got %d", port.NodePort)
		case !slices.Contains(s.ExposedPorts(), port.Name):
			v.add(p, "is set, but the port %q is not exposed (service.exposePorts)", port.Name)
		}
	}
	for i, name := range svc.ExposePorts {
		if !slices.ContainsFunc(s.Ports, func(p Port) bool { return p.Name == name }) {
			v.add(path.Child("exposePorts").Index(i), "%q is not one of the App's ports", name)
		}
	}
	if len(svc.ExposePorts) > 0 && !external {
		v.add(path.Child("exposePorts"), "applies to a NodePort or LoadBalancer Service; a ClusterIP Service is reached inside the cluster only")
	}
	if len(s.Ports) > 0 && external && len(s.ExposedPorts()) == 0 {
		v.add(path.Child("exposePorts"), "exposes no port: a %s Service needs one", svc.Type)
	}
	if svc.ExternalTrafficPolicy != "" {
		enum[Service](v, path.Child("externalTrafficPolicy"), "externalTrafficPolicy", string(svc.ExternalTrafficPolicy))
		if !external {
			v.add(path.Child("externalTrafficPolicy"), "applies to a NodePort or LoadBalancer Service")
		}
	}
}

// ExposedPorts are the ports a NodePort or LoadBalancer stable Service
// exposes: those listed, or every port but the one monitoring scrapes.
func (s *AppSpec) ExposedPorts() []string {
	if len(s.Service.ExposePorts) > 0 {
		return s.Service.ExposePorts
	}
	var names []string
	for _, p := range s.Ports {
		if s.Monitoring == nil || p.Name != s.Monitoring.Port {
			names = append(names, p.Name)
		}
	}
	return names
}

func (v *validator) monitoring(s *AppSpec, path *field.Path) {
	m := s.Monitoring
	if m == nil {
		return
	}
	if len(s.Ports) > 0 { // else the App has nothing to scrape, which workload reports
		v.portRef(intstr.FromString(m.Port), s.Ports, path.Child("port"))
	}
	v.labels(m.Labels, path.Child("labels"))
	for _, k := range slices.Sorted(maps.Keys(m.Labels)) {
		if slices.Contains(selectorLabels, k) {
			v.add(path.Child("labels").Key(k), "is one of slipway's own labels (%s)", strings.Join(selectorLabels, ", "))
		}
	}
	if !strings.HasPrefix(m.Path, "/") {
		v.add(path.Child("path"), "%q must start with /", m.Path)
	}
	if v.duration(m.Interval, path.Child("interval")) && !prometheusDuration.MatchString(m.Interval) {
		v.add(path.Child("interval"), "%q must be a Prometheus duration: whole numbers with units, largest first, such as 30s or 1m30s", m.Interval)
	}
}

// selectorLabels are the labels slipway sets on every object and selects by.
var selectorLabels = []string{"app", "app.kubernetes.io/name", "app.kubernetes.io/managed-by"}

// prometheusDuration is the pattern of the ServiceMonitor and PodMonitor
// CRDs for intervals.
var prometheusDuration = regexp.MustCompile(`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`)
