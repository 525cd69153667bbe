package manifests

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// AuthorizationPolicy is the subset of the Istio AuthorizationPolicy
// (security.istio.io/v1) that slipway renders.
type AuthorizationPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              AuthorizationPolicySpec `json:"spec"`
}

// AuthorizationPolicySpec allows the requests its rules match to the
// workloads it selects.
type AuthorizationPolicySpec struct {
	Selector WorkloadSelector `json:"selector"`
	Action   string           `json:"action"`
	Rules    []AuthzRule      `json:"rules"`
}

// WorkloadSelector selects pods by labels.
type WorkloadSelector struct {
	MatchLabels map[string]string `json:"matchLabels"`
}

// AuthzRule matches requests from sources to operations.
type AuthzRule struct {
	From []AuthzFrom `json:"from"`
	To   []AuthzTo   `json:"to"`
}

// AuthzFrom is a source of requests.
type AuthzFrom struct {
	Source AuthzSource `json:"source"`
}

// AuthzSource names callers by workload identity or namespace.
type AuthzSource struct {
	Principals []string `json:"principals,omitempty"`
	Namespaces []string `json:"namespaces,omitempty"`
}

// AuthzTo is an operation on the app.
type AuthzTo struct {
	Operation AuthzOperation `json:"operation"`
}

// AuthzOperation names the ports called.
type AuthzOperation struct {
	Ports []string `json:"ports"`
}

// labelNamespaceName is the label Kubernetes gives every namespace with its
// own name, which a NetworkPolicy selects a namespace by.
const labelNamespaceName = "kubernetes.io/metadata.name"

// caller is one allowed caller, as a NetworkPolicy peer and as an Istio
// source, with the ports it may call.
type caller struct {
	peer   networkingv1.NetworkPolicyPeer
	source AuthzSource
	ports  []v1alpha1.Port
}

// callers resolves allowFrom: namespaces and their Apps' pods (whose
// identity is the service account slipway names after the App), the
// ingress gateway and Prometheus, as the Platform's mesh settings place
// them. Prometheus may call the metrics port only, when monitoring names
// one.
func (r *renderer) callers() []caller {
	mesh := r.platform.MeshOrDefault()
	out := make([]caller, 0, len(r.spec.AllowFrom))
	principal := func(ns, sa string) string {
		return fmt.Sprintf("%s/ns/%s/sa/%s", mesh.TrustDomain, ns, sa)
	}
	for _, a := range r.spec.AllowFrom {
		c := caller{ports: r.spec.Ports}
		switch {
		case a.IngressGateway:
			g := mesh.IngressGateway
			c.peer = networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace(g.Namespace), PodSelector: &metav1.LabelSelector{MatchLabels: maps.Clone(g.Labels)}}
			c.source = AuthzSource{Principals: []string{principal(g.Namespace, g.ServiceAccount)}}
		case a.Monitoring:
			c.peer = networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace(mesh.MonitoringNamespace)}
			c.source = AuthzSource{Namespaces: []string{mesh.MonitoringNamespace}}
			if m := r.spec.Monitoring; m != nil {
				c.ports = slices.DeleteFunc(slices.Clone(r.spec.Ports), func(p v1alpha1.Port) bool { return p.Name != m.Port })
			}
		case a.App != "":
			c.peer = networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace(a.Namespace), PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{LabelApp: a.App}}}
			c.source = AuthzSource{Principals: []string{principal(a.Namespace, a.App)}}
		default:
			c.peer = networkingv1.NetworkPolicyPeer{NamespaceSelector: inNamespace(a.Namespace)}
			c.source = AuthzSource{Namespaces: []string{a.Namespace}}
		}
		out = append(out, c)
	}
	return out
}

// networkPolicy admits exactly the allowed callers to the App's ports, and
// nothing else, to its serving pods.
func (r *renderer) networkPolicy() []any {
	if len(r.spec.AllowFrom) == 0 {
		return nil
	}
	var rules []networkingv1.NetworkPolicyIngressRule
	for _, c := range r.callers() {
		rule := networkingv1.NetworkPolicyIngressRule{From: []networkingv1.NetworkPolicyPeer{c.peer}}
		for _, p := range c.ports {
			protocol, port := p.Protocol, intstr.FromInt32(p.Port)
			rule.Ports = append(rule.Ports, networkingv1.NetworkPolicyPort{Protocol: &protocol, Port: &port})
		}
		rules = append(rules, rule)
	}
	return []any{&networkingv1.NetworkPolicy{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{LabelApp: r.app.Name}},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress:     rules,
		},
	}}
}

// authorizationPolicy allows the same callers through the mesh, by
// workload identity where it has one: a NetworkPolicy sees addresses,
// Istio sees who calls. Not rendered for an App routed through an
// Ingress, which marks a cluster without Istio.
func (r *renderer) authorizationPolicy() []any {
	if len(r.spec.AllowFrom) == 0 || r.routingAPI() == v1alpha1.IngressAPIIngress {
		return nil
	}
	var rules []AuthzRule
	for _, c := range r.callers() {
		ports := make([]string, len(c.ports))
		for i, p := range c.ports {
			ports[i] = strconv.Itoa(int(p.Port))
		}
		rules = append(rules, AuthzRule{From: []AuthzFrom{{Source: c.source}}, To: []AuthzTo{{Operation: AuthzOperation{Ports: ports}}}})
	}
	return []any{&AuthorizationPolicy{
		TypeMeta:   typeMeta(AuthorizationPolicyAPIVersion, "AuthorizationPolicy"),
		ObjectMeta: r.meta(r.app.Name),
		Spec: AuthorizationPolicySpec{
			Selector: WorkloadSelector{MatchLabels: map[string]string{LabelApp: r.app.Name}},
			Action:   "ALLOW",
			Rules:    rules,
		},
	}}
}

// AuthorizationPolicyAPIVersion is Istio's security API.
const AuthorizationPolicyAPIVersion = "security.istio.io/v1"

// inNamespace selects the namespace of that name.
func inNamespace(ns string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{labelNamespaceName: ns}}
}
