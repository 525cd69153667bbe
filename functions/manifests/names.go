package manifests

import "github.com/slipway-dev/slipway/functions/api/v1alpha1"

// Label keys, annotation keys and name suffixes of rendered objects.
const (
	// LabelApp selects the app's pods; Istio telemetry reads it too.
	LabelApp = "app"
	// LabelName is the recommended label naming the application.
	LabelName = "app.kubernetes.io/name"
	// LabelComponent names the process (worker or job) of the app that an
	// object runs.
	LabelComponent = "app.kubernetes.io/component"
	// LabelManagedBy marks every rendered object; a re-render replaces the
	// objects that carry it, which makes rendering in place idempotent.
	LabelManagedBy = "app.kubernetes.io/managed-by"
	// ManagedBy is the LabelManagedBy value.
	ManagedBy = "slipway"
	// LabelTrack tells stable pods from canary pods.
	LabelTrack = "slipway.dev/track"
	// TrackStable and TrackCanary are the LabelTrack values.
	TrackStable = "stable"
	TrackCanary = "canary"
	// LabelRolloutsPodTemplateHash is the label by which Argo Rollouts tells
	// the pods of one revision from another's.
	LabelRolloutsPodTemplateHash = "rollouts-pod-template-hash"

	// AnnotationSyncWave orders Argo CD syncs: what the pods need goes first
	// (Kind.Wave).
	AnnotationSyncWave = "argocd.argoproj.io/sync-wave"
	// AnnotationConfigHash on the pod template rolls the pods when the
	// ConfigMap content changes.
	AnnotationConfigHash = v1alpha1.AnnotationConfigHash

	// Name suffixes.
	SuffixStable = "-stable"
	SuffixCanary = "-canary"
	SuffixConfig = v1alpha1.ConfigSuffix
	// SuffixMesh names the HTTPRoute of the in-mesh callers.
	SuffixMesh = "-mesh"
	// FlaggerPrimarySuffix is what Flagger appends to the name of the
	// Deployment, Services and pod label value of the primary it creates.
	FlaggerPrimarySuffix = "-primary"

	// RouteName is the VirtualService HTTP route that carries the split; Argo
	// Rollouts is told its name.
	RouteName = "primary"
	// RoutePreview is the route of the requests canary.match sends to the
	// canary.
	RoutePreview = "preview"
	// MeshGateway is Istio's name for the sidecars of the mesh as a gateway.
	MeshGateway = "mesh"
	// TmpVolume is the writable emptyDir mounted at /tmp.
	TmpVolume = v1alpha1.TmpVolumeName
	// ConfigVolume mounts the ConfigMap.
	ConfigVolume = v1alpha1.ConfigVolumeName
)
