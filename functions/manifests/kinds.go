package manifests

import (
	"regexp"
	"strings"
)

// Kind is one kind of object slipway renders. Kinds (an App's) and
// PlatformKinds (a Platform's own) are the one table of them: rendering
// follows their order and builders, eject names its files after them, the
// oracle checks every kind in them against its upstream definition, and the
// field reference lists them.
type Kind struct {
	// Group is the API group; "" for the core group.
	Group string
	// Versions are the API versions the kind may be rendered at, the default
	// first (the Platform's apiVersions choose another for Istio and
	// External Secrets).
	Versions []string
	// Kind is the object kind.
	Kind string
	// What says, for the docs, when the kind is rendered.
	What string
	// Wave is the Argo CD sync wave of the kind's objects, when it is not
	// the default (0): what the pods need comes first.
	Wave string
	// CRD is where the published CRD of a custom resource is, which the
	// oracle validates it against; nil for a Kubernetes kind, which the
	// oracle checks with the API server's own types and validation.
	CRD *CRDSource
	// build renders the App's objects of this kind, none when it has none.
	build func(*renderer) []any
	// buildPlatform renders the Platform's own objects of this kind (a row
	// of PlatformKinds).
	buildPlatform func(*platformRenderer) []any
}

// CRDSource is a CRD file inside a Go module, at the version slipway is
// checked against.
type CRDSource struct {
	Module, Version, Path string
}

// APIVersion is the default apiVersion of the kind.
func (k *Kind) APIVersion() string {
	if k.Group == "" {
		return k.Versions[0]
	}
	return k.Group + "/" + k.Versions[0]
}

// File is the name of the file of the kind's objects in an ejected base
// ("virtual-service.yaml"; Services share "services.yaml").
func (k *Kind) File() string { return FileName(k.Kind) }

var wordBoundary = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// FileName is the eject file of the objects of a kind, for kinds outside
// the table too.
func FileName(kind string) string {
	if kind == "Service" {
		return "services.yaml"
	}
	return strings.ToLower(wordBoundary.ReplaceAllString(kind, "$1-$2")) + ".yaml"
}

var (
	argoCDCRD = func(file string) *CRDSource {
		return &CRDSource{"github.com/argoproj/argo-cd/v3", "v3.2.0", "manifests/crds/" + file}
	}
	istioCRD      = &CRDSource{"istio.io/api", "v1.31.1", "kubernetes/customresourcedefinitions.gen.yaml"}
	flaggerCRD    = &CRDSource{"github.com/fluxcd/flagger", "v1.36.1", "artifacts/flagger/crd.yaml"}
	monitoringCRD = func(plural string) *CRDSource {
		return &CRDSource{"github.com/prometheus-operator/prometheus-operator", "v0.85.0", "example/prometheus-operator-crd/monitoring.coreos.com_" + plural + ".yaml"}
	}
)

// Kinds are the kinds slipway renders, in output order: what the pods
// need first (identity, configuration, secrets), then what reaches them,
// the workloads, what scales and protects them, and routing and
// monitoring last. An App's objects are always written in this order.
var Kinds = []Kind{
	{Versions: []string{"v1"}, Kind: "ServiceAccount", What: "serviceAccount.create (the default with a serviceAccount)",
		Wave: WavePrerequisites, build: (*renderer).serviceAccount},
	{Versions: []string{"v1"}, Kind: "ConfigMap", What: "config; and the Grafana dashboard of slo",
		Wave: WavePrerequisites, build: (*renderer).configMap},
	{Group: "external-secrets.io", Versions: []string{"v1", "v1beta1"}, Kind: "ExternalSecret", What: "each of externalSecrets",
		CRD:  &CRDSource{"github.com/external-secrets/external-secrets", "v0.20.4", "config/crds/bases/external-secrets.io_externalsecrets.yaml"},
		Wave: WavePrerequisites, build: (*renderer).externalSecrets},
	{Versions: []string{"v1"}, Kind: "PersistentVolumeClaim", What: "each storage volume of a Deployment",
		Wave: WavePrerequisites, build: (*renderer).persistentVolumeClaims},
	{Versions: []string{"v1"}, Kind: "Service", What: "\"<name>\" for in-cluster callers, the stable and canary Services, and a StatefulSet's headless Service (none without ports, or under Flagger, which creates its own)",
		build: (*renderer).services},
	{Group: "apps", Versions: []string{"v1"}, Kind: "Deployment", What: "the stable Deployment, the canary one with a canary image (neither under Argo Rollouts or with workload StatefulSet), and each of workers",
		build: (*renderer).deployments},
	{Group: "apps", Versions: []string{"v1"}, Kind: "StatefulSet", What: "workload StatefulSet",
		build: (*renderer).statefulSet},
	{Group: "argoproj.io", Versions: []string{"v1alpha1"}, Kind: "Rollout", What: "canary.controller argo-rollouts, in place of the Deployments",
		CRD:   &CRDSource{"github.com/argoproj/argo-rollouts", "v1.10.1", "manifests/crds/rollout-crd.yaml"},
		build: (*renderer).rollout},
	{Group: "flagger.app", Versions: []string{"v1beta1"}, Kind: "Canary", What: "canary.controller flagger",
		CRD: flaggerCRD, build: (*renderer).flaggerCanary},
	{Group: "batch", Versions: []string{"v1"}, Kind: "Job", What: "each of jobs with a hook (an Argo CD hook)",
		build: (*renderer).jobs},
	{Group: "batch", Versions: []string{"v1"}, Kind: "CronJob", What: "each of jobs with a schedule",
		build: (*renderer).cronJobs},
	{Group: "autoscaling", Versions: []string{"v2"}, Kind: "HorizontalPodAutoscaler", What: "autoscaling, of the App and of each worker (without triggers)",
		build: (*renderer).autoscaler},
	{Group: "keda.sh", Versions: []string{"v1alpha1"}, Kind: "ScaledObject", What: "autoscaling with triggers, of the App or a worker (in place of its HorizontalPodAutoscaler)",
		CRD:   &CRDSource{"github.com/kedacore/keda/v2", "v2.16.1", "config/crd/bases/keda.sh_scaledobjects.yaml"},
		build: (*renderer).scaledObjects},
	{Group: "policy", Versions: []string{"v1"}, Kind: "PodDisruptionBudget", What: "disruptionBudget, of the App and of each worker (by default with more than one replica)",
		build: (*renderer).disruptionBudget},
	{Group: "networking.istio.io", Versions: []string{"v1", "v1beta1", "v1alpha3"}, Kind: "Gateway", What: "routing through Istio with hosts, unless it names a shared gateway",
		CRD: istioCRD, build: (*renderer).istioGateway},
	{Group: "networking.istio.io", Versions: []string{"v1", "v1beta1", "v1alpha3"}, Kind: "VirtualService", What: "routing through Istio, at the edge and (routing.mesh) in the mesh (not under Flagger, which creates its own)",
		CRD: istioCRD, build: (*renderer).virtualService},
	{Group: "networking.istio.io", Versions: []string{"v1", "v1beta1", "v1alpha3"}, Kind: "DestinationRule", What: "routing.trafficPolicy, for the stable and the canary Service (Flagger's Canary carries it instead)",
		CRD: istioCRD, build: (*renderer).destinationRules},
	{Group: "networking.k8s.io", Versions: []string{"v1"}, Kind: "NetworkPolicy", What: "allowFrom: admits exactly those callers",
		build: (*renderer).networkPolicy},
	{Group: "security.istio.io", Versions: []string{"v1"}, Kind: "AuthorizationPolicy", What: "allowFrom, unless routed through an Ingress: admits those callers by identity",
		CRD: istioCRD, build: (*renderer).authorizationPolicy},
	{Group: "networking.k8s.io", Versions: []string{"v1"}, Kind: "Ingress", What: "routing.ingress with api Ingress",
		build: (*renderer).ingress},
	{Group: "gateway.networking.k8s.io", Versions: []string{"v1"}, Kind: "HTTPRoute", What: "routing.ingress with api HTTPRoute, and one more for the mesh with routing.mesh",
		CRD:   &CRDSource{"sigs.k8s.io/gateway-api", "v1.6.3", "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"},
		build: (*renderer).httpRoutes},
	{Group: "monitoring.coreos.com", Versions: []string{"v1"}, Kind: "PodMonitor", What: "monitoring",
		CRD: monitoringCRD("podmonitors"), build: (*renderer).podMonitor},
	{Group: "monitoring.coreos.com", Versions: []string{"v1"}, Kind: "PrometheusRule", What: "slo: recording rules and burn-rate alerts",
		CRD: monitoringCRD("prometheusrules"), build: (*renderer).prometheusRule},
	{Group: "argoproj.io", Versions: []string{"v1alpha1"}, Kind: "AnalysisTemplate", What: "slo under argo-rollouts: the canary analysis",
		CRD:   &CRDSource{"github.com/argoproj/argo-rollouts", "v1.10.1", "manifests/crds/analysis-template-crd.yaml"},
		build: (*renderer).analysisTemplate},
	{Group: "flagger.app", Versions: []string{"v1beta1"}, Kind: "MetricTemplate", What: "slo under flagger: the canary analysis's metrics",
		CRD: flaggerCRD, build: (*renderer).metricTemplates},
}

// PlatformKinds are the kinds a Platform renders itself, once, whatever
// Apps it is rendered with, in output order: the tenants' namespaces and
// what each namespace holds, then what Argo CD deploys the Apps with. They
// come before the Apps' objects.
var PlatformKinds = []Kind{
	{Versions: []string{"v1"}, Kind: "Namespace", What: "each of tenants, with its Pod Security admission labels",
		buildPlatform: (*platformRenderer).namespaces},
	{Versions: []string{"v1"}, Kind: "ResourceQuota", What: "tenants with quota",
		buildPlatform: (*platformRenderer).resourceQuotas},
	{Versions: []string{"v1"}, Kind: "LimitRange", What: "tenants with limits",
		buildPlatform: (*platformRenderer).limitRanges},
	{Group: "networking.k8s.io", Versions: []string{"v1"}, Kind: "NetworkPolicy", What: "each of tenants: \"default-deny\", which admits the ingress gateway and monitoring (mesh) only",
		buildPlatform: (*platformRenderer).defaultDeny},
	{Versions: []string{"v1"}, Kind: "ServiceAccount", What: "tenants with a secretStore: the account it authenticates as (IRSA-annotated for AWS)",
		buildPlatform: (*platformRenderer).storeAccounts},
	{Group: "external-secrets.io", Versions: []string{"v1", "v1beta1"}, Kind: "SecretStore", What: "tenants with a secretStore",
		CRD:           &CRDSource{"github.com/external-secrets/external-secrets", "v0.20.4", "config/crds/bases/external-secrets.io_secretstores.yaml"},
		buildPlatform: (*platformRenderer).secretStores},
	{Group: "argoproj.io", Versions: []string{"v1alpha1"}, Kind: "AppProject", What: "each of tenants, with argoCD: deploys to the tenant's namespace only",
		CRD: argoCDCRD("appproject-crd.yaml"), buildPlatform: (*platformRenderer).appProjects},
	{Group: "argoproj.io", Versions: []string{"v1alpha1"}, Kind: "Application", What: "argoCD: each App rendered with the Platform, in each environment, on each of its clusters",
		CRD: argoCDCRD("application-crd.yaml"), buildPlatform: (*platformRenderer).applications},
}

// AllKinds are Kinds and PlatformKinds.
func AllKinds() []Kind { return append(append([]Kind(nil), Kinds...), PlatformKinds...) }
