package manifests

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// deployments renders the stable Deployment and, with a canary image, the
// canary Deployment, unless a StatefulSet or a Rollout runs the serving pods
// (under Flagger the controller makes the canary from the stable
// Deployment); and a Deployment per worker.
func (r *renderer) deployments() []any {
	var out []any
	if r.spec.Workload == v1alpha1.WorkloadDeployment && r.controller() != v1alpha1.CanaryControllerArgoRollouts {
		out = append(out, r.deployment(r.app.Name, TrackStable, r.spec.Image, r.spec.Replicas))
		if c := r.spec.Canary; c != nil && c.Controller == v1alpha1.CanaryControllerNone && c.Image != "" {
			out = append(out, r.deployment(r.app.Name+SuffixCanary, TrackCanary, c.Image, c.Replicas))
		}
	}
	for i := range r.spec.Workers {
		out = append(out, r.worker(&r.spec.Workers[i]))
	}
	return out
}

// deployment renders one track. With autoscaling the stable Deployment has
// no replica count: the HorizontalPodAutoscaler owns it.
func (r *renderer) deployment(name, track, image string, replicas *int32) *appsv1.Deployment {
	if track == TrackStable && r.spec.Autoscaling != nil {
		replicas = nil
	}
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: r.meta(name),
		Spec: appsv1.DeploymentSpec{
			Replicas: replicas,
			Selector: &metav1.LabelSelector{MatchLabels: r.workloadSelector(track)},
			Strategy: r.strategy(r.servingPod(track, image)),
			Template: r.podTemplate(r.servingPod(track, image)),
		},
	}
}

// strategy is the rolling update of the App's Deployments, or Recreate when
// the pod mounts a claim of one node (ReadWriteOnce): a new pod could not
// start beside the old one holding it (validation keeps such an App at one
// replica).
func (r *renderer) strategy(pod processPod) appsv1.DeploymentStrategy {
	for _, vol := range r.spec.Volumes {
		if vol.Storage != nil && pod.mounts(vol.Name) && !slices.Contains(vol.Storage.AccessModes, corev1.ReadWriteMany) && !slices.Contains(vol.Storage.AccessModes, corev1.ReadOnlyMany) {
			return appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
		}
	}
	st := r.spec.Strategy
	return appsv1.DeploymentStrategy{
		Type:          appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: st.MaxSurge, MaxUnavailable: st.MaxUnavailable},
	}
}

// worker renders the Deployment of a worker. Its pods are labelled
// "app: <app>-<worker>", so that no selector of the App's serving pods (its
// Services, Rollout or budget) ever counts them.
func (r *renderer) worker(w *v1alpha1.Worker) *appsv1.Deployment {
	pod := r.processPod(&w.Container)
	replicas := w.Replicas
	if w.Autoscaling != nil {
		replicas = nil
	}
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: r.processMeta(w.Name),
		Spec: appsv1.DeploymentSpec{
			Replicas: replicas,
			Selector: &metav1.LabelSelector{MatchLabels: r.processSelector(w.Name)},
			Strategy: r.strategy(pod),
			Template: r.podTemplate(pod),
		},
	}
}

// secretVolumeName names the volume of a mounted Secret after it:
// "secret-<name>", a DNS label. A name with dots, or too long for a label,
// is shortened and suffixed with a digest of the whole name, so that two
// Secrets never share a volume.
func secretVolumeName(secret string) string {
	const prefix = "secret-"
	if !strings.Contains(secret, ".") && len(prefix)+len(secret) <= validation.DNS1123LabelMaxLength {
		return prefix + secret
	}
	sum := sha256.Sum256([]byte(secret))
	digest := hex.EncodeToString(sum[:4])
	short := strings.ReplaceAll(secret, ".", "-")
	short = short[:min(len(short), validation.DNS1123LabelMaxLength-len(prefix)-len(digest)-1)]
	return prefix + strings.TrimRight(short, "-") + "-" + digest
}

// spread gives each topology spread constraint without a labelSelector one
// that counts the pods of the process: for the serving pods
// app.kubernetes.io/name, which the pods of both tracks, of a Rollout and of
// Flagger's primary all carry (Flagger renames the app label of its
// primary's pods).
func spread(constraints []corev1.TopologySpreadConstraint, selector map[string]string) []corev1.TopologySpreadConstraint {
	if len(constraints) == 0 {
		return nil
	}
	out := make([]corev1.TopologySpreadConstraint, len(constraints))
	for i, c := range constraints {
		out[i] = *c.DeepCopy()
		if out[i].LabelSelector == nil {
			out[i].LabelSelector = &metav1.LabelSelector{MatchLabels: maps.Clone(selector)}
		}
	}
	return out
}

func imagePullSecrets(names []string) []corev1.LocalObjectReference {
	if len(names) == 0 {
		return nil
	}
	refs := make([]corev1.LocalObjectReference, len(names))
	for i, name := range names {
		refs[i] = corev1.LocalObjectReference{Name: name}
	}
	return refs
}

func (r *renderer) containerPorts() []corev1.ContainerPort {
	ports := make([]corev1.ContainerPort, len(r.spec.Ports))
	for i, p := range r.spec.Ports {
		ports[i] = corev1.ContainerPort{Name: p.Name, ContainerPort: p.Port, Protocol: p.Protocol}
	}
	return ports
}

// probe expands the {path, port} shorthand into an HTTP GET probe.
func (r *renderer) probe(p *v1alpha1.Probe) *corev1.Probe {
	if p == nil {
		return nil
	}
	probe := p.Probe.DeepCopy()
	if p.Path != "" {
		probe.HTTPGet = &corev1.HTTPGetAction{Path: p.Path, Port: *p.Port}
	}
	return probe
}

// configHash is a digest of the ConfigMap's content, or empty without one.
func (r *renderer) configHash() string {
	if r.spec.Config == nil {
		return ""
	}
	data, _ := json.Marshal(r.spec.Config.Data) // a map[string]string always encodes, with sorted keys
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:16]
}
