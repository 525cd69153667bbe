package manifests

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
)

// Pod Security admission and Istio labels of a tenant's Namespace, and the
// IRSA annotation of its store's ServiceAccount.
const (
	LabelPodSecurityEnforce = "pod-security.kubernetes.io/enforce"
	LabelPodSecurityAudit   = "pod-security.kubernetes.io/audit"
	LabelPodSecurityWarn    = "pod-security.kubernetes.io/warn"
	LabelIstioInjection     = "istio-injection"
	AnnotationIRSARole      = "eks.amazonaws.com/role-arn"
	// DefaultDenyName is the tenant's namespace-wide NetworkPolicy.
	DefaultDenyName = "default-deny"
	// PluginName is the name Argo CD knows slipway's plugin by.
	PluginName = "slipway"
)

// PlatformApp is an App a Platform renders an Argo CD Application for.
type PlatformApp struct {
	Name, Namespace string
	// Path is the App's directory from the repository's root.
	Path string
}

// RenderPlatform returns the Platform's own objects (see PlatformKinds): its
// tenants', and the Argo CD Applications of the Apps, in the order of
// PlatformKinds. platformPath is the Platform's file from the repository's
// root, unless spec.argoCD.platformPath says otherwise.
func RenderPlatform(platform *v1alpha1.Platform, apps []PlatformApp, platformPath string) ([]*yaml.RNode, error) {
	if platform == nil {
		return nil, nil
	}
	r := &platformRenderer{platform: platform, spec: &platform.Spec, apps: apps, platformPath: platformPath, versions: platform.APIVersionsOrDefault()}
	var nodes []*yaml.RNode
	for i := range PlatformKinds {
		for _, obj := range PlatformKinds[i].buildPlatform(r) {
			node, err := encode.Object(obj)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, node)
		}
	}
	return nodes, nil
}

type platformRenderer struct {
	platform     *v1alpha1.Platform
	spec         *v1alpha1.PlatformSpec
	apps         []PlatformApp
	platformPath string
	versions     v1alpha1.APIVersions
}

// meta is the metadata of a Platform object: the Platform's labels and
// annotations, and the managed-by label, by which a re-render replaces it.
func (r *platformRenderer) meta(name, namespace string) metav1.ObjectMeta {
	labels := maps.Clone(r.spec.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels[LabelManagedBy] = ManagedBy
	m := metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels}
	if len(r.spec.Annotations) > 0 {
		m.Annotations = maps.Clone(r.spec.Annotations)
	}
	return m
}

func (r *platformRenderer) namespaces() []any {
	out := make([]any, 0, len(r.spec.Tenants))
	for _, t := range r.spec.Tenants {
		meta := r.meta(t.Namespace, "")
		level := t.PodSecurity
		if level == "" {
			level = v1alpha1.DefaultPodSecurity
		}
		for _, k := range []string{LabelPodSecurityEnforce, LabelPodSecurityAudit, LabelPodSecurityWarn} {
			meta.Labels[k] = level
		}
		if t.IstioInjection {
			meta.Labels[LabelIstioInjection] = "enabled"
		}
		out = append(out, &corev1.Namespace{TypeMeta: typeMeta("v1", "Namespace"), ObjectMeta: meta})
	}
	return out
}

func (r *platformRenderer) resourceQuotas() []any {
	var out []any
	for _, t := range r.spec.Tenants {
		if len(t.Quota) == 0 {
			continue
		}
		out = append(out, &corev1.ResourceQuota{TypeMeta: typeMeta("v1", "ResourceQuota"), ObjectMeta: r.meta(t.Namespace, t.Namespace),
			Spec: corev1.ResourceQuotaSpec{Hard: t.Quota}})
	}
	return out
}

func (r *platformRenderer) limitRanges() []any {
	var out []any
	for _, t := range r.spec.Tenants {
		l := t.Limits
		if l == nil {
			continue
		}
		out = append(out, &corev1.LimitRange{TypeMeta: typeMeta("v1", "LimitRange"), ObjectMeta: r.meta(t.Namespace, t.Namespace),
			Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
				Type: corev1.LimitTypeContainer, Default: l.Default, DefaultRequest: l.DefaultRequest, Max: l.Max, Min: l.Min,
			}}}})
	}
	return out
}

// defaultDeny denies every caller of the tenant's pods but the ingress
// gateway and monitoring; an App's allowFrom admits its own callers on top
// (NetworkPolicies add up). Egress is left open: what a pod calls is the
// App's business, and DNS would need its own rule.
func (r *platformRenderer) defaultDeny() []any {
	out := make([]any, 0, len(r.spec.Tenants))
	mesh := r.platform.MeshOrDefault()
	g := mesh.IngressGateway
	for _, t := range r.spec.Tenants {
		out = append(out, &networkingv1.NetworkPolicy{
			TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
			ObjectMeta: r.meta(DefaultDenyName, t.Namespace),
			Spec: networkingv1.NetworkPolicySpec{
				PodSelector: metav1.LabelSelector{},
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
				Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{
					{NamespaceSelector: inNamespace(g.Namespace), PodSelector: &metav1.LabelSelector{MatchLabels: maps.Clone(g.Labels)}},
					{NamespaceSelector: inNamespace(mesh.MonitoringNamespace)},
				}}},
			},
		})
	}
	return out
}

func (r *platformRenderer) storeAccounts() []any {
	var out []any
	for _, t := range r.spec.Tenants {
		s := t.SecretStore
		if s == nil {
			continue
		}
		meta := r.meta(s.Account(), t.Namespace)
		if s.AWS != nil {
			meta.Annotations = mergeAnnotations(meta.Annotations, map[string]string{AnnotationIRSARole: s.AWS.RoleARN})
		}
		out = append(out, &corev1.ServiceAccount{TypeMeta: typeMeta("v1", "ServiceAccount"), ObjectMeta: meta})
	}
	return out
}

// SecretStore is the subset of the External Secrets Operator SecretStore
// (external-secrets.io/v1) that slipway renders.
type SecretStore struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              SecretStoreSpec `json:"spec"`
}

// SecretStoreSpec is the store's provider.
type SecretStoreSpec struct {
	Provider SecretStoreProvider `json:"provider"`
}

// SecretStoreProvider is AWS or Vault.
type SecretStoreProvider struct {
	AWS   *AWSProvider   `json:"aws,omitempty"`
	Vault *VaultProvider `json:"vault,omitempty"`
}

// AWSProvider reads Secrets Manager or Parameter Store as the IRSA role of
// a ServiceAccount.
type AWSProvider struct {
	Service string  `json:"service"`
	Region  string  `json:"region"`
	Auth    AWSAuth `json:"auth"`
}

// AWSAuth authenticates with a ServiceAccount's token.
type AWSAuth struct {
	JWT AWSJWTAuth `json:"jwt"`
}

// AWSJWTAuth names the ServiceAccount.
type AWSJWTAuth struct {
	ServiceAccountRef ServiceAccountRef `json:"serviceAccountRef"`
}

// ServiceAccountRef names a ServiceAccount of the store's namespace.
type ServiceAccountRef struct {
	Name string `json:"name"`
}

// VaultProvider reads a Vault KV engine through Vault's Kubernetes auth.
type VaultProvider struct {
	Server  string    `json:"server"`
	Path    string    `json:"path"`
	Version string    `json:"version"`
	Auth    VaultAuth `json:"auth"`
}

// VaultAuth is Vault's Kubernetes auth.
type VaultAuth struct {
	Kubernetes VaultKubernetesAuth `json:"kubernetes"`
}

// VaultKubernetesAuth logs in with a ServiceAccount's token.
type VaultKubernetesAuth struct {
	MountPath         string            `json:"mountPath"`
	Role              string            `json:"role"`
	ServiceAccountRef ServiceAccountRef `json:"serviceAccountRef"`
}

func (r *platformRenderer) secretStores() []any {
	var out []any
	for _, t := range r.spec.Tenants {
		s := t.SecretStore
		if s == nil {
			continue
		}
		obj := &SecretStore{TypeMeta: typeMeta(r.versions.ExternalSecrets, "SecretStore"), ObjectMeta: r.meta(s.StoreName(), t.Namespace)}
		account := ServiceAccountRef{Name: s.Account()}
		switch {
		case s.AWS != nil:
			obj.Spec.Provider.AWS = &AWSProvider{Service: or(s.AWS.Service, v1alpha1.DefaultAWSService), Region: s.AWS.Region,
				Auth: AWSAuth{JWT: AWSJWTAuth{ServiceAccountRef: account}}}
		case s.Vault != nil:
			obj.Spec.Provider.Vault = &VaultProvider{Server: s.Vault.Server, Path: or(s.Vault.Path, v1alpha1.DefaultVaultPath),
				Version: or(s.Vault.Version, v1alpha1.DefaultVaultVersion),
				Auth: VaultAuth{Kubernetes: VaultKubernetesAuth{MountPath: or(s.Vault.MountPath, v1alpha1.DefaultVaultMountPath),
					Role: or(s.Vault.Role, t.Namespace), ServiceAccountRef: account}}}
		}
		out = append(out, obj)
	}
	return out
}

// AppProject is the subset of the Argo CD AppProject (argoproj.io/v1alpha1)
// that slipway renders.
type AppProject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              AppProjectSpec `json:"spec"`
}

// AppProjectSpec limits where the project's Applications come from and go.
// It lists no cluster-scoped kinds, which Argo CD then refuses.
type AppProjectSpec struct {
	Description  string                   `json:"description"`
	SourceRepos  []string                 `json:"sourceRepos"`
	Destinations []ApplicationDestination `json:"destinations"`
}

// ApplicationDestination is a cluster and a namespace.
type ApplicationDestination struct {
	Server    string `json:"server"`
	Namespace string `json:"namespace"`
}

// servers are the API servers of every cluster of spec.argoCD, sorted, once each.
func (r *platformRenderer) servers() []string {
	var servers []string
	for _, env := range r.spec.ArgoCD.Environments {
		for _, c := range env.Clusters {
			if !slices.Contains(servers, c.Server) {
				servers = append(servers, c.Server)
			}
		}
	}
	slices.Sort(servers)
	return servers
}

// appProjects renders a tenant's AppProject, named after its namespace,
// which deploys to that namespace only, on the clusters of spec.argoCD.
func (r *platformRenderer) appProjects() []any {
	a := r.spec.ArgoCD
	if a == nil {
		return nil
	}
	var out []any
	for _, t := range r.spec.Tenants {
		repos := t.SourceRepos
		if len(repos) == 0 {
			repos = []string{a.RepoURL}
		}
		obj := &AppProject{TypeMeta: typeMeta("argoproj.io/v1alpha1", "AppProject"), ObjectMeta: r.meta(t.Namespace, r.argoNamespace()),
			Spec: AppProjectSpec{Description: fmt.Sprintf("The Apps of namespace %s", t.Namespace), SourceRepos: slices.Clone(repos)}}
		for _, server := range r.servers() {
			obj.Spec.Destinations = append(obj.Spec.Destinations, ApplicationDestination{Server: server, Namespace: t.Namespace})
		}
		out = append(out, obj)
	}
	return out
}

func (r *platformRenderer) argoNamespace() string {
	return or(r.spec.ArgoCD.Namespace, v1alpha1.DefaultArgoCDNamespace)
}

// Application is the subset of the Argo CD Application (argoproj.io/v1alpha1)
// that slipway renders.
type Application struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ApplicationSpec `json:"spec"`
}

// ApplicationSpec deploys one source to one destination.
type ApplicationSpec struct {
	Project     string                 `json:"project"`
	Source      ApplicationSource      `json:"source"`
	Destination ApplicationDestination `json:"destination"`
	SyncPolicy  *ApplicationSyncPolicy `json:"syncPolicy,omitempty"`
}

// ApplicationSource is a directory of a repository, rendered by a plugin.
type ApplicationSource struct {
	RepoURL        string            `json:"repoURL"`
	TargetRevision string            `json:"targetRevision"`
	Path           string            `json:"path"`
	Plugin         ApplicationPlugin `json:"plugin"`
}

// ApplicationPlugin names the plugin and its parameters.
type ApplicationPlugin struct {
	Name       string                 `json:"name"`
	Parameters []ApplicationParameter `json:"parameters"`
}

// ApplicationParameter is a string parameter of the plugin.
type ApplicationParameter struct {
	Name   string `json:"name"`
	String string `json:"string"`
}

// ApplicationSyncPolicy is when Argo CD syncs.
type ApplicationSyncPolicy struct {
	Automated *SyncPolicyAutomated `json:"automated,omitempty"`
}

// SyncPolicyAutomated syncs on every change.
type SyncPolicyAutomated struct {
	Prune    bool `json:"prune"`
	SelfHeal bool `json:"selfHeal"`
}

// ApplicationName is the name of the Application of an App in an
// environment on a cluster: "<namespace>-<app>-<environment>-<cluster>".
// Every part is in it, so adding or removing a cluster (a migration) never
// renames the Application of another: a rename would delete it, and with it
// what it deployed.
func ApplicationName(app PlatformApp, environment, cluster string) string {
	return app.Namespace + "-" + app.Name + "-" + environment + "-" + cluster
}

// ApplicationNameErrors are the problems of an Application name, if any.
func ApplicationNameErrors(name string) []string { return validation.IsDNS1123Subdomain(name) }

func (r *platformRenderer) applications() []any {
	a := r.spec.ArgoCD
	if a == nil {
		return nil
	}
	policy := &ApplicationSyncPolicy{Automated: &SyncPolicyAutomated{Prune: true, SelfHeal: true}}
	if s := a.SyncPolicy; s != nil {
		if s.Automated != nil && !*s.Automated {
			policy = nil
		} else {
			policy.Automated.Prune = s.Prune == nil || *s.Prune
			policy.Automated.SelfHeal = s.SelfHeal == nil || *s.SelfHeal
		}
	}
	platformPath := or(a.PlatformPath, r.platformPath)
	var out []any
	for _, app := range r.apps {
		project := or(a.Project, v1alpha1.DefaultArgoCDProject)
		if r.platform.Tenant(app.Namespace) != nil {
			project = app.Namespace
		}
		for _, env := range slices.Sorted(maps.Keys(a.Environments)) {
			for _, c := range a.Environments[env].Clusters {
				obj := &Application{TypeMeta: typeMeta("argoproj.io/v1alpha1", "Application"),
					ObjectMeta: r.meta(ApplicationName(app, env, c.Name), r.argoNamespace()),
					Spec: ApplicationSpec{
						Project: project,
						Source: ApplicationSource{RepoURL: a.RepoURL, TargetRevision: or(a.TargetRevision, v1alpha1.DefaultArgoCDRevision), Path: app.Path,
							Plugin: ApplicationPlugin{Name: PluginName, Parameters: []ApplicationParameter{
								{Name: "environment", String: env}, {Name: "platform", String: platformPath},
							}}},
						Destination: ApplicationDestination{Server: c.Server, Namespace: app.Namespace},
					}}
				if policy != nil {
					p := *policy
					auto := *policy.Automated
					p.Automated = &auto
					obj.Spec.SyncPolicy = &p
				}
				out = append(out, obj)
			}
		}
	}
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
