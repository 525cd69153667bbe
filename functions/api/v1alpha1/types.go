package v1alpha1

import (
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// App is one application: a workload, its Services, its routing and the
// secrets it needs. Every object slipway renders comes from one App.
type App struct {
	metav1.TypeMeta `json:",inline"`
	// Standard object metadata. The name must be a DNS-1035 label short enough
	// that "<name>-canary" is still one (at most 56 characters). The namespace,
	// when set, is given to every rendered object. The labels are copied to
	// every rendered object.
	metav1.ObjectMeta `json:"metadata"`
	// Spec describes the application.
	Spec AppSpec `json:"spec"`
}

// AppSpec describes an application.
type AppSpec struct {
	// Image is the container image, with a tag or an @sha256 digest. An image
	// with no registry host gets the Platform's imageRegistry as a prefix.
	// Required. Example: registry.example.com/admin:1.4.2
	Image string `json:"image,omitempty"`
	// Replicas is the number of stable pods. Ignored when autoscaling is set.
	// Default: 1
	Replicas *int32 `json:"replicas,omitempty"`
	// Command replaces the image's entrypoint. Example: ["bash", "-c"]
	Command []string `json:"command,omitempty"`
	// Args are the arguments to the entrypoint.
	Args []string `json:"args,omitempty"`
	// Ports the container listens on. Every Service exposes all of them; the
	// first one receives routed traffic.
	// Default: [{name: http, port: 8080}]
	Ports []Port `json:"ports,omitempty"`
	// Env is the container environment, in order: $(VAR) references may only
	// refer to variables listed before them.
	Env []EnvVar `json:"env,omitempty"`
	// Resources are the container's requests and limits, as in core/v1.
	// Example: {requests: {cpu: 100m, memory: 256Mi}}
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
	// Routing exposes the app outside the mesh. Absent: no Gateway,
	// VirtualService, Ingress or HTTPRoute is rendered.
	Routing *Routing `json:"routing,omitempty"`
	// Canary runs a second version of the app beside the stable one.
	Canary *Canary `json:"canary,omitempty"`
	// ExternalSecrets become External Secrets Operator ExternalSecrets, synced
	// before the workload (Argo CD sync wave -1).
	ExternalSecrets []ExternalSecret `json:"externalSecrets,omitempty"`
	// Autoscaling adds a HorizontalPodAutoscaler; the workload then carries no
	// replica count, so that a GitOps sync never fights the autoscaler.
	Autoscaling *Autoscaling `json:"autoscaling,omitempty"`
	// DisruptionBudget adds a PodDisruptionBudget.
	// Default: {maxUnavailable: 1} when the app runs more than one replica.
	DisruptionBudget *DisruptionBudget `json:"disruptionBudget,omitempty"`
	// Config adds a ConfigMap, mounted as files or exposed as environment
	// variables; the pods roll whenever its content changes.
	Config *Config `json:"config,omitempty"`
	// ServiceAccount sets the identity the pods run as.
	// Default: the namespace's default service account, with no API token mounted.
	ServiceAccount *ServiceAccount `json:"serviceAccount,omitempty"`
	// Probes are the container's readiness, liveness and startup probes.
	Probes *Probes `json:"probes,omitempty"`
	// Security overrides the secure defaults (Pod Security Standards, profile
	// "restricted") one setting at a time.
	Security *Security `json:"security,omitempty"`
	// Pod sets where and how the pods run: pod annotations, node selection,
	// tolerations, affinity, topology spread, priority, image pull secrets
	// and the termination grace period. What it leaves unset comes from the
	// Platform's pod, and then from Kubernetes.
	Pod *Pod `json:"pod,omitempty"`
	// Service sets how the Services are exposed.
	// Default: {type: ClusterIP}
	Service *Service `json:"service,omitempty"`
	// Monitoring adds a Prometheus Operator ServiceMonitor (a PodMonitor under
	// Argo Rollouts) that scrapes every pod of the app once (see
	// docs/production.md for what it selects).
	Monitoring *Monitoring `json:"monitoring,omitempty"`
	// Environments override any field of this spec, except environments, for
	// one named environment (dev, staging, prod, ...). Maps merge key by key,
	// and null removes an inherited key; lists of named items (env, ports and
	// externalSecrets by name, the data of an external secret by secretKey)
	// merge item by item, an item holding "$patch: delete" removing the
	// inherited item of that name; any other list replaces the inherited one.
	// Example: {prod: {replicas: 4, canary: {image: registry.example.com/admin:1.5.0, weight: 10}}}
	Environments map[string]json.RawMessage `json:"environments,omitempty"`
}

// Port is a named container port.
type Port struct {
	// Name is an IANA service name (DNS-1123 label of at most 15 characters).
	// Required.
	Name string `json:"name,omitempty"`
	// Port is the container port number, 1-65535. Required.
	Port int32 `json:"port,omitempty"`
	// Protocol is TCP, UDP or SCTP. Default: TCP
	Protocol corev1.Protocol `json:"protocol,omitempty"`
}

// EnvVar is one environment variable: a literal value or a reference to a
// key of a Secret or ConfigMap, never both.
type EnvVar struct {
	// Name of the variable. Required.
	Name string `json:"name,omitempty"`
	// Value is the literal value. $(VAR) expands a variable defined earlier.
	Value *string `json:"value,omitempty"`
	// SecretKeyRef takes the value from a key of a Secret.
	// Example: {name: admin-secret, key: admin-master-key}
	SecretKeyRef *KeyRef `json:"secretKeyRef,omitempty"`
	// ConfigMapKeyRef takes the value from a key of a ConfigMap.
	ConfigMapKeyRef *KeyRef `json:"configMapKeyRef,omitempty"`
}

// KeyRef names a key of a Secret or ConfigMap in the app's namespace.
type KeyRef struct {
	// Name of the Secret or ConfigMap. Required.
	Name string `json:"name,omitempty"`
	// Key within it. Required.
	Key string `json:"key,omitempty"`
	// Optional lets the pod start when the key is missing. Default: false
	Optional *bool `json:"optional,omitempty"`
}

// Routing exposes the app's first port on one or more hosts: through Istio
// (a Gateway and a VirtualService, the default) or, with ingress set, through
// a Kubernetes Ingress or a Gateway API HTTPRoute.
type Routing struct {
	// Hosts are the DNS names the app answers on. Required, unless the
	// Platform sets a hostSuffix: the host is then "<app name><hostSuffix>".
	// A host with no dot gets the Platform's hostSuffix appended.
	// Example: [admin.example.com]
	Hosts []string `json:"hosts,omitempty"`
	// Gateway selects or creates the Istio Gateway. Not allowed with ingress.
	// Default: {create: true, selector: {istio: ingressgateway}}
	Gateway *Gateway `json:"gateway,omitempty"`
	// RequestHeaders are set on every forwarded request (Istio and HTTPRoute;
	// an Ingress has no portable way to set them, so they are an error there).
	// Example: {x-forwarded-proto: https}
	RequestHeaders map[string]string `json:"requestHeaders,omitempty"`
	// Ingress routes through a Kubernetes Ingress or a Gateway API HTTPRoute
	// instead of Istio.
	Ingress *Ingress `json:"ingress,omitempty"`
}

// Gateway is the Istio Gateway the VirtualService binds to.
type Gateway struct {
	// Create renders a Gateway named like the app. Default: true, unless name is set
	Create *bool `json:"create,omitempty"`
	// Selector picks the ingress gateway pods of a created Gateway.
	// Default: {istio: ingressgateway}
	Selector map[string]string `json:"selector,omitempty"`
	// TLS adds an HTTPS server on port 443 to a created Gateway, and redirects
	// plain HTTP on port 80 to it.
	TLS *TLS `json:"tls,omitempty"`
	// Name is an existing, shared gateway ("namespace/name", or "name" in the
	// app's namespace) to route through instead of creating one.
	// Example: istio-system/public
	Name string `json:"name,omitempty"`
}

// TLS configures HTTPS termination at the gateway.
type TLS struct {
	// CredentialName is the Secret holding the certificate, in the gateway's
	// namespace. Required.
	CredentialName string `json:"credentialName,omitempty"`
}

// Ingress selects the non-Istio routing API.
type Ingress struct {
	// API is the routing API: Ingress (networking.k8s.io/v1) or HTTPRoute
	// (gateway.networking.k8s.io/v1). Default: Ingress
	API string `json:"api,omitempty"`
	// ClassName is the IngressClass of an Ingress.
	ClassName string `json:"className,omitempty"`
	// TLSSecretName, for an Ingress, is the Secret holding the certificate for the hosts.
	TLSSecretName string `json:"tlsSecretName,omitempty"`
	// Annotations are added to the Ingress or HTTPRoute.
	Annotations map[string]string `json:"annotations,omitempty"`
	// ParentRefs are the Gateway API Gateways an HTTPRoute attaches to
	// ("namespace/name" or "name"). Required for HTTPRoute.
	ParentRefs []string `json:"parentRefs,omitempty"`
}

// Canary controllers.
const (
	// CanaryControllerNone: slipway renders the canary Deployment and the
	// traffic split itself.
	CanaryControllerNone = ""
	// CanaryControllerArgoRollouts: an Argo Rollouts Rollout replaces the
	// Deployments and moves the VirtualService weights itself.
	CanaryControllerArgoRollouts = "argo-rollouts"
	// CanaryControllerFlagger: a Flagger Canary drives the Deployment and
	// creates the Services and VirtualService itself.
	CanaryControllerFlagger = "flagger"
)

// Canary runs a second version of the app and splits traffic between the
// stable and canary Services.
type Canary struct {
	// Weight is the share of traffic, 0-100, sent to the canary Service. A
	// weight above 0 needs an image. Default: 0
	Weight *int32 `json:"weight,omitempty"`
	// Image is the canary's container image. With none, the canary Service has
	// no endpoints.
	Image string `json:"image,omitempty"`
	// Replicas is the number of canary pods. Default: 1
	Replicas *int32 `json:"replicas,omitempty"`
	// Controller hands the rollout to a progressive delivery controller:
	// argo-rollouts or flagger. Default: none (slipway renders the split)
	Controller string `json:"controller,omitempty"`
	// Steps are the Argo Rollouts canary steps. Required with argo-rollouts
	// and an image.
	// Example: [{setWeight: 20}, {pause: {duration: 10m}}, {setWeight: 50}, {pause: {}}]
	Steps []CanaryStep `json:"steps,omitempty"`
	// Analysis tunes Flagger's analysis.
	// Default: {interval: 1m, threshold: 5, maxWeight: 50, stepWeight: 10}
	Analysis *CanaryAnalysis `json:"analysis,omitempty"`
}

// CanaryStep is one Argo Rollouts canary step: setWeight or pause.
type CanaryStep struct {
	// SetWeight sends this percentage of traffic to the canary.
	SetWeight *int32 `json:"setWeight,omitempty"`
	// Pause waits for the duration, or until promoted when it has none.
	Pause *Pause `json:"pause,omitempty"`
}

// Pause is an Argo Rollouts pause step.
type Pause struct {
	// Duration such as 30s or 10m. Empty: wait for manual promotion.
	Duration string `json:"duration,omitempty"`
}

// CanaryAnalysis is Flagger's canary analysis schedule.
type CanaryAnalysis struct {
	// Interval between analysis runs. Default: 1m
	Interval string `json:"interval,omitempty"`
	// Threshold is the number of failed checks before rollback. Default: 5
	Threshold *int32 `json:"threshold,omitempty"`
	// MaxWeight is the highest canary weight before promotion. Default: 50
	MaxWeight *int32 `json:"maxWeight,omitempty"`
	// StepWeight is the weight added at each interval. Default: 10
	StepWeight *int32 `json:"stepWeight,omitempty"`
}

// ExternalSecret is an External Secrets Operator ExternalSecret whose target
// Secret has the same name.
type ExternalSecret struct {
	// Name of the ExternalSecret and of the Secret it creates. Required.
	Name string `json:"name,omitempty"`
	// StoreRef is the SecretStore to read from. Required unless the Platform
	// sets a secretStore.
	StoreRef *StoreRef `json:"storeRef,omitempty"`
	// RefreshInterval between syncs; "0" fetches once. Default: 1h
	RefreshInterval string `json:"refreshInterval,omitempty"`
	// CreationPolicy of the target Secret: Owner, Orphan, Merge or None.
	// Default: Owner
	CreationPolicy string `json:"creationPolicy,omitempty"`
	// DeletionPolicy of the target Secret: Retain, Delete or Merge.
	// Default: Retain
	DeletionPolicy string `json:"deletionPolicy,omitempty"`
	// Template builds the target Secret's data from the fetched values.
	// Example: {admin-master-key: "{{ .adminMasterKey }}"}
	Template map[string]string `json:"template,omitempty"`
	// Data are the values to fetch. At least one is required.
	Data []SecretData `json:"data,omitempty"`
	// MountPath mounts the target Secret's keys as read-only files in this
	// directory, for credentials that are files (certificates, key files).
	// Example: /etc/secrets/db
	MountPath string `json:"mountPath,omitempty"`
}

// StoreRef names a SecretStore or ClusterSecretStore.
type StoreRef struct {
	// Name of the store. Required.
	Name string `json:"name,omitempty"`
	// Kind: SecretStore or ClusterSecretStore. Default: SecretStore
	Kind string `json:"kind,omitempty"`
}

// SecretData is one value fetched from the store.
type SecretData struct {
	// SecretKey is the key in the target Secret (or the template variable).
	// Required.
	SecretKey string `json:"secretKey,omitempty"`
	// RemoteRef locates the value in the store. Required.
	RemoteRef RemoteRef `json:"remoteRef"`
}

// RemoteRef locates a value in the secret store.
type RemoteRef struct {
	// Key in the store. Required. Example: prod/admin
	Key string `json:"key,omitempty"`
	// Property within the key's value. Example: master_key
	Property string `json:"property,omitempty"`
	// Version of the value.
	Version string `json:"version,omitempty"`
}

// Autoscaling configures an autoscaling/v2 HorizontalPodAutoscaler.
type Autoscaling struct {
	// MinReplicas. Default: 1
	MinReplicas *int32 `json:"minReplicas,omitempty"`
	// MaxReplicas. Required; at least minReplicas.
	MaxReplicas int32 `json:"maxReplicas,omitempty"`
	// TargetCPUUtilizationPercentage of the CPU request. Default: 80 when no
	// memory target is set
	TargetCPUUtilizationPercentage *int32 `json:"targetCPUUtilizationPercentage,omitempty"`
	// TargetMemoryUtilizationPercentage of the memory request.
	TargetMemoryUtilizationPercentage *int32 `json:"targetMemoryUtilizationPercentage,omitempty"`
}

// DisruptionBudget configures a policy/v1 PodDisruptionBudget; set one of
// the two fields, a number or a percentage.
type DisruptionBudget struct {
	// MinAvailable pods during a voluntary disruption. Example: 1
	MinAvailable *intstr.IntOrString `json:"minAvailable,omitempty"`
	// MaxUnavailable pods during a voluntary disruption. Example: 25%
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// Config is the app's configuration, rendered as a ConfigMap named
// "<name>-config".
type Config struct {
	// Data are the ConfigMap's keys and values. Required.
	Data map[string]string `json:"data,omitempty"`
	// MountPath mounts every key as a file in this directory. Example: /etc/app
	MountPath string `json:"mountPath,omitempty"`
	// Env exposes every key as an environment variable (envFrom). Default: false
	Env bool `json:"env,omitempty"`
}

// ServiceAccount is the identity the pods run as.
type ServiceAccount struct {
	// Create renders a ServiceAccount. Default: true
	Create *bool `json:"create,omitempty"`
	// Name of the service account. Default: the app's name
	Name string `json:"name,omitempty"`
	// Annotations of a created ServiceAccount, such as cloud IAM bindings.
	// Example: {eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/admin}
	Annotations map[string]string `json:"annotations,omitempty"`
	// AutomountToken mounts a Kubernetes API token into the pods.
	// Default: false
	AutomountToken *bool `json:"automountToken,omitempty"`
}

// Probes are the container's health checks.
type Probes struct {
	// Readiness gates traffic to the pod.
	// Example: {path: /healthz}
	Readiness *Probe `json:"readiness,omitempty"`
	// Liveness restarts the container when it fails.
	Liveness *Probe `json:"liveness,omitempty"`
	// Startup holds the other probes back until the app has started.
	Startup *Probe `json:"startup,omitempty"`
}

// Probe is a core/v1 Probe, or the shorthand {path, port}: an HTTP GET of
// path on port (default: the first port).
type Probe struct {
	// Path of the HTTP GET shorthand. Example: /healthz
	Path string `json:"path,omitempty"`
	// Port of the shorthand, by name or number, one of the app's ports.
	// Default: the first port
	Port *intstr.IntOrString `json:"port,omitempty"`
	// The full core/v1 form: exec, httpGet, tcpSocket or grpc, and the timing
	// fields (initialDelaySeconds, periodSeconds, timeoutSeconds,
	// successThreshold, failureThreshold).
	corev1.Probe `json:",inline"`
}

// Security overrides the restricted-profile defaults.
type Security struct {
	// RunAsNonRoot refuses to start a container running as UID 0. Default: true
	RunAsNonRoot *bool `json:"runAsNonRoot,omitempty"`
	// RunAsUser is the UID of the container process. Default: the image's
	RunAsUser *int64 `json:"runAsUser,omitempty"`
	// RunAsGroup is the GID of the container process. Default: the image's
	RunAsGroup *int64 `json:"runAsGroup,omitempty"`
	// FSGroup owns mounted volumes. Default: unset
	FSGroup *int64 `json:"fsGroup,omitempty"`
	// ReadOnlyRootFilesystem mounts the image read-only; /tmp stays writable.
	// Default: true
	ReadOnlyRootFilesystem *bool `json:"readOnlyRootFilesystem,omitempty"`
	// AllowPrivilegeEscalation. Default: false
	AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation,omitempty"`
	// SeccompProfile: RuntimeDefault or Unconfined. Default: RuntimeDefault
	SeccompProfile string `json:"seccompProfile,omitempty"`
	// AddCapabilities are added back after all capabilities are dropped.
	// Example: [NET_BIND_SERVICE]
	AddCapabilities []corev1.Capability `json:"addCapabilities,omitempty"`
}

// Pod holds the settings of the pod template of every workload (the
// Deployments, or the Rollout), passed through as Kubernetes defines them.
type Pod struct {
	// Annotations of the pods, such as Istio sidecar settings. The key
	// slipway.dev/config-hash is slipway's own.
	// Example: {sidecar.istio.io/proxyCPU: 100m}
	Annotations map[string]string `json:"annotations,omitempty"`
	// NodeSelector keeps the pods on nodes with these labels.
	// Example: {node-pool: general}
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// Tolerations let the pods run on tainted nodes (core/v1 Toleration).
	// Example: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
	// Affinity is the pods' node and pod (anti-)affinity (core/v1 Affinity).
	Affinity *corev1.Affinity `json:"affinity,omitempty"`
	// TopologySpreadConstraints spread the pods over nodes or zones (core/v1
	// TopologySpreadConstraint). A constraint without labelSelector counts
	// the pods of the app (app.kubernetes.io/name: <name>). Without any, the
	// cluster's default spreading applies.
	// Example: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]
	TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`
	// PriorityClassName names the PriorityClass of the pods.
	PriorityClassName string `json:"priorityClassName,omitempty"`
	// ImagePullSecrets name the Secrets, in the App's namespace, holding
	// credentials for the image registry.
	// Example: [registry-credentials]
	ImagePullSecrets []string `json:"imagePullSecrets,omitempty"`
	// TerminationGracePeriodSeconds is how long a pod may take to stop after
	// SIGTERM before it is killed; Kubernetes' default is 30.
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
}

// Service sets how the stable Service is exposed. The canary Service, which
// traffic reaches only through routing, stays ClusterIP, so that a canary
// never provisions a second load balancer or node port.
type Service struct {
	// Type of the stable Service: ClusterIP, NodePort or LoadBalancer.
	// Default: ClusterIP
	Type corev1.ServiceType `json:"type,omitempty"`
	// NodePort of the first port on the stable Service, 30000-32767; only with
	// type NodePort. Default: allocated by the cluster
	NodePort int32 `json:"nodePort,omitempty"`
	// Annotations of the stable Service, such as load balancer settings.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Monitoring configures a Prometheus Operator ServiceMonitor or PodMonitor.
type Monitoring struct {
	// Port is the name of the app port serving metrics. Default: the first port
	Port string `json:"port,omitempty"`
	// Path of the metrics endpoint. Default: /metrics
	Path string `json:"path,omitempty"`
	// Interval between scrapes. Default: 30s
	Interval string `json:"interval,omitempty"`
}
