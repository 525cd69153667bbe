package v1alpha1

import (
	"encoding/json"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
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
	// first one receives routed traffic. An empty list ("ports: []") is a
	// process that serves nothing: no Service, and no routing.
	// Default: [{name: http, port: 8080}]
	Ports []Port `json:"ports,omitempty"`
	// Env is the container environment, in order: $(VAR) references may only
	// refer to variables listed before them. Workers, jobs and init
	// containers get it too, before their own.
	Env []EnvVar `json:"env,omitempty"`
	// EnvFrom exposes every key of a ConfigMap or Secret as a variable, in
	// the main container and in workers, jobs and init containers.
	// Example: [{configMapRef: {name: shared-settings}}, {secretRef: {name: shared-credentials}}]
	EnvFrom []EnvFrom `json:"envFrom,omitempty"`
	// Volumes are mounted into the main container (and, by name, into the
	// workers, jobs, init containers and sidecars whose mounts list them).
	// Example: [{name: pids, mountPath: /app/tmp/pids, emptyDir: {medium: Memory, sizeLimit: 16Mi}}]
	Volumes []Volume `json:"volumes,omitempty"`
	// Lifecycle hooks of the main container, as in core/v1, plus the
	// shorthand sleepSeconds for a sleep before the container is stopped.
	// Example: {preStop: {sleepSeconds: 10}}
	Lifecycle *Lifecycle `json:"lifecycle,omitempty"`
	// Strategy of the Deployment's rolling update.
	// Default: {maxSurge: 25%, maxUnavailable: 0}
	Strategy *Strategy `json:"strategy,omitempty"`
	// Compatibility keeps what a live workload cannot change, so that
	// slipway takes over a Deployment or StatefulSet in place, without
	// deleting it (see docs/production.md, Taking over a live workload).
	Compatibility *Compatibility `json:"compatibility,omitempty"`
	// InitContainers run, in order, before the containers of every pod of
	// the App (the serving pods, workers and jobs); each shares the App's
	// image, env, envFrom and security settings unless it sets its own
	// image, and mounts the volumes it lists.
	// Example: [{name: wait-db, command: [bin/wait-for-db]}]
	InitContainers []Container `json:"initContainers,omitempty"`
	// Sidecars run beside the main container in every pod of the App, as
	// native sidecars (init containers that keep running, Kubernetes 1.29+):
	// they start first, and a job's pod still completes when its main
	// container does. A sidecar has its own environment only.
	// Example: [{name: sql-proxy, image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0, args: [--port=5432]}]
	Sidecars []Container `json:"sidecars,omitempty"`
	// Workers are long-running processes of the same image with no Service:
	// a Deployment "<name>-<worker>" each.
	// Example: [{name: sidekiq, command: [bundle, exec, sidekiq], replicas: 2}]
	Workers []Worker `json:"workers,omitempty"`
	// Jobs run to completion: with a hook, once with every sync (a Job
	// "<name>-<job>"); with a schedule, as a CronJob "<name>-<job>".
	// Example: [{name: migrate, command: [bin/rails, db:migrate], hook: PreSync}]
	Jobs []Job `json:"jobs,omitempty"`
	// SLO is the app's service level objectives, measured on the requests
	// it serves (the Platform's request metrics; Istio's by default). They
	// render a PrometheusRule with multi-window, multi-burn-rate alerts, a
	// Grafana dashboard, and, under a canary controller, the analysis that
	// fails a canary burning the error budget.
	// Example: {availability: {objective: 99.9, window: 30d}, latency: {objective: 99, threshold: 250ms}}
	SLO *SLO `json:"slo,omitempty"`
	// Patches change rendered objects where the App has no field for it:
	// each targets one object by kind and name and is a strategic merge
	// patch (patch) or JSON 6902 operations (ops). Applied after rendering,
	// in order, in every client alike. A patch may not change a name, a
	// namespace or a selector. A patched object of a Kubernetes kind must
	// still decode into its type; what the API server checks beyond that
	// (a required value, a range) is the patch's author's, as with
	// kustomize.
	// Example: [{target: {kind: Deployment, name: admin}, patch: {spec: {template: {spec: {dnsPolicy: ClusterFirstWithHostNet}}}}}]
	Patches []Patch `json:"patches,omitempty"`
	// ExtraObjects are further objects rendered with the App: given its
	// namespace when they have none and its labels, and decoded strictly
	// into their type like a patched object. A Secret is refused: secrets
	// come from externalSecrets.
	// Example: [{apiVersion: v1, kind: ConfigMap, metadata: {name: feature-flags}, data: {beta: "true"}}]
	ExtraObjects []map[string]any `json:"extraObjects,omitempty"`
	// ObjectMetadata adds labels and annotations to the rendered objects of
	// one kind only, by kind.
	// Example: {Deployment: {annotations: {reloader.stakater.com/auto: "true"}}, Service: {labels: {exposed: "true"}}}
	ObjectMetadata map[string]ObjectMetadata `json:"objectMetadata,omitempty"`
	// AllowFrom are the callers allowed to reach the app's ports: a
	// NetworkPolicy (and, unless the App is routed through an Ingress, an
	// Istio AuthorizationPolicy) admits them and nothing else. Absent: no
	// policy is rendered.
	// Example: [{namespace: storefront}, {namespace: discovery, app: indexer}, {ingressGateway: true}]
	AllowFrom []AllowFrom `json:"allowFrom,omitempty"`
	// Workload runs the serving pods: Deployment, or StatefulSet for pods
	// with a stable identity (a headless Service "<name>-headless") and a
	// volume of their own per storage volume. Default: Deployment
	Workload string `json:"workload,omitempty"`
	// Resources are the container's requests and limits, as in core/v1.
	// Example: {requests: {cpu: 100m, memory: 256Mi}}
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
	// Routing exposes the app outside the mesh. Absent: no Gateway,
	// VirtualService, Ingress or HTTPRoute is rendered.
	Routing *Routing `json:"routing,omitempty"`
	// Canary runs a second version of the app beside the stable one.
	Canary *Canary `json:"canary,omitempty"`
	// ExternalSecrets become External Secrets Operator ExternalSecrets, synced
	// before the workloads and the jobs that run ahead of them (Argo CD sync
	// wave -2).
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
	// Monitoring adds a Prometheus Operator PodMonitor that scrapes every
	// serving pod of the app once (see docs/production.md for what it
	// selects).
	Monitoring *Monitoring `json:"monitoring,omitempty"`
	// Environments override any field of this spec, except environments, for
	// one named environment (dev, staging, prod, ...). Maps merge key by key,
	// and null removes an inherited key; lists of named items (env, ports,
	// externalSecrets, volumes, initContainers, sidecars, workers and jobs by
	// name, the data of an external secret by secretKey) merge item by item,
	// an item holding "$patch: delete" removing the inherited item of that
	// name, and an empty list clearing them all; any other list replaces the
	// inherited one.
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
	// NodePort of the port on a NodePort or LoadBalancer stable Service,
	// 30000-32767. Default: allocated by the cluster
	NodePort int32 `json:"nodePort,omitempty"`
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
	// FieldRef takes the value from a field of the pod (core/v1).
	// Example: {fieldPath: status.hostIP}
	FieldRef *corev1.ObjectFieldSelector `json:"fieldRef,omitempty"`
	// ResourceFieldRef takes the value from a request or limit of the
	// container (core/v1). Example: {resource: limits.memory}
	ResourceFieldRef *corev1.ResourceFieldSelector `json:"resourceFieldRef,omitempty"`
}

// EnvFrom exposes the keys of a ConfigMap or a Secret, one of the two, as
// variables.
type EnvFrom struct {
	// ConfigMapRef names the ConfigMap.
	ConfigMapRef *EnvFromRef `json:"configMapRef,omitempty"`
	// SecretRef names the Secret.
	SecretRef *EnvFromRef `json:"secretRef,omitempty"`
	// Prefix is put before every variable name.
	Prefix string `json:"prefix,omitempty"`
}

// EnvFromRef names a ConfigMap or Secret in the app's namespace.
type EnvFromRef struct {
	// Name of the ConfigMap or Secret. Required.
	Name string `json:"name,omitempty"`
	// Optional lets the pod start without it. Default: false
	Optional *bool `json:"optional,omitempty"`
}

// Volume is a volume and where the main container mounts it. Set exactly
// one source: emptyDir, secret, configMap, persistentVolumeClaim or storage.
type Volume struct {
	// Name of the volume, a DNS label; containers other than the main one
	// mount it by this name. Required.
	Name string `json:"name,omitempty"`
	// MountPath is where it is mounted: a directory, or a file with
	// subPath. Required.
	MountPath string `json:"mountPath,omitempty"`
	// SubPath mounts one key (a file) or subdirectory of the volume, rather
	// than all of it. Example: master-key
	SubPath string `json:"subPath,omitempty"`
	// ReadOnly mounts it read-only. Default: true for secret and configMap
	// volumes, false otherwise
	ReadOnly *bool `json:"readOnly,omitempty"`
	// EmptyDir is a scratch directory that lives as long as the pod, on
	// disk or in memory (core/v1). Example: {medium: Memory, sizeLimit: 16Mi}
	EmptyDir *corev1.EmptyDirVolumeSource `json:"emptyDir,omitempty"`
	// Secret mounts a Secret's keys as files (core/v1).
	// Example: {secretName: admin-secret}
	Secret *corev1.SecretVolumeSource `json:"secret,omitempty"`
	// ConfigMap mounts a ConfigMap's keys as files (core/v1).
	// Example: {name: company-ca}
	ConfigMap *corev1.ConfigMapVolumeSource `json:"configMap,omitempty"`
	// PersistentVolumeClaim mounts an existing claim (core/v1).
	// Example: {claimName: uploads}
	PersistentVolumeClaim *corev1.PersistentVolumeClaimVolumeSource `json:"persistentVolumeClaim,omitempty"`
	// Storage is a volume claimed for the App: a PersistentVolumeClaim
	// "<name>-<volume>" for a Deployment, or one claim per pod under a
	// StatefulSet.
	// Example: {size: 10Gi, storageClassName: gp3}
	Storage *Storage `json:"storage,omitempty"`
}

// Storage is a persistent volume claimed for the App.
type Storage struct {
	// Size of the volume. Required. Example: 10Gi
	Size *resource.Quantity `json:"size,omitempty"`
	// StorageClassName of the volume. Default: the cluster's default class
	StorageClassName string `json:"storageClassName,omitempty"`
	// AccessModes of the volume. Default: [ReadWriteOnce]
	AccessModes []corev1.PersistentVolumeAccessMode `json:"accessModes,omitempty"`
}

// Lifecycle holds the main container's lifecycle hooks.
type Lifecycle struct {
	// PostStart runs right after the container starts.
	PostStart *LifecycleHandler `json:"postStart,omitempty"`
	// PreStop runs before the container is stopped, within the termination
	// grace period. Example: {sleepSeconds: 10}
	PreStop *LifecycleHandler `json:"preStop,omitempty"`
}

// LifecycleHandler is a core/v1 LifecycleHandler (exec, httpGet or sleep),
// or the shorthand sleepSeconds.
type LifecycleHandler struct {
	// SleepSeconds waits this long: time for the endpoints to drop the pod
	// before it stops taking connections. Example: 10
	SleepSeconds *int64 `json:"sleepSeconds,omitempty"`
	// The core/v1 form: exec, httpGet or sleep.
	corev1.LifecycleHandler `json:",inline"`
}

// Compatibility keeps a live workload's immutable fields.
type Compatibility struct {
	// Selector is the live workload's spec.selector.matchLabels, kept as
	// it is: Kubernetes refuses any change to a selector. The serving pods
	// carry these labels besides slipway's, so every other selector of the
	// App still finds them. Its app.kubernetes.io/name, when it has one
	// (a Helm chart's name), is that label's value on every object of the
	// App, instead of the App's name. Not with a canary, whose pods the
	// selector would count as its own.
	// Example: {app: my-application}
	Selector map[string]string `json:"selector,omitempty"`
}

// Strategy is the Deployment's rolling update.
type Strategy struct {
	// MaxSurge is how many pods above the replica count an update may add,
	// a number or a percentage. Default: 25%
	MaxSurge *intstr.IntOrString `json:"maxSurge,omitempty"`
	// MaxUnavailable is how many pods below the replica count an update may
	// go, a number or a percentage. Default: 0
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// Container is an init container, a sidecar, or the container of a worker
// or a job, which shares the App's env, envFrom, config, mounted secrets,
// service account, security and pod settings, init containers and sidecars
// (see docs/production.md for what each kind of container shares).
type Container struct {
	// Name of the container, a DNS label unique in the pod; a worker's or
	// job's objects are named "<app>-<name>". Required.
	Name string `json:"name,omitempty"`
	// Image of the container. Default: the App's image (its stable image
	// while a canary runs); a container of the App's image needs a command
	Image string `json:"image,omitempty"`
	// Command replaces the image's entrypoint.
	Command []string `json:"command,omitempty"`
	// Args are the arguments to the entrypoint.
	Args []string `json:"args,omitempty"`
	// Env is added to the container's environment: an init container's, a
	// worker's and a job's start with the App's env (a variable of the same
	// name replaces the App's); a sidecar's is its own.
	Env []EnvVar `json:"env,omitempty"`
	// Resources of the container, as in core/v1. Default: the App's, for
	// init containers, workers and jobs; none for a sidecar
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
	// Mounts names the App volumes mounted into the container, at their
	// mountPath. Example: [pids]
	Mounts []string `json:"mounts,omitempty"`
}

// Worker is a long-running process of the App without a Service.
type Worker struct {
	Container `json:",inline"`
	// Replicas of the worker. Ignored when autoscaling is set. Default: 1
	Replicas *int32 `json:"replicas,omitempty"`
	// Autoscaling adds a HorizontalPodAutoscaler for the worker.
	Autoscaling *Autoscaling `json:"autoscaling,omitempty"`
	// DisruptionBudget adds a PodDisruptionBudget for the worker.
	// Default: {maxUnavailable: 1} when it runs more than one replica.
	DisruptionBudget *DisruptionBudget `json:"disruptionBudget,omitempty"`
}

// Job hooks.
const (
	// HookPreSync runs the job before the workloads of every sync roll.
	HookPreSync = "PreSync"
	// HookPostSync runs the job after every successful sync.
	HookPostSync = "PostSync"
)

// Job is a process that runs to completion: with every sync (hook) or on a
// schedule, one of the two.
type Job struct {
	Container `json:",inline"`
	// Hook runs the job with every Argo CD sync: PreSync (before the
	// workloads roll, after the secrets, config and claims the pods need
	// exist) or PostSync (after the sync succeeds). See docs/production.md
	// for what kpt and kustomize users get.
	Hook string `json:"hook,omitempty"`
	// Schedule in cron format (five fields, or a macro such as @daily)
	// makes the job a CronJob. Example: "0 3 * * *"
	Schedule string `json:"schedule,omitempty"`
	// TimeZone of the schedule, a tz database name. Default: the cluster's
	// (kube-controller-manager's) time zone. Example: Asia/Tokyo
	TimeZone string `json:"timeZone,omitempty"`
	// Suspend stops a CronJob from starting new runs, in one environment
	// for instance. Default: false
	Suspend *bool `json:"suspend,omitempty"`
	// ConcurrencyPolicy of a CronJob: Forbid (skip a run while the last one
	// runs), Replace or Allow. Default: Forbid
	ConcurrencyPolicy string `json:"concurrencyPolicy,omitempty"`
	// StartingDeadlineSeconds is how late a CronJob's run may still start;
	// a run missed by more (the controller was down, the job suspended) is
	// skipped rather than started at once. Default: 300
	StartingDeadlineSeconds *int64 `json:"startingDeadlineSeconds,omitempty"`
	// BackoffLimit is how many times a failed run is retried. Default: 2
	BackoffLimit *int32 `json:"backoffLimit,omitempty"`
	// ActiveDeadlineSeconds stops a run that takes longer. Default: 3600
	ActiveDeadlineSeconds *int64 `json:"activeDeadlineSeconds,omitempty"`
	// TTLSecondsAfterFinished deletes a hook's finished Job after this long,
	// so that the next kubectl apply can create it again. Default: 86400 for
	// a hook (a CronJob keeps its last runs instead)
	TTLSecondsAfterFinished *int32 `json:"ttlSecondsAfterFinished,omitempty"`
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
	// Mesh applies the routing to callers inside the mesh too, through the
	// Service "<name>": the same split, preview, headers, timeout and
	// retries as at the edge. With Istio, the VirtualService binds the mesh
	// gateway; with an HTTPRoute, a second HTTPRoute "<name>-mesh" attaches
	// to the Service (Gateway API for meshes); an Ingress cannot.
	// Default: true through Istio, false otherwise
	Mesh *bool `json:"mesh,omitempty"`
	// Timeout of a request, retries included. Example: 5s
	Timeout string `json:"timeout,omitempty"`
	// Retries of a failed request (Istio only: the standard Gateway API has
	// none). Example: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset"}
	Retries *Retries `json:"retries,omitempty"`
	// TrafficPolicy of the connections to the app's pods: outlier detection,
	// connection pool limits and TLS, rendered as a DestinationRule for the
	// stable and the canary Service (Istio only).
	TrafficPolicy *TrafficPolicy `json:"trafficPolicy,omitempty"`
}

// Retries retries failed requests.
type Retries struct {
	// Attempts is the number of retries. Required.
	Attempts int32 `json:"attempts,omitempty"`
	// PerTryTimeout bounds each attempt. Example: 2s
	PerTryTimeout string `json:"perTryTimeout,omitempty"`
	// RetryOn lists the conditions to retry on, as Envoy names them.
	// Default: Istio's (connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes)
	// Example: 5xx,reset
	RetryOn string `json:"retryOn,omitempty"`
}

// TrafficPolicy is the part of an Istio DestinationRule's traffic policy
// that services set.
type TrafficPolicy struct {
	// OutlierDetection ejects pods that keep failing from the load balancing.
	// Example: {consecutive5xxErrors: 5, interval: 30s, baseEjectionTime: 60s}
	OutlierDetection *OutlierDetection `json:"outlierDetection,omitempty"`
	// ConnectionPool limits the connections and requests to the app.
	// Example: {tcp: {maxConnections: 100}, http: {http1MaxPendingRequests: 50}}
	ConnectionPool *ConnectionPool `json:"connectionPool,omitempty"`
	// TLS mode of the connections: DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL.
	// Example: ISTIO_MUTUAL
	TLSMode string `json:"tlsMode,omitempty"`
}

// OutlierDetection is Istio's outlier detection.
type OutlierDetection struct {
	// Consecutive5xxErrors before a pod is ejected.
	Consecutive5xxErrors *int32 `json:"consecutive5xxErrors,omitempty"`
	// Interval between ejection sweeps. Example: 30s
	Interval string `json:"interval,omitempty"`
	// BaseEjectionTime a pod stays ejected, times the number of ejections.
	// Example: 60s
	BaseEjectionTime string `json:"baseEjectionTime,omitempty"`
	// MaxEjectionPercent of the pods that may be ejected at once.
	MaxEjectionPercent *int32 `json:"maxEjectionPercent,omitempty"`
}

// ConnectionPool is Istio's connection pool settings.
type ConnectionPool struct {
	// TCP connection limits.
	TCP *TCPPool `json:"tcp,omitempty"`
	// HTTP request limits.
	HTTP *HTTPPool `json:"http,omitempty"`
}

// TCPPool limits TCP connections.
type TCPPool struct {
	// MaxConnections to the app, per caller's sidecar.
	MaxConnections *int32 `json:"maxConnections,omitempty"`
	// ConnectTimeout of a connection. Example: 1s
	ConnectTimeout string `json:"connectTimeout,omitempty"`
}

// HTTPPool limits HTTP requests.
type HTTPPool struct {
	// HTTP1MaxPendingRequests waiting for a connection.
	HTTP1MaxPendingRequests *int32 `json:"http1MaxPendingRequests,omitempty"`
	// HTTP2MaxRequests in flight.
	HTTP2MaxRequests *int32 `json:"http2MaxRequests,omitempty"`
	// MaxRequestsPerConnection before a connection is closed.
	MaxRequestsPerConnection *int32 `json:"maxRequestsPerConnection,omitempty"`
	// MaxRetries in flight at once.
	MaxRetries *int32 `json:"maxRetries,omitempty"`
	// IdleTimeout of a connection. Example: 1h
	IdleTimeout string `json:"idleTimeout,omitempty"`
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
	// Match sends the requests it matches to the canary, whatever the
	// weight: a preview for testers before the canary takes real traffic
	// (Istio, HTTPRoute and Argo Rollouts).
	// Example: {headers: {x-canary: {exact: "true"}}}
	Match *CanaryMatch `json:"match,omitempty"`
}

// CanaryMatch matches requests by headers and cookies; all must match.
type CanaryMatch struct {
	// Headers by name, each matched exactly, by prefix or by a regular
	// expression (RE2).
	Headers map[string]StringMatch `json:"headers,omitempty"`
	// Cookies by name, each matched exactly.
	// Example: {canary: "always"}
	Cookies map[string]string `json:"cookies,omitempty"`
}

// StringMatch matches a string: set one of exact, prefix and regex.
type StringMatch struct {
	// Exact value.
	Exact string `json:"exact,omitempty"`
	// Prefix of the value.
	Prefix string `json:"prefix,omitempty"`
	// Regex the value matches (RE2).
	Regex string `json:"regex,omitempty"`
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
	// Metrics are further metrics to scale on (autoscaling/v2 MetricSpec:
	// Pods, Object or External metrics from a metrics adapter).
	// Example: [{type: Pods, pods: {metric: {name: requests_per_second}, target: {type: AverageValue, averageValue: "100"}}}]
	Metrics []autoscalingv2.MetricSpec `json:"metrics,omitempty"`
	// Behavior tunes how fast the autoscaler scales up and down
	// (autoscaling/v2).
	// Example: {scaleDown: {stabilizationWindowSeconds: 600}}
	Behavior *autoscalingv2.HorizontalPodAutoscalerBehavior `json:"behavior,omitempty"`
	// Triggers scale with KEDA instead: a ScaledObject, from a queue's length
	// for instance, and no HorizontalPodAutoscaler (KEDA makes its own).
	// Example: [{type: rabbitmq, metadata: {queueName: jobs, mode: QueueLength, value: "20"}, authenticationRef: {name: rabbitmq}}]
	Triggers []Trigger `json:"triggers,omitempty"`
}

// Trigger is a KEDA scaler.
type Trigger struct {
	// Type of the scaler (rabbitmq, aws-sqs-queue, kafka, prometheus, ...).
	// Required.
	Type string `json:"type,omitempty"`
	// Metadata of the scaler, as KEDA documents it for the type. Required.
	Metadata map[string]string `json:"metadata,omitempty"`
	// AuthenticationRef names a TriggerAuthentication in the App's
	// namespace.
	AuthenticationRef *TriggerAuthenticationRef `json:"authenticationRef,omitempty"`
}

// TriggerAuthenticationRef names a KEDA TriggerAuthentication.
type TriggerAuthenticationRef struct {
	// Name of the TriggerAuthentication. Required.
	Name string `json:"name,omitempty"`
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

// SLO holds the objectives; set one or both.
type SLO struct {
	// Availability is the share of requests that do not fail (5xx).
	Availability *Objective `json:"availability,omitempty"`
	// Latency is the share of requests served within threshold.
	Latency *LatencyObjective `json:"latency,omitempty"`
}

// Objective is a target share of good requests over a window.
type Objective struct {
	// Objective in percent, such as 99.9. Required.
	Objective float64 `json:"objective,omitempty"`
	// Window over which the objective holds, in days. Default: 30d
	Window string `json:"window,omitempty"`
}

// LatencyObjective is the share of requests served within a threshold.
type LatencyObjective struct {
	Objective `json:",inline"`
	// Threshold a request must be served within: a bucket boundary of the
	// request duration histogram (Istio's: 1, 5, 10, 25, 50, 100, 250, 500,
	// 1000, 2500, 5000, 10000 ms, ...). Required. Example: 250ms
	Threshold string `json:"threshold,omitempty"`
}

// Patch changes one rendered object.
type Patch struct {
	// Target is the object: its kind and name. Required.
	Target PatchTarget `json:"target"`
	// Patch is a strategic merge patch: merged into the object, lists of
	// Kubernetes kinds by their keys (containers by name, ...).
	Patch map[string]any `json:"patch,omitempty"`
	// Ops are JSON 6902 operations (add, remove, replace), applied in order.
	// Example: [{op: add, path: /metadata/annotations/x, value: "y"}]
	Ops []PatchOp `json:"ops,omitempty"`
}

// PatchTarget names a rendered object.
type PatchTarget struct {
	// Kind of the object. Required. Example: Deployment
	Kind string `json:"kind,omitempty"`
	// Name of the object. Default: the App's name
	Name string `json:"name,omitempty"`
}

// PatchOp is one JSON 6902 operation.
type PatchOp struct {
	// Op is add, remove or replace. Required.
	Op string `json:"op,omitempty"`
	// Path is a JSON pointer into the object. Required.
	// Example: /spec/template/spec/dnsPolicy
	Path string `json:"path,omitempty"`
	// Value to add or replace with.
	Value any `json:"value,omitempty"`
}

// ObjectMetadata is extra metadata of the rendered objects of one kind.
type ObjectMetadata struct {
	// Labels added to the objects (not to their selectors or pods).
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations added to the objects.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// AllowFrom is one kind of caller: set one of namespace (with app, the
// pods of one App there), ingressGateway and monitoring.
type AllowFrom struct {
	// Namespace of the callers; every pod there, or those of app.
	Namespace string `json:"namespace,omitempty"`
	// App of the callers in namespace: its pods' app label, and, for the
	// AuthorizationPolicy, its service account (slipway names it after the
	// App). Example: indexer
	App string `json:"app,omitempty"`
	// IngressGateway admits the Istio ingress gateway (the Platform's
	// ingressGateway settings say where it runs).
	IngressGateway bool `json:"ingressGateway,omitempty"`
	// Monitoring admits the Prometheus that scrapes the app (the Platform's
	// monitoringNamespace).
	Monitoring bool `json:"monitoring,omitempty"`
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
	// ExposePorts are the ports a NodePort or LoadBalancer stable Service
	// exposes outside the cluster; the others are reached inside only,
	// through the "<name>" and canary Services.
	// Default: every port but monitoring's
	ExposePorts []string `json:"exposePorts,omitempty"`
	// ExternalTrafficPolicy of a NodePort or LoadBalancer Service: Cluster,
	// or Local, which keeps the client's address and sends traffic only to
	// nodes running a pod (so that a load balancer's health checks see the
	// right nodes). Default: Cluster
	ExternalTrafficPolicy corev1.ServiceExternalTrafficPolicy `json:"externalTrafficPolicy,omitempty"`
	// Annotations of the stable Service, such as load balancer settings.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Monitoring configures a Prometheus Operator PodMonitor.
type Monitoring struct {
	// Port is the name of the app port serving metrics. Default: the first port
	Port string `json:"port,omitempty"`
	// Path of the metrics endpoint. Default: /metrics
	Path string `json:"path,omitempty"`
	// Interval between scrapes. Default: 30s
	Interval string `json:"interval,omitempty"`
	// Labels of the PodMonitor and of the rules, which the Prometheus
	// instance's selectors choose by. Example: {release: prometheus}
	Labels map[string]string `json:"labels,omitempty"`
}
