package v1alpha1

import (
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The checks in this file mirror the API server's own validation of what
// an App renders, so that a value the cluster would refuse at sync time is
// an error here, at the App field that holds it.

// Size limits the API server enforces.
const (
	// maxAnnotationsSize is the most all annotations of one object may
	// hold, keys and values together.
	maxAnnotationsSize = 256 * 1024
	// maxConfigMapSize is the most a ConfigMap's data may hold.
	maxConfigMapSize = 1024 * 1024
	// maxHTTPRouteItems is the most hostnames, and header modifications, the
	// HTTPRoute CRD takes.
	maxHTTPRouteItems = 16
	// maxParentRefs is the most parents the HTTPRoute CRD takes.
	maxParentRefs = 32
)

// annotations checks annotation keys, and the total size, as the API server
// does for every object.
func (v *validator) annotations(annotations map[string]string, path *field.Path) {
	size := 0
	for _, k := range slices.Sorted(maps.Keys(annotations)) {
		v.messages(path, k, validation.IsQualifiedName(strings.ToLower(k)))
		size += len(k) + len(annotations[k])
	}
	if size > maxAnnotationsSize {
		v.add(path, "holds %d bytes; the API server allows at most %d (256 KiB) on one object", size, maxAnnotationsSize)
	}
}

// standardResources are the container resources Kubernetes defines; any
// other resource is an extended one, named "<domain>/<name>".
var standardResources = []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage}

// resources checks a container's requests and limits as the API server
// does: known or extended resource names, no negative quantity, a request
// at most its limit, and an extended resource (or huge pages) requested
// exactly at its limit, in whole units.
func (v *validator) resources(r *corev1.ResourceRequirements, path *field.Path) {
	if r == nil {
		return
	}
	for _, list := range []struct {
		name   string
		values corev1.ResourceList
	}{{"limits", r.Limits}, {"requests", r.Requests}} {
		for _, name := range slices.Sorted(maps.Keys(list.values)) {
			q, p := list.values[name], path.Child(list.name).Key(string(name))
			switch {
			case slices.Contains(standardResources, name), strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix):
			case strings.Contains(string(name), "/") && !strings.Contains(string(name), "kubernetes.io/"):
				if msgs := validation.IsQualifiedName(string(name)); len(msgs) > 0 {
					v.messages(p, string(name), msgs)
					continue
				}
				if q.MilliValue()%1000 != 0 {
					v.add(p, "%s: an extended resource is counted in whole units", q.String())
				}
			default:
				v.add(p, "%q is not a resource: use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource <domain>/<name>", name)
				continue
			}
			if q.Sign() < 0 {
				v.add(p, "must not be negative, got %s", q.String())
			}
		}
	}
	hugePages := slices.ContainsFunc(slices.Concat(slices.Collect(maps.Keys(r.Limits)), slices.Collect(maps.Keys(r.Requests))), func(n corev1.ResourceName) bool {
		return strings.HasPrefix(string(n), corev1.ResourceHugePagesPrefix)
	})
	_, cpu := r.Limits[corev1.ResourceCPU]
	_, cpuReq := r.Requests[corev1.ResourceCPU]
	_, mem := r.Limits[corev1.ResourceMemory]
	_, memReq := r.Requests[corev1.ResourceMemory]
	if hugePages && !cpu && !cpuReq && !mem && !memReq {
		v.add(path, "huge pages need a cpu or memory request or limit beside them")
	}
	for _, name := range slices.Sorted(maps.Keys(r.Requests)) {
		req, p := r.Requests[name], path.Child("requests").Key(string(name))
		limit, limited := r.Limits[name]
		// Extended resources and huge pages cannot be overcommitted.
		exact := !slices.Contains(standardResources, name) && (strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) || strings.Contains(string(name), "/"))
		switch {
		case limited && req.Cmp(limit) > 0:
			v.add(p, "%s exceeds the limit %s", req.String(), limit.String())
		case exact && !limited:
			v.add(path.Child("limits").Key(string(name)), "required: %s cannot be overcommitted, so its limit must be set, equal to the request", name)
		case exact && req.Cmp(limit) != 0:
			v.add(p, "%s differs from the limit %s: %s cannot be overcommitted, request it at its limit", req.String(), limit.String(), name)
		}
	}
}

// probeTimings checks the timing fields of a probe: none negative, and a
// liveness or startup probe succeeds after one success.
func (v *validator) probeTimings(p *corev1.Probe, name string, path *field.Path) {
	for _, f := range []struct {
		name  string
		value int32
	}{
		{"initialDelaySeconds", p.InitialDelaySeconds}, {"timeoutSeconds", p.TimeoutSeconds}, {"periodSeconds", p.PeriodSeconds},
		{"successThreshold", p.SuccessThreshold}, {"failureThreshold", p.FailureThreshold},
	} {
		if f.value < 0 {
			v.add(path.Child(f.name), "must not be negative, got %d", f.value)
		}
	}
	if name != "readiness" && p.SuccessThreshold > 1 {
		v.add(path.Child("successThreshold"), "must be 1 for a %s probe, got %d", name, p.SuccessThreshold)
	}
	if g := p.TerminationGracePeriodSeconds; g != nil && *g < 1 {
		v.add(path.Child("terminationGracePeriodSeconds"), "must be positive, got %d", *g)
	}
	if name == "readiness" && p.TerminationGracePeriodSeconds != nil {
		v.add(path.Child("terminationGracePeriodSeconds"), "applies to liveness and startup probes only")
	}
	if p.Exec != nil && len(p.Exec.Command) == 0 {
		v.add(path.Child("exec", "command"), "required: an exec probe runs a command")
	}
}

// ids checks user and group IDs: the kernel's range, as the API server
// requires.
func (v *validator) ids(path *field.Path, ids map[string]*int64) {
	for _, name := range slices.Sorted(maps.Keys(ids)) {
		if id := ids[name]; id != nil && (*id < 0 || *id > 1<<31-1) {
			v.add(path.Child(name), "must be between 0 and 2147483647, got %d", *id)
		}
	}
}

// affinity checks node and pod (anti-)affinity as the API server does.
func (v *validator) affinity(a *corev1.Affinity, path *field.Path) {
	if a == nil {
		return
	}
	if na := a.NodeAffinity; na != nil {
		p := path.Child("nodeAffinity")
		if r := na.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			rp := p.Child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
			if len(r.NodeSelectorTerms) == 0 {
				v.add(rp, "required: at least one term")
			}
			for i, term := range r.NodeSelectorTerms {
				v.nodeSelectorTerm(term, rp.Index(i))
			}
		}
		for i, pref := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			pp := p.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			v.weight(pref.Weight, pp.Child("weight"))
			v.nodeSelectorTerm(pref.Preference, pp.Child("preference"))
		}
	}
	for _, pa := range []struct {
		name      string
		required  []corev1.PodAffinityTerm
		preferred []corev1.WeightedPodAffinityTerm
	}{
		{"podAffinity", podAffinityRequired(a.PodAffinity), podAffinityPreferred(a.PodAffinity)},
		{"podAntiAffinity", antiAffinityRequired(a.PodAntiAffinity), antiAffinityPreferred(a.PodAntiAffinity)},
	} {
		p := path.Child(pa.name)
		for i, term := range pa.required {
			v.podAffinityTerm(term, p.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i))
		}
		for i, pref := range pa.preferred {
			pp := p.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			v.weight(pref.Weight, pp.Child("weight"))
			v.podAffinityTerm(pref.PodAffinityTerm, pp.Child("podAffinityTerm"))
		}
	}
}

func podAffinityRequired(a *corev1.PodAffinity) []corev1.PodAffinityTerm {
	if a == nil {
		return nil
	}
	return a.RequiredDuringSchedulingIgnoredDuringExecution
}

func podAffinityPreferred(a *corev1.PodAffinity) []corev1.WeightedPodAffinityTerm {
	if a == nil {
		return nil
	}
	return a.PreferredDuringSchedulingIgnoredDuringExecution
}

func antiAffinityRequired(a *corev1.PodAntiAffinity) []corev1.PodAffinityTerm {
	if a == nil {
		return nil
	}
	return a.RequiredDuringSchedulingIgnoredDuringExecution
}

func antiAffinityPreferred(a *corev1.PodAntiAffinity) []corev1.WeightedPodAffinityTerm {
	if a == nil {
		return nil
	}
	return a.PreferredDuringSchedulingIgnoredDuringExecution
}

func (v *validator) weight(w int32, path *field.Path) {
	if w < 1 || w > 100 {
		v.add(path, "must be between 1 and 100, got %d", w)
	}
}

func (v *validator) nodeSelectorTerm(term corev1.NodeSelectorTerm, path *field.Path) {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		v.add(path, "required: matchExpressions or matchFields (an empty term matches no node)")
	}
	for i, req := range term.MatchExpressions {
		p := path.Child("matchExpressions").Index(i)
		v.messages(p.Child("key"), req.Key, validation.IsQualifiedName(req.Key))
		v.nodeSelectorValues(req, p)
	}
	for i, req := range term.MatchFields {
		p := path.Child("matchFields").Index(i)
		if req.Key != "metadata.name" {
			v.add(p.Child("key"), "unsupported value %q: must be metadata.name", req.Key)
		}
		if req.Operator != corev1.NodeSelectorOpIn && req.Operator != corev1.NodeSelectorOpNotIn || len(req.Values) != 1 {
			v.add(p, "must be operator In or NotIn with exactly one value")
		}
	}
}

func (v *validator) nodeSelectorValues(req corev1.NodeSelectorRequirement, path *field.Path) {
	switch req.Operator {
	case corev1.NodeSelectorOpIn, corev1.NodeSelectorOpNotIn:
		if len(req.Values) == 0 {
			v.add(path.Child("values"), "required with operator %s", req.Operator)
		}
	case corev1.NodeSelectorOpExists, corev1.NodeSelectorOpDoesNotExist:
		if len(req.Values) > 0 {
			v.add(path.Child("values"), "must be empty with operator %s", req.Operator)
		}
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if len(req.Values) != 1 || !isInteger(req.Values[0]) {
			v.add(path.Child("values"), "must be one integer with operator %s", req.Operator)
		}
	default:
		enum[corev1.NodeSelectorRequirement](v, path.Child("operator"), "operator", string(req.Operator))
	}
	for j, value := range req.Values {
		v.messages(path.Child("values").Index(j), value, validation.IsValidLabelValue(value))
	}
}

func isInteger(s string) bool {
	var n int64
	_, err := fmt.Sscanf(s, "%d", &n)
	return err == nil && fmt.Sprint(n) == s
}

func (v *validator) podAffinityTerm(term corev1.PodAffinityTerm, path *field.Path) {
	if v.required(path.Child("topologyKey"), term.TopologyKey) {
		v.messages(path.Child("topologyKey"), term.TopologyKey, validation.IsQualifiedName(term.TopologyKey))
	}
	v.labelSelector(term.LabelSelector, path.Child("labelSelector"))
	v.labelSelector(term.NamespaceSelector, path.Child("namespaceSelector"))
	for i, ns := range term.Namespaces {
		v.messages(path.Child("namespaces").Index(i), ns, validation.IsDNS1123Label(ns))
	}
}

// labelSelector checks a selector with apimachinery's own validation.
func (v *validator) labelSelector(s *metav1.LabelSelector, path *field.Path) {
	if s == nil {
		return
	}
	for _, e := range metav1validation.ValidateLabelSelector(s, metav1validation.LabelSelectorValidationOptions{}, path) {
		detail := e.Detail
		if e.Type == field.ErrorTypeInvalid {
			detail = fmt.Sprintf("%v: %s", e.BadValue, e.Detail)
		}
		v.add(field.NewPath(e.Field), "%s", detail)
	}
}

// validHost refuses an IP address as a routing host: routes match the
// Host header by DNS name, and an Ingress refuses an IP outright.
func (v *validator) validHost(host string, path *field.Path) {
	if net.ParseIP(host) != nil {
		v.add(path, "%q is an IP address; hosts are DNS names", host)
	}
}

// configMapSize refuses config data larger than a ConfigMap may hold.
func (v *validator) configMapSize(data map[string]string, path *field.Path) {
	size := 0
	for k, value := range data {
		size += len(k) + len(value)
	}
	if size > maxConfigMapSize {
		v.add(path, "holds %d bytes; a ConfigMap holds at most %d (1 MiB)", size, maxConfigMapSize)
	}
}
