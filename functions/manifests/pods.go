package manifests

import (
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// processPod describes the pods of one process of the App: its serving pods
// (a track), a worker or a job. Every pod of the App is built from one by
// podTemplate, so that they all share the App's env, config, secrets,
// security, pod settings, init containers and sidecars alike.
type processPod struct {
	container     string            // the main container's name
	labels        map[string]string // the pod's labels
	selector      map[string]string // what counts the pods in topology spreading
	image         string
	command, args []string
	env           []v1alpha1.EnvVar // after the App's env, replacing a variable of the same name
	resources     *corev1.ResourceRequirements
	volumes       []string // the App volumes the main container mounts
	serving       bool     // the serving pods: ports, probes, lifecycle and every volume
	restartPolicy corev1.RestartPolicy
}

// mounts tells whether a container of the pod mounts the App volume.
func (p processPod) mounts(volume string) bool {
	return p.serving || slices.Contains(p.volumes, volume)
}

// servingPod is the pod of one track of the App's serving workload.
func (r *renderer) servingPod(track, image string) processPod {
	return processPod{
		container: r.app.Name,
		labels:    r.podLabels(track),
		selector:  map[string]string{LabelName: r.nameLabel()},
		image:     image,
		command:   r.spec.Command,
		args:      r.spec.Args,
		resources: r.spec.Resources,
		serving:   true,
	}
}

// processPod is the pod of a worker or a job.
func (r *renderer) processPod(p *v1alpha1.Container) processPod {
	return processPod{
		container: p.Name,
		labels:    r.processLabels(p.Name),
		selector:  r.processSelector(p.Name),
		image:     p.Image,
		command:   p.Command,
		args:      p.Args,
		env:       p.Env,
		resources: p.Resources,
		volumes:   p.Mounts,
	}
}

// processLabels are the labels of a process's objects and pods: the App's,
// with "app: <app>-<process>" (its own workload for Istio and selectors)
// and the process as the component.
func (r *renderer) processLabels(process string) map[string]string {
	labels := r.labels()
	labels[LabelApp] = r.app.Name + "-" + process
	labels[LabelComponent] = process
	return labels
}

func (r *renderer) processSelector(process string) map[string]string {
	return map[string]string{LabelApp: r.app.Name + "-" + process}
}

func (r *renderer) processMeta(process string) metav1.ObjectMeta {
	m := r.meta(r.app.Name + "-" + process)
	m.Labels = r.processLabels(process)
	return m
}

// podTemplate builds the pod of a process: its main container, the App's
// native sidecars (init containers that keep running, started first) and
// init containers, and the volumes its containers mount.
func (r *renderer) podTemplate(p processPod) corev1.PodTemplateSpec {
	s := r.spec
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
	main := corev1.Container{
		Name:            p.container,
		Image:           p.image,
		Command:         p.command,
		Args:            p.args,
		Env:             envVars(s.Env, p.env),
		EnvFrom:         r.envFrom(),
		Resources:       resources(p.resources),
		SecurityContext: r.securityContext(),
		VolumeMounts:    r.volumeMounts(p.volumes, p.serving, true),
	}
	if p.serving {
		main.Ports = r.containerPorts()
		if pr := s.Probes; pr != nil {
			main.ReadinessProbe = r.probe(pr.Readiness)
			main.LivenessProbe = r.probe(pr.Liveness)
			main.StartupProbe = r.probe(pr.Startup)
		}
		main.Lifecycle = lifecycle(s.Lifecycle)
	}
	var inits []corev1.Container
	always := corev1.ContainerRestartPolicyAlways
	for _, c := range s.Sidecars {
		inits = append(inits, corev1.Container{
			Name:            c.Name,
			Image:           c.Image,
			Command:         c.Command,
			Args:            c.Args,
			Env:             envVars(nil, c.Env),
			Resources:       resources(c.Resources),
			RestartPolicy:   &always,
			SecurityContext: r.securityContext(),
			VolumeMounts:    r.volumeMounts(c.Mounts, false, false),
		})
	}
	for _, c := range s.InitContainers {
		inits = append(inits, corev1.Container{
			Name:            c.Name,
			Image:           c.Image,
			Command:         c.Command,
			Args:            c.Args,
			Env:             envVars(s.Env, c.Env),
			EnvFrom:         r.envFrom(),
			Resources:       resources(c.Resources),
			SecurityContext: r.securityContext(),
			VolumeMounts:    r.volumeMounts(c.Mounts, false, true),
		})
	}
	automount := false
	serviceAccount := ""
	if sa := s.ServiceAccount; sa != nil {
		automount, serviceAccount = *sa.AutomountToken, sa.Name
	}
	sec := s.Security
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: p.labels, Annotations: annotations},
		Spec: corev1.PodSpec{
			ServiceAccountName:           serviceAccount,
			AutomountServiceAccountToken: &automount,
			SecurityContext: &corev1.PodSecurityContext{
				RunAsNonRoot:   sec.RunAsNonRoot,
				FSGroup:        sec.FSGroup,
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileType(sec.SeccompProfile)},
			},
			InitContainers:                inits,
			Containers:                    []corev1.Container{main},
			Volumes:                       r.podVolumes(p, inits),
			RestartPolicy:                 p.restartPolicy,
			NodeSelector:                  pod.NodeSelector,
			Tolerations:                   pod.Tolerations,
			Affinity:                      pod.Affinity,
			TopologySpreadConstraints:     spread(pod.TopologySpreadConstraints, p.selector),
			PriorityClassName:             pod.PriorityClassName,
			ImagePullSecrets:              imagePullSecrets(pod.ImagePullSecrets),
			TerminationGracePeriodSeconds: pod.TerminationGracePeriodSeconds,
		},
	}
}

// securityContext is the restricted profile, with the App's overrides, of
// every container of the App.
func (r *renderer) securityContext() *corev1.SecurityContext {
	sec := r.spec.Security
	return &corev1.SecurityContext{
		RunAsNonRoot:             sec.RunAsNonRoot,
		RunAsUser:                sec.RunAsUser,
		RunAsGroup:               sec.RunAsGroup,
		ReadOnlyRootFilesystem:   sec.ReadOnlyRootFilesystem,
		AllowPrivilegeEscalation: sec.AllowPrivilegeEscalation,
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}, Add: sec.AddCapabilities},
	}
}

// volumeMounts are a container's mounts: the writable /tmp, the config and
// the mounted secrets when it shares the App's files (the main container,
// init containers: withAppFiles), and the App volumes it mounts (all of
// them for the serving container).
func (r *renderer) volumeMounts(volumes []string, all, withAppFiles bool) []corev1.VolumeMount {
	s := r.spec
	mounts := []corev1.VolumeMount{{Name: TmpVolume, MountPath: "/tmp"}}
	if withAppFiles {
		if c := s.Config; c != nil && c.MountPath != "" {
			mounts = append(mounts, corev1.VolumeMount{Name: ConfigVolume, MountPath: c.MountPath, ReadOnly: true})
		}
		for _, es := range s.ExternalSecrets {
			if es.MountPath != "" {
				mounts = append(mounts, corev1.VolumeMount{Name: secretVolumeName(es.Name), MountPath: es.MountPath, ReadOnly: true})
			}
		}
	}
	for _, vol := range s.Volumes {
		if all || slices.Contains(volumes, vol.Name) {
			mounts = append(mounts, corev1.VolumeMount{Name: vol.Name, MountPath: vol.MountPath, SubPath: vol.SubPath, ReadOnly: *vol.ReadOnly})
		}
	}
	return mounts
}

// podVolumes are the volumes the pod's containers mount, in the App's
// order. A storage volume is the claim rendered for the App, or, under a
// StatefulSet, the pod's own claim from the volumeClaimTemplates, which
// needs no volume entry.
func (r *renderer) podVolumes(p processPod, inits []corev1.Container) []corev1.Volume {
	s := r.spec
	volumes := []corev1.Volume{{Name: TmpVolume, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
	if c := s.Config; c != nil && c.MountPath != "" {
		volumes = append(volumes, corev1.Volume{Name: ConfigVolume, VolumeSource: corev1.VolumeSource{
			ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: r.app.Name + SuffixConfig}},
		}})
	}
	for _, es := range s.ExternalSecrets {
		if es.MountPath != "" {
			volumes = append(volumes, corev1.Volume{Name: secretVolumeName(es.Name), VolumeSource: corev1.VolumeSource{
				Secret: &corev1.SecretVolumeSource{SecretName: es.Name},
			}})
		}
	}
	for _, vol := range s.Volumes {
		used := p.mounts(vol.Name) || slices.ContainsFunc(inits, func(c corev1.Container) bool {
			return slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.Name == vol.Name })
		})
		if !used || (vol.Storage != nil && s.Workload == v1alpha1.WorkloadStatefulSet) {
			continue
		}
		source := corev1.VolumeSource{
			EmptyDir:              vol.EmptyDir.DeepCopy(),
			Secret:                vol.Secret.DeepCopy(),
			ConfigMap:             vol.ConfigMap.DeepCopy(),
			PersistentVolumeClaim: vol.PersistentVolumeClaim.DeepCopy(),
		}
		if vol.Storage != nil {
			source.PersistentVolumeClaim = &corev1.PersistentVolumeClaimVolumeSource{ClaimName: r.claimName(vol.Name)}
		}
		volumes = append(volumes, corev1.Volume{Name: vol.Name, VolumeSource: source})
	}
	return volumes
}

// envVars are the App's variables followed by a process's own, which
// replace the App's of the same name in place; the order is kept, since
// $(VAR) expands only variables defined earlier.
func envVars(app, own []v1alpha1.EnvVar) []corev1.EnvVar {
	if len(app)+len(own) == 0 {
		return nil
	}
	out := make([]corev1.EnvVar, 0, len(app)+len(own))
	index := map[string]int{}
	for _, e := range slices.Concat(app, own) {
		v := envVar(e)
		if i, ok := index[e.Name]; ok {
			out[i] = v
			continue
		}
		index[e.Name] = len(out)
		out = append(out, v)
	}
	return out
}

func envVar(e v1alpha1.EnvVar) corev1.EnvVar {
	v := corev1.EnvVar{Name: e.Name}
	switch {
	case e.Value != nil:
		v.Value = *e.Value
	case e.SecretKeyRef != nil:
		ref := e.SecretKeyRef
		v.ValueFrom = &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Key: ref.Key, Optional: ref.Optional}}
	case e.ConfigMapKeyRef != nil:
		ref := e.ConfigMapKeyRef
		v.ValueFrom = &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Key: ref.Key, Optional: ref.Optional}}
	case e.FieldRef != nil:
		v.ValueFrom = &corev1.EnvVarSource{FieldRef: e.FieldRef.DeepCopy()}
	case e.ResourceFieldRef != nil:
		v.ValueFrom = &corev1.EnvVarSource{ResourceFieldRef: e.ResourceFieldRef.DeepCopy()}
	}
	return v
}

// envFrom is the config exposed as env, then the App's envFrom.
func (r *renderer) envFrom() []corev1.EnvFromSource {
	var out []corev1.EnvFromSource
	if c := r.spec.Config; c != nil && c.Env {
		out = append(out, corev1.EnvFromSource{ConfigMapRef: &corev1.ConfigMapEnvSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: r.app.Name + SuffixConfig}}})
	}
	for _, e := range r.spec.EnvFrom {
		src := corev1.EnvFromSource{Prefix: e.Prefix}
		if ref := e.ConfigMapRef; ref != nil {
			src.ConfigMapRef = &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Optional: ref.Optional}
		}
		if ref := e.SecretRef; ref != nil {
			src.SecretRef = &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Optional: ref.Optional}
		}
		out = append(out, src)
	}
	return out
}

func resources(r *corev1.ResourceRequirements) corev1.ResourceRequirements {
	if r == nil {
		return corev1.ResourceRequirements{}
	}
	return *r.DeepCopy()
}

// lifecycle expands the sleepSeconds shorthand into a sleep action.
func lifecycle(l *v1alpha1.Lifecycle) *corev1.Lifecycle {
	if l == nil {
		return nil
	}
	handler := func(h *v1alpha1.LifecycleHandler) *corev1.LifecycleHandler {
		if h == nil {
			return nil
		}
		out := h.LifecycleHandler.DeepCopy()
		if h.SleepSeconds != nil {
			out.Sleep = &corev1.SleepAction{Seconds: *h.SleepSeconds}
		}
		return out
	}
	return &corev1.Lifecycle{PostStart: handler(l.PostStart), PreStop: handler(l.PreStop)}
}
