package v1alpha1

import (
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Platform holds a platform team's defaults. Every App rendered with it
// inherits each setting the App does not make itself; precedence, highest
// first: App environment > App > Platform environment > Platform > built-in
// default. At most one Platform may be in an input.
type Platform struct {
	metav1.TypeMeta `json:",inline"`
	// Standard object metadata.
	metav1.ObjectMeta `json:"metadata"`
	// Spec holds the defaults.
	Spec PlatformSpec `json:"spec"`

	// defaults is Spec.Defaults as the document it was decoded from, which
	// Apps are merged over (see inherit).
	defaults map[string]any
}

// PlatformSpec holds the defaults every App inherits.
type PlatformSpec struct {
	// Namespace of Apps that set none.
	Namespace string `json:"namespace,omitempty"`
	// ImageRegistry prefixes every image that names no registry host.
	// Example: registry.example.com/team
	ImageRegistry string `json:"imageRegistry,omitempty"`
	// Labels are put on every rendered object. They belong to the platform:
	// an App that sets one of these keys to another value is an error.
	// Example: {cost-center: "4711"}
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations are put on every rendered object.
	Annotations map[string]string `json:"annotations,omitempty"`
	// Defaults is the App spec every App starts from: each App's own spec
	// (after its environment section) is merged over it with the rules of
	// environments: maps merge key by key, resources per resource name, and
	// null removes an inherited key; the named lists merge item by item;
	// other lists and values replace the default. The sections that turn a
	// feature on (autoscaling, canary, config, monitoring, routing), and
	// compatibility (one live workload's), are merged only into the Apps
	// that have them: a routing default applies to the Apps that are
	// routed, and routes no other. Environments cannot
	// be set here: the Platform's own environments override its defaults.
	// Example: {resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 256Mi}}, pod: {imagePullSecrets: [registry-credentials]}, routing: {requestHeaders: {x-forwarded-proto: https}}}
	Defaults *AppSpec `json:"defaults,omitempty"`
	// SecretStore of ExternalSecrets that name none.
	SecretStore *StoreRef `json:"secretStore,omitempty"`
	// SecretStoresByNamespace overrides secretStore for the Apps of one namespace.
	// Example: {payments: {name: vault-payments, kind: ClusterSecretStore}}
	SecretStoresByNamespace map[string]StoreRef `json:"secretStoresByNamespace,omitempty"`
	// Gateway of the Apps routed through Istio whose routing sets none: a
	// selector for created Gateways, or the name of a shared one. (It is not
	// a default of routing.gateway, which would also reach the Apps routed
	// through an Ingress or HTTPRoute.)
	Gateway *Gateway `json:"gateway,omitempty"`
	// HostSuffix completes routing hosts that have no dot, and gives Apps
	// whose routing lists no host the host "<name><hostSuffix>".
	// Example: .dev.example.com
	HostSuffix string `json:"hostSuffix,omitempty"`
	// APIVersions of the custom resources rendered, for clusters that serve
	// older CRD versions.
	APIVersions *APIVersions `json:"apiVersions,omitempty"`
	// Policy is what every App must meet, after its defaults: a violation
	// is an error naming the App's field and the Platform's rule.
	// Example: {allowedRegistries: [registry.acme.example/], require: {requests: true, memoryLimit: true, readinessProbe: true}, replicas: {min: 2}}
	Policy *Policy `json:"policy,omitempty"`
	// SLOMetrics names the request metrics the Apps' SLOs are measured on,
	// and where Prometheus answers the canary analysis.
	// Default: Istio's standard metrics (see SLOMetrics)
	SLOMetrics *SLOMetrics `json:"sloMetrics,omitempty"`
	// Mesh says where the mesh's own callers run, which an App's allowFrom
	// admits. Default: {trustDomain: cluster.local, ingressGateway: {namespace: istio-system, labels: {istio: ingressgateway}, serviceAccount: istio-ingressgateway-service-account}, monitoringNamespace: monitoring}
	Mesh *Mesh `json:"mesh,omitempty"`
	// Tenants are the namespaces the platform team runs for its teams: each
	// renders, once per Platform, its Namespace (with Pod Security admission
	// labels), a default-deny NetworkPolicy that admits the ingress gateway
	// and monitoring (see mesh), its ResourceQuota and LimitRange when set,
	// its SecretStore with the ServiceAccount it authenticates as, and an
	// Argo CD AppProject scoped to it when argoCD is set.
	// Example: [{namespace: payments, istioInjection: true, secretStore: {aws: {region: eu-west-1, roleArn: "arn:aws:iam::123456789012:role/payments-secrets"}}}]
	Tenants []Tenant `json:"tenants,omitempty"`
	// ArgoCD renders an Argo CD Application for every App rendered with the
	// Platform, in every environment, on every cluster of the environment.
	ArgoCD *ArgoCD `json:"argoCD,omitempty"`
	// Environments override any field of this spec, except environments, for
	// one named environment, with the same merge rules as App environments.
	// Example: {dev: {hostSuffix: .dev.example.com}}
	Environments map[string]json.RawMessage `json:"environments,omitempty"`
}

// APIVersions selects the apiVersion of each custom resource slipway renders.
type APIVersions struct {
	// Istio: networking.istio.io/v1, v1beta1 or v1alpha3.
	// Default: networking.istio.io/v1
	Istio string `json:"istio,omitempty"`
	// ExternalSecrets: external-secrets.io/v1 or v1beta1.
	// Default: external-secrets.io/v1
	ExternalSecrets string `json:"externalSecrets,omitempty"`
}

// Mesh describes the cluster's mesh for the Apps' allowed callers.
type Mesh struct {
	// TrustDomain of the mesh's workload identities. Default: cluster.local
	TrustDomain string `json:"trustDomain,omitempty"`
	// IngressGateway is where the Istio ingress gateway runs.
	IngressGateway *IngressGateway `json:"ingressGateway,omitempty"`
	// MonitoringNamespace is where Prometheus runs. Default: monitoring
	MonitoringNamespace string `json:"monitoringNamespace,omitempty"`
}

// IngressGateway locates the Istio ingress gateway's pods.
type IngressGateway struct {
	// Namespace of the gateway. Default: istio-system
	Namespace string `json:"namespace,omitempty"`
	// Labels of the gateway's pods. Default: {istio: ingressgateway}
	Labels map[string]string `json:"labels,omitempty"`
	// ServiceAccount of the gateway's pods.
	// Default: istio-ingressgateway-service-account
	ServiceAccount string `json:"serviceAccount,omitempty"`
}

// SLOMetrics are the request metrics of the SLOs: a counter of requests with
// a status code label, and a histogram of their durations. In the
// selectors, $(namespace) and $(app) stand for the App's.
type SLOMetrics struct {
	// Requests counts requests. Default: istio_requests_total
	Requests string `json:"requests,omitempty"`
	// Selector picks an App's requests.
	// Default: reporter="destination",destination_workload_namespace="$(namespace)",destination_app="$(app)"
	Selector string `json:"selector,omitempty"`
	// CanarySelector picks the requests of an App's canary.
	// Default: reporter="destination",destination_workload_namespace="$(namespace)",destination_service_name="$(app)-canary"
	CanarySelector string `json:"canarySelector,omitempty"`
	// Errors picks the failed requests among them.
	// Default: response_code=~"5.."
	Errors string `json:"errors,omitempty"`
	// Duration is the histogram of request durations (without _bucket).
	// Default: istio_request_duration_milliseconds
	Duration string `json:"duration,omitempty"`
	// DurationUnit of the histogram: seconds or milliseconds.
	// Default: milliseconds
	DurationUnit string `json:"durationUnit,omitempty"`
	// Buckets are the histogram's bucket boundaries, in its unit; a latency
	// threshold must be one.
	// Default: Istio's: [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000]
	Buckets []float64 `json:"buckets,omitempty"`
	// PrometheusAddress is where the canary analysis queries Prometheus.
	// Default: http://prometheus-operated.monitoring.svc:9090
	PrometheusAddress string `json:"prometheusAddress,omitempty"`
}

// Policy is the rules every App of the Platform must meet.
type Policy struct {
	// AllowedRegistries are the prefixes an image (of the App, its canary,
	// containers, workers and jobs) must start with.
	// Example: [registry.acme.example/, public.ecr.aws/acme/]
	AllowedRegistries []string `json:"allowedRegistries,omitempty"`
	// Require lists what every App must set (itself or through the
	// Platform's defaults).
	Require *PolicyRequire `json:"require,omitempty"`
	// Replicas bounds the replicas (or the autoscaling range) of the
	// serving pods.
	Replicas *Bounds `json:"replicas,omitempty"`
	// MaxResources bounds every container's requests and limits.
	// Example: {cpu: "4", memory: 8Gi}
	MaxResources corev1.ResourceList `json:"maxResources,omitempty"`
	// AllowRelaxing lists the secure defaults an App may relax. The
	// restricted Pod Security Standard's (runAsNonRoot, runAsRoot: a UID of
	// 0, allowPrivilegeEscalation, seccompProfile, capabilities beyond
	// NET_BIND_SERVICE) are refused unless listed; readOnlyRootFilesystem,
	// slipway's own beyond the standard, is allowed unless the list is set
	// without it.
	// Example: [readOnlyRootFilesystem]
	AllowRelaxing []string `json:"allowRelaxing,omitempty"`
	// RequiredLabels are labels every App must carry.
	// Example: [team, cost-center]
	RequiredLabels []string `json:"requiredLabels,omitempty"`
}

// PolicyRequire lists settings every App must have.
type PolicyRequire struct {
	// Requests: cpu and memory requests on every container. Default: false
	Requests bool `json:"requests,omitempty"`
	// MemoryLimit: a memory limit on every container. Default: false
	MemoryLimit bool `json:"memoryLimit,omitempty"`
	// ReadinessProbe of the serving container. Default: false
	ReadinessProbe bool `json:"readinessProbe,omitempty"`
	// LivenessProbe of the serving container. Default: false
	LivenessProbe bool `json:"livenessProbe,omitempty"`
	// AllowFrom: every App with ports lists its allowed callers (allowFrom),
	// so that no service is open to every pod of the cluster. Default: false
	AllowFrom bool `json:"allowFrom,omitempty"`
}

// Bounds are a minimum and a maximum; either may be unset.
type Bounds struct {
	// Min, at least.
	Min *int32 `json:"min,omitempty"`
	// Max, at most.
	Max *int32 `json:"max,omitempty"`
}

// Tenant is one team namespace and what the platform team gives it.
type Tenant struct {
	// Namespace of the tenant.
	Namespace string `json:"namespace"`
	// PodSecurity is the Pod Security Standard the namespace enforces (and
	// audits and warns of): restricted, baseline or privileged.
	// Default: restricted
	PodSecurity string `json:"podSecurity,omitempty"`
	// IstioInjection labels the namespace istio-injection: enabled.
	// Default: false
	IstioInjection bool `json:"istioInjection,omitempty"`
	// Quota is the ResourceQuota's hard limits; none is rendered when unset,
	// since no default fits every cluster.
	// Example: {requests.cpu: "8", requests.memory: 16Gi, limits.memory: 32Gi, pods: "50"}
	Quota corev1.ResourceList `json:"quota,omitempty"`
	// Limits are the LimitRange of the namespace's containers; none is
	// rendered when unset.
	// Example: {defaultRequest: {cpu: 50m, memory: 128Mi}, default: {memory: 256Mi}, max: {cpu: "4", memory: 8Gi}}
	Limits *TenantLimits `json:"limits,omitempty"`
	// SecretStore is the namespace's External Secrets SecretStore, which
	// becomes the store of the namespace's ExternalSecrets that name none
	// (unless secretStoresByNamespace names another).
	SecretStore *TenantSecretStore `json:"secretStore,omitempty"`
	// SourceRepos the tenant's AppProject may deploy from (with argoCD).
	// Default: [argoCD.repoURL]
	SourceRepos []string `json:"sourceRepos,omitempty"`
}

// TenantLimits are a LimitRange's limits of each container.
type TenantLimits struct {
	// Default limits of a container that sets none.
	Default corev1.ResourceList `json:"default,omitempty"`
	// DefaultRequest of a container that sets none.
	DefaultRequest corev1.ResourceList `json:"defaultRequest,omitempty"`
	// Max of a container's limits.
	Max corev1.ResourceList `json:"max,omitempty"`
	// Min of a container's requests.
	Min corev1.ResourceList `json:"min,omitempty"`
}

// TenantSecretStore is a namespace's SecretStore: AWS or Vault, one of them.
type TenantSecretStore struct {
	// Name of the SecretStore. Default: secrets
	Name string `json:"name,omitempty"`
	// ServiceAccount the store authenticates as (through IRSA for AWS,
	// Vault's Kubernetes auth for Vault); it is rendered too.
	// Default: external-secrets
	ServiceAccount string `json:"serviceAccount,omitempty"`
	// AWS Secrets Manager or Parameter Store, through IRSA.
	AWS *AWSStore `json:"aws,omitempty"`
	// Vault, through its Kubernetes auth.
	Vault *VaultStore `json:"vault,omitempty"`
}

// AWSStore reads AWS Secrets Manager or Parameter Store.
type AWSStore struct {
	// Service: SecretsManager or ParameterStore. Default: SecretsManager
	Service string `json:"service,omitempty"`
	// Region of the secrets.
	// Example: eu-west-1
	Region string `json:"region"`
	// RoleARN is the IAM role the ServiceAccount assumes (its
	// eks.amazonaws.com/role-arn annotation).
	// Example: arn:aws:iam::123456789012:role/payments-secrets
	RoleARN string `json:"roleArn"`
}

// VaultStore reads a Vault KV engine.
type VaultStore struct {
	// Server is Vault's URL.
	// Example: https://vault.example.com:8200
	Server string `json:"server"`
	// Path of the KV engine. Default: secret
	Path string `json:"path,omitempty"`
	// Version of the KV engine: v1 or v2. Default: v2
	Version string `json:"version,omitempty"`
	// Role of Vault's Kubernetes auth. Default: the namespace
	Role string `json:"role,omitempty"`
	// MountPath of Vault's Kubernetes auth. Default: kubernetes
	MountPath string `json:"mountPath,omitempty"`
}

// ArgoCD is where the Apps live and where each environment deploys them.
type ArgoCD struct {
	// Namespace Argo CD runs in, where the Applications and AppProjects go.
	// Default: argocd
	Namespace string `json:"namespace,omitempty"`
	// RepoURL of the repository of the Apps and of the Platform.
	// Example: https://github.com/acme/deploy.git
	RepoURL string `json:"repoURL"`
	// TargetRevision of the repository. Default: HEAD
	TargetRevision string `json:"targetRevision,omitempty"`
	// PlatformPath is the Platform's file from the repository's root, the
	// plugin's platform parameter. Default: the Platform's own file
	PlatformPath string `json:"platformPath,omitempty"`
	// Project of the Applications of Apps outside the tenants (those of a
	// tenant's namespace belong to its AppProject). Default: default
	Project string `json:"project,omitempty"`
	// Environments name the clusters each environment deploys to; an App
	// gets an Application per environment and cluster (two clusters while
	// it moves from one to the other).
	// Example: {dev: {clusters: [{name: dev, server: "https://dev.k8s.example.com"}]}}
	Environments map[string]ArgoCDEnvironment `json:"environments"`
	// SyncPolicy of the Applications. Default: {automated: true, prune: true, selfHeal: true}
	SyncPolicy *SyncPolicy `json:"syncPolicy,omitempty"`
}

// ArgoCDEnvironment is where one environment deploys.
type ArgoCDEnvironment struct {
	// Clusters of the environment.
	Clusters []ArgoCDCluster `json:"clusters"`
}

// ArgoCDCluster is a cluster Argo CD deploys to.
type ArgoCDCluster struct {
	// Name of the cluster, in the Applications' names.
	Name string `json:"name"`
	// Server is the cluster's API server URL as Argo CD knows it.
	// Example: https://kubernetes.default.svc
	Server string `json:"server"`
}

// SyncPolicy is when Argo CD syncs an Application.
type SyncPolicy struct {
	// Automated syncs on every change. Default: true
	Automated *bool `json:"automated,omitempty"`
	// Prune deletes what the rendering no longer has. Default: true
	Prune *bool `json:"prune,omitempty"`
	// SelfHeal reverts changes made in the cluster. Default: true
	SelfHeal *bool `json:"selfHeal,omitempty"`
}
