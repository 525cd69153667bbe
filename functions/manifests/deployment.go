package manifests

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// deployments renders the stable Deployment and, with a canary image, the
// canary Deployment. Under Argo Rollouts a Rollout runs the pods instead;
// under Flagger the controller makes the canary from the stable Deployment.
func (r *renderer) deployments() []any {
	canary := r.spec.Canary
	switch r.controller() {
	case v1alpha1.CanaryControllerArgoRollouts:
		return nil
	case v1alpha1.CanaryControllerFlagger:
		return []any{r.deployment(r.app.Name, TrackStable, r.spec.Image, r.spec.Replicas)}
	}
	out := []any{r.deployment(r.app.Name, TrackStable, r.spec.Image, r.spec.Replicas)}
	if canary != nil && canary.Image != "" {
		out = append(out, r.deployment(r.app.Name+SuffixCanary, TrackCanary, canary.Image, canary.Replicas))
	}
	return out
}

// deployment renders one track. With autoscaling the stable Deployment has
// no replica count: the HorizontalPodAutoscaler owns it.
func (r *renderer) deployment(name, track, image string, replicas *int32) *appsv1.Deployment {
	if track == TrackStable && r.spec.Autoscaling != nil {
		replicas = nil
	}
	maxSurge, maxUnavailable := intstr.FromString("25%"), intstr.FromInt32(0)
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: r.meta(name),
		Spec: appsv1.DeploymentSpec{
			Replicas: replicas,
			Selector: &metav1.LabelSelector{MatchLabels: r.selector(track)},
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &maxSurge, MaxUnavailable: &maxUnavailable},
			},
			Template: r.podTemplate(track, image),
		},
	}
}

// podTemplate is the pod of every workload kind.
func (r *renderer) podTemplate(track, image string) corev1.PodTemplateSpec {
	s, sec := r.spec, r.spec.Security
	pod := s.Pod
	if pod == nil {
		pod = &v1alpha1.Pod{}
	}
	annotations := maps.Clone(pod.Annotations)
	if hash := r.configHash(); hash != "" {
		if annotations == nil {
			annotations = map[string]string{}
		}
		annotations[AnnotationConfigHash] = hash
	}
	container := corev1.Container{
		Name:      r.app.Name,
		Image:     image,
		Command:   s.Command,
		Args:      s.Args,
		Ports:     r.containerPorts(),
		Env:       r.env(),
		EnvFrom:   r.envFrom(),
		Resources: r.resources(),
		SecurityContext: &corev1.SecurityContext{
			RunAsNonRoot:             sec.RunAsNonRoot,
			RunAsUser:                sec.RunAsUser,
			RunAsGroup:               sec.RunAsGroup,
			ReadOnlyRootFilesystem:   sec.ReadOnlyRootFilesystem,
			AllowPrivilegeEscalation: sec.AllowPrivilegeEscalation,
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}, Add: sec.AddCapabilities},
		},
		VolumeMounts: []corev1.VolumeMount{{Name: TmpVolume, MountPath: "/tmp"}},
	}
	if p := s.Probes; p != nil {
		container.ReadinessProbe = r.probe(p.Readiness)
		container.LivenessProbe = r.probe(p.Liveness)
		container.StartupProbe = r.probe(p.Startup)
	}
	volumes := []corev1.Volume{{Name: TmpVolume, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
	if c := s.Config; c != nil && c.MountPath != "" {
		container.VolumeMounts = append(container.VolumeMounts, corev1.VolumeMount{Name: ConfigVolume, MountPath: c.MountPath, ReadOnly: true})
		volumes = append(volumes, corev1.Volume{Name: ConfigVolume, VolumeSource: corev1.VolumeSource{
			ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: r.app.Name + SuffixConfig}},
		}})
	}
	for _, es := range s.ExternalSecrets {
		if es.MountPath == "" {
			continue
		}
		name := secretVolumeName(es.Name)
		container.VolumeMounts = append(container.VolumeMounts, corev1.VolumeMount{Name: name, MountPath: es.MountPath, ReadOnly: true})
		volumes = append(volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			Secret: &corev1.SecretVolumeSource{SecretName: es.Name},
		}})
	}
	automount := false
	serviceAccount := ""
	if sa := s.ServiceAccount; sa != nil {
		automount, serviceAccount = *sa.AutomountToken, sa.Name
	}
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: r.podLabels(track), Annotations: annotations},
		Spec: corev1.PodSpec{
			ServiceAccountName:           serviceAccount,
			AutomountServiceAccountToken: &automount,
			SecurityContext: &corev1.PodSecurityContext{
				RunAsNonRoot:   sec.RunAsNonRoot,
				FSGroup:        sec.FSGroup,
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileType(sec.SeccompProfile)},
			},
			Containers:                    []corev1.Container{container},
			Volumes:                       volumes,
			NodeSelector:                  pod.NodeSelector,
			Tolerations:                   pod.Tolerations,
			Affinity:                      pod.Affinity,
			TopologySpreadConstraints:     r.spread(pod.TopologySpreadConstraints),
			PriorityClassName:             pod.PriorityClassName,
			ImagePullSecrets:              imagePullSecrets(pod.ImagePullSecrets),
			TerminationGracePeriodSeconds: pod.TerminationGracePeriodSeconds,
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
// that counts every pod of the app: app.kubernetes.io/name, which the pods
// of both tracks, of a Rollout and of Flagger's primary all carry (Flagger
// renames the app label of its primary's pods).
func (r *renderer) spread(constraints []corev1.TopologySpreadConstraint) []corev1.TopologySpreadConstraint {
	if len(constraints) == 0 {
		return nil
	}
	out := make([]corev1.TopologySpreadConstraint, len(constraints))
	for i, c := range constraints {
		out[i] = *c.DeepCopy()
		if out[i].LabelSelector == nil {
			out[i].LabelSelector = &metav1.LabelSelector{MatchLabels: map[string]string{LabelName: r.app.Name}}
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

// env keeps the App's order: $(VAR) expands only variables defined earlier.
func (r *renderer) env() []corev1.EnvVar {
	if len(r.spec.Env) == 0 {
		return nil
	}
	env := make([]corev1.EnvVar, len(r.spec.Env))
	for i, e := range r.spec.Env {
		env[i] = corev1.EnvVar{Name: e.Name}
		switch {
		case e.Value != nil:
			env[i].Value = *e.Value
		case e.SecretKeyRef != nil:
			ref := e.SecretKeyRef
			env[i].ValueFrom = &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Key: ref.Key, Optional: ref.Optional}}
		case e.ConfigMapKeyRef != nil:
			ref := e.ConfigMapKeyRef
			env[i].ValueFrom = &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Key: ref.Key, Optional: ref.Optional}}
		}
	}
	return env
}

func (r *renderer) envFrom() []corev1.EnvFromSource {
	if c := r.spec.Config; c == nil || !c.Env {
		return nil
	}
	return []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: r.app.Name + SuffixConfig}}}}
}

func (r *renderer) resources() corev1.ResourceRequirements {
	if r.spec.Resources == nil {
		return corev1.ResourceRequirements{}
	}
	return *r.spec.Resources.DeepCopy()
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
