package importer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// model writes the App that says, in its own fields, as much of the app as
// they can: what the workload runs, its ports, routing, canary weight,
// secrets, config, scaling and disruption budget, and the selector of a
// live workload to keep. What the fields cannot say is left to the
// patches and extra objects that import adds after comparing.
func model(a *app) *v1alpha1.App {
	w := a.workload
	out := &v1alpha1.App{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: v1alpha1.KindApp},
		ObjectMeta: metav1.ObjectMeta{Name: w.name, Namespace: a.namespace(), Labels: appLabels(a)},
	}
	spec := &out.Spec
	if w.kind == "StatefulSet" {
		spec.Workload = "StatefulSet"
	}
	pod := w.podSpec()
	main := mainContainer(pod, w.name)
	config := a.configMap(w.name + "-config")
	spec.Image = str(main, "image")
	spec.Command = stringList(listAt(main, "command"))
	spec.Args = stringList(listAt(main, "args"))
	convert(main["resources"], &spec.Resources)
	if r, ok := w.spec()["replicas"].(int); ok && a.autoscaler(w) == nil && r != 1 {
		spec.Replicas = ptr(int32(r))
	}
	spec.Env = envVars(listAt(main, "env"))
	for _, e := range listAt(main, "envFrom") {
		if config != nil && str(mapAt(asMap(e), "configMapRef"), "name") == config.name {
			continue
		}
		var from v1alpha1.EnvFrom
		convert(e, &from)
		spec.EnvFrom = append(spec.EnvFrom, from)
	}
	spec.Probes = probes(main)
	spec.Strategy = strategy(w)
	if lc := main["lifecycle"]; lc != nil {
		spec.Lifecycle = &v1alpha1.Lifecycle{}
		convert(lc, spec.Lifecycle)
	}
	spec.Pod = podSettings(w, pod)
	spec.Volumes = volumes(a, pod, main, config)
	for _, t := range listAt(w.spec(), "volumeClaimTemplates") {
		name := str(mapAt(asMap(t), "metadata"), "name")
		mount := ""
		for _, m := range listAt(main, "volumeMounts") {
			if str(asMap(m), "name") == name {
				mount = str(asMap(m), "mountPath")
			}
		}
		spec.Volumes = append(spec.Volumes, v1alpha1.Volume{Name: name, MountPath: mount, Storage: storage(mapAt(asMap(t), "spec"))})
	}
	spec.Service = service(a)
	if len(a.of("Service")) == 0 && len(a.of("Canary")) == 0 {
		spec.Ports = []v1alpha1.Port{}
	} else {
		for _, p := range listAt(main, "ports") {
			pm := asMap(p)
			port := v1alpha1.Port{Name: str(pm, "name"), Port: int32(num(pm, "containerPort")), NodePort: nodePort(a, str(pm, "name"))}
			if proto := str(pm, "protocol"); proto != "" && proto != "TCP" {
				port.Protocol = corev1.Protocol(proto)
			}
			spec.Ports = append(spec.Ports, port)
		}
	}
	if selector := mapAt(mapAt(w.spec(), "selector"), "matchLabels"); !isOwnSelector(selector, w) {
		spec.Compatibility = &v1alpha1.Compatibility{Selector: stringMap(selector)}
	}
	if name := str(pod, "serviceAccountName"); name != "" {
		sa := &v1alpha1.ServiceAccount{}
		if name != w.name {
			sa.Name = name
		}
		if a.member("ServiceAccount", name) == nil {
			sa.Create = ptr(false)
		}
		if mount, ok := pod["automountServiceAccountToken"].(bool); ok && mount {
			sa.AutomountToken = &mount
		}
		spec.ServiceAccount = sa
	}
	spec.Security = security(pod, main)
	for _, c := range listAt(pod, "initContainers") {
		cm := asMap(c)
		container := process(str(cm, "name"), cm, spec.Image)
		if str(cm, "restartPolicy") == "Always" {
			spec.Sidecars = append(spec.Sidecars, container)
		} else {
			spec.InitContainers = append(spec.InitContainers, container)
		}
	}
	if config != nil {
		spec.Config = &v1alpha1.Config{Data: stringMap(mapAt(config.doc, "data")), MountPath: mountPathOf(pod, main, "configMap", "name", config.name)}
		spec.Config.Env = slices.ContainsFunc(listAt(main, "envFrom"), func(e any) bool {
			return str(mapAt(asMap(e), "configMapRef"), "name") == config.name
		})
	}
	for _, es := range a.of("ExternalSecret") {
		spec.ExternalSecrets = append(spec.ExternalSecrets, externalSecret(es))
	}
	spec.Autoscaling, spec.DisruptionBudget = a.scaling(w)
	routing(a, spec)
	canaryDeployment(a, spec)
	canaryController(a, spec)
	processes(a, spec)
	if m := a.member("PodMonitor", w.name); m != nil {
		endpoint := asMap(itemAt(listAt(m.spec(), "podMetricsEndpoints"), 0))
		spec.Monitoring = &v1alpha1.Monitoring{Port: str(endpoint, "port")}
	}
	return out
}

// scaling models the autoscaler and the disruption budget of a workload.
func (a *app) scaling(w *object) (*v1alpha1.Autoscaling, *v1alpha1.DisruptionBudget) {
	var scaling *v1alpha1.Autoscaling
	if hpa := a.autoscaler(w); hpa != nil && hpa.kind == "HorizontalPodAutoscaler" {
		scaling = autoscaling(hpa)
	} else if hpa != nil {
		spec := hpa.spec()
		scaling = &v1alpha1.Autoscaling{MaxReplicas: int32(num(spec, "maxReplicaCount"))}
		if _, ok := spec["minReplicaCount"]; ok {
			scaling.MinReplicas = ptr(int32(num(spec, "minReplicaCount")))
		}
		convert(spec["triggers"], &scaling.Triggers)
	}
	for _, pdb := range a.of("PodDisruptionBudget") {
		if selects(mapAt(mapAt(pdb.spec(), "selector"), "matchLabels"), w) {
			budget := &v1alpha1.DisruptionBudget{}
			convert(pdb.spec(), budget)
			return scaling, budget
		}
	}
	return scaling, nil
}

// autoscaler is the HorizontalPodAutoscaler or KEDA ScaledObject that
// scales a workload.
func (a *app) autoscaler(w *object) *object {
	for _, hpa := range append(a.of("HorizontalPodAutoscaler"), a.of("ScaledObject")...) {
		if str(mapAt(hpa.spec(), "scaleTargetRef"), "name") == w.name {
			return hpa
		}
	}
	return nil
}

func (a *app) member(kind, name string) *object {
	for _, m := range a.of(kind) {
		if m.name == name {
			return m
		}
	}
	return nil
}

func (a *app) configMap(name string) *object { return a.member("ConfigMap", name) }

// appLabels are the workload's labels other than slipway's own: the App's
// labels, which it gives every object it renders.
func appLabels(a *app) map[string]string {
	labels := stringMap(a.workload.labels())
	maps.DeleteFunc(labels, func(k, _ string) bool { return ownLabel(k) })
	if len(labels) == 0 {
		return nil
	}
	return labels
}

// mainContainer is the container named after the workload, or the first.
func mainContainer(pod map[string]any, name string) map[string]any {
	containers := listAt(pod, "containers")
	for _, c := range containers {
		if str(asMap(c), "name") == name {
			return asMap(c)
		}
	}
	if len(containers) > 0 {
		return asMap(containers[0])
	}
	return nil
}

// isOwnSelector tells whether a workload's selector is the one slipway
// gives it: the app's stable pods, or, for a Rollout, which moves pods
// between the tracks itself, all of them.
func isOwnSelector(selector map[string]any, w *object) bool {
	if w.kind == "Rollout" {
		return len(selector) == 1 && selector["app"] == w.name
	}
	return len(selector) == 2 && selector["app"] == w.name && selector["slipway.dev/track"] == "stable"
}

func envVars(env []any) []v1alpha1.EnvVar {
	var out []v1alpha1.EnvVar
	for _, e := range env {
		m := asMap(e)
		v := v1alpha1.EnvVar{Name: str(m, "name")}
		if value, ok := m["value"].(string); ok {
			v.Value = &value
		}
		from := mapAt(m, "valueFrom")
		convert(from["secretKeyRef"], &v.SecretKeyRef)
		convert(from["configMapKeyRef"], &v.ConfigMapKeyRef)
		convert(from["fieldRef"], &v.FieldRef)
		convert(from["resourceFieldRef"], &v.ResourceFieldRef)
		if v.Value == nil && from == nil {
			v.Value = ptr("")
		}
		out = append(out, v)
	}
	return out
}

func probes(c map[string]any) *v1alpha1.Probes {
	out := &v1alpha1.Probes{}
	for key, dst := range map[string]**v1alpha1.Probe{"readinessProbe": &out.Readiness, "livenessProbe": &out.Liveness, "startupProbe": &out.Startup} {
		if c[key] != nil {
			*dst = &v1alpha1.Probe{}
			convert(c[key], &(*dst).Probe)
			// An HTTP GET of a path on the first port is the shorthand.
			if get := (*dst).HTTPGet; get != nil && get.Host == "" && get.Scheme == "" && len(get.HTTPHeaders) == 0 && isFirstPort(c, get.Port) {
				(*dst).Path, (*dst).HTTPGet = get.Path, nil
			}
		}
	}
	if *out == (v1alpha1.Probes{}) {
		return nil
	}
	return out
}

func isFirstPort(c map[string]any, port intstr.IntOrString) bool {
	first := asMap(itemAt(listAt(c, "ports"), 0))
	return first != nil && (port.String() == str(first, "name") || port.IntValue() == num(first, "containerPort"))
}

func podSettings(w *object, pod map[string]any) *v1alpha1.Pod {
	out := &v1alpha1.Pod{}
	annotations := stringMap(mapAt(mapAt(mapAt(w.spec(), "template"), "metadata"), "annotations"))
	maps.DeleteFunc(annotations, func(k, _ string) bool { return strings.HasPrefix(k, "slipway.dev/") })
	if len(annotations) > 0 {
		out.Annotations = annotations
	}
	out.NodeSelector = stringMap(mapAt(pod, "nodeSelector"))
	if len(out.NodeSelector) == 0 {
		out.NodeSelector = nil
	}
	convert(pod["tolerations"], &out.Tolerations)
	convert(pod["affinity"], &out.Affinity)
	out.PriorityClassName = str(pod, "priorityClassName")
	for _, s := range listAt(pod, "imagePullSecrets") {
		out.ImagePullSecrets = append(out.ImagePullSecrets, str(asMap(s), "name"))
	}
	if g, ok := pod["terminationGracePeriodSeconds"].(int); ok {
		out.TerminationGracePeriodSeconds = ptr(int64(g))
	}
	if isZero(out) {
		return nil
	}
	return out
}

// volumes are the pod's volumes that the main container mounts once (the
// others are left to patches), less the config's, which the App's config
// says.
func volumes(a *app, pod, main map[string]any, config *object) []v1alpha1.Volume {
	var out []v1alpha1.Volume
	for _, v := range listAt(pod, "volumes") {
		vm := asMap(v)
		name := str(vm, "name")
		if config != nil && str(mapAt(vm, "configMap"), "name") == config.name {
			continue
		}
		var mounts []map[string]any
		for _, m := range listAt(main, "volumeMounts") {
			if str(asMap(m), "name") == name {
				mounts = append(mounts, asMap(m))
			}
		}
		if len(mounts) != 1 || name == "tmp" || name == "config" || strings.HasPrefix(name, "secret-") {
			continue
		}
		vol := v1alpha1.Volume{Name: name, MountPath: str(mounts[0], "mountPath"), SubPath: str(mounts[0], "subPath")}
		if ro, ok := mounts[0]["readOnly"].(bool); ok {
			vol.ReadOnly = &ro
		}
		convert(vm["emptyDir"], &vol.EmptyDir)
		convert(vm["secret"], &vol.Secret)
		convert(vm["configMap"], &vol.ConfigMap)
		convert(vm["persistentVolumeClaim"], &vol.PersistentVolumeClaim)
		if claim := a.member("PersistentVolumeClaim", a.workload.name+"-"+name); claim != nil && vol.PersistentVolumeClaim != nil && vol.PersistentVolumeClaim.ClaimName == claim.name {
			vol.PersistentVolumeClaim, vol.ReadOnly = nil, nil
			vol.Storage = storage(claim.spec())
		}
		if vol.EmptyDir == nil && vol.Secret == nil && vol.ConfigMap == nil && vol.PersistentVolumeClaim == nil && vol.Storage == nil {
			continue
		}
		out = append(out, vol)
	}
	return out
}

// security models the settings of the pod's and the main container's
// security contexts that loosen slipway's restricted defaults; what is
// not set there is left to those defaults, and listed.
func security(pod, main map[string]any) *v1alpha1.Security {
	podContext, context := mapAt(pod, "securityContext"), mapAt(main, "securityContext")
	out := &v1alpha1.Security{}
	explicit := func(key string) (bool, bool) {
		if v, ok := context[key].(bool); ok {
			return v, true
		}
		v, ok := podContext[key].(bool)
		return v, ok
	}
	if v, ok := explicit("runAsNonRoot"); ok && !v {
		out.RunAsNonRoot = &v
	}
	if v, ok := context["readOnlyRootFilesystem"].(bool); ok && !v {
		out.ReadOnlyRootFilesystem = &v
	}
	if v, ok := context["allowPrivilegeEscalation"].(bool); ok && v {
		out.AllowPrivilegeEscalation = &v
	}
	for key, dst := range map[string]**int64{"runAsUser": &out.RunAsUser, "runAsGroup": &out.RunAsGroup} {
		if v, ok := context[key].(int); ok {
			*dst = ptr(int64(v))
		} else if v, ok := podContext[key].(int); ok {
			*dst = ptr(int64(v))
		}
	}
	if v, ok := podContext["fsGroup"].(int); ok {
		out.FSGroup = ptr(int64(v))
	}
	if profile := str(mapAt(podContext, "seccompProfile"), "type"); profile == "Unconfined" {
		out.SeccompProfile = profile
	}
	convert(mapAt(context, "capabilities")["add"], &out.AddCapabilities)
	if isZero(out) {
		return nil
	}
	return out
}

// strategy models a Deployment's rolling update where it differs from
// slipway's (maxSurge 25%, maxUnavailable 0).
func strategy(w *object) *v1alpha1.Strategy {
	s := mapAt(w.norm, "spec")["strategy"]
	if w.kind != "Deployment" || str(asMap(s), "type") != "RollingUpdate" {
		return nil
	}
	ru := mapAt(asMap(s), "rollingUpdate")
	out := &v1alpha1.Strategy{}
	if v := fmt.Sprint(ru["maxSurge"]); v != "25%" {
		out.MaxSurge = ptr(intstr.Parse(v))
	}
	if v := fmt.Sprint(ru["maxUnavailable"]); v != "0" {
		out.MaxUnavailable = ptr(intstr.Parse(v))
	}
	if *out == (v1alpha1.Strategy{}) {
		return nil
	}
	return out
}

// nodePort is the node port of the stable Service's port of that name.
func nodePort(a *app, name string) int32 {
	if s := a.member("Service", a.workload.name+"-stable"); s != nil {
		for _, p := range listAt(s.spec(), "ports") {
			if str(asMap(p), "name") == name {
				return int32(num(asMap(p), "nodePort"))
			}
		}
	}
	return 0
}

// storage models a claim's spec.
func storage(claim map[string]any) *v1alpha1.Storage {
	out := &v1alpha1.Storage{StorageClassName: str(claim, "storageClassName")}
	convert(mapAt(mapAt(claim, "resources"), "requests")["storage"], &out.Size)
	convert(claim["accessModes"], &out.AccessModes)
	if len(out.AccessModes) == 1 && out.AccessModes[0] == corev1.ReadWriteOnce {
		out.AccessModes = nil
	}
	return out
}

// service models how the stable Service (named after the workload) is
// exposed: its type, and for a NodePort or LoadBalancer the ports it
// exposes, its traffic policy and annotations.
func service(a *app) *v1alpha1.Service {
	s := a.member("Service", a.workload.name+"-stable")
	if s == nil {
		return nil
	}
	spec := s.spec()
	out := &v1alpha1.Service{Type: corev1.ServiceType(str(spec, "type"))}
	if out.Type == "" || out.Type == corev1.ServiceTypeClusterIP {
		return nil
	}
	for _, p := range listAt(spec, "ports") {
		out.ExposePorts = append(out.ExposePorts, str(asMap(p), "name"))
	}
	out.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicy(str(spec, "externalTrafficPolicy"))
	if ann := stringMap(mapAt(mapAt(s.doc, "metadata"), "annotations")); len(ann) > 0 {
		out.Annotations = ann
	}
	return out
}

// mountPathOf is where the main container mounts the volume of the given
// source (configMap, secret) and name.
func mountPathOf(pod, main map[string]any, source, key, name string) string {
	for _, v := range listAt(pod, "volumes") {
		if str(mapAt(asMap(v), source), key) != name {
			continue
		}
		for _, m := range listAt(main, "volumeMounts") {
			if str(asMap(m), "name") == str(asMap(v), "name") {
				return str(asMap(m), "mountPath")
			}
		}
	}
	return ""
}

func externalSecret(o *object) v1alpha1.ExternalSecret {
	spec := o.spec()
	out := v1alpha1.ExternalSecret{Name: o.name, RefreshInterval: str(spec, "refreshInterval")}
	if ref := mapAt(spec, "secretStoreRef"); ref != nil {
		out.StoreRef = &v1alpha1.StoreRef{Name: str(ref, "name"), Kind: str(ref, "kind")}
	}
	target := mapAt(spec, "target")
	out.CreationPolicy = str(target, "creationPolicy")
	out.DeletionPolicy = str(target, "deletionPolicy")
	out.Template = stringMap(mapAt(mapAt(target, "template"), "data"))
	if len(out.Template) == 0 {
		out.Template = nil
	}
	convert(spec["data"], &out.Data)
	return out
}

func autoscaling(hpa *object) *v1alpha1.Autoscaling {
	spec := hpa.spec()
	out := &v1alpha1.Autoscaling{MaxReplicas: int32(num(spec, "maxReplicas"))}
	if _, ok := spec["minReplicas"]; ok {
		out.MinReplicas = ptr(int32(num(spec, "minReplicas")))
	}
	for _, m := range listAt(spec, "metrics") {
		res := mapAt(asMap(m), "resource")
		target := mapAt(res, "target")
		if str(asMap(m), "type") == "Resource" && str(target, "type") == "Utilization" {
			switch str(res, "name") {
			case "cpu":
				out.TargetCPUUtilizationPercentage = ptr(int32(num(target, "averageUtilization")))
				continue
			case "memory":
				out.TargetMemoryUtilizationPercentage = ptr(int32(num(target, "averageUtilization")))
				continue
			}
		}
		var typed v1alpha1.Autoscaling
		convert(map[string]any{"metrics": []any{m}}, &typed)
		out.Metrics = append(out.Metrics, typed.Metrics...)
	}
	convert(spec["behavior"], &out.Behavior)
	return out
}

// convert copies a decoded value into a typed one through JSON; a value
// that does not fit is left out here and kept by a patch.
func convert(in, out any) {
	if in == nil {
		return
	}
	data, err := json.Marshal(in)
	if err == nil {
		_ = json.Unmarshal(data, out)
	}
}

func stringMap(m map[string]any) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

func stringList(l []any) []string {
	var out []string
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func num(m map[string]any, key string) int {
	n, _ := m[key].(int)
	return n
}

func ptr[T any](v T) *T { return &v }

func isZero[T any](v *T) bool {
	data, _ := json.Marshal(v)
	return string(data) == "{}"
}

// objectMetadata finds the labels and annotations that every rendered
// object of a kind lacks and its imported counterpart has (a Platform's
// annotations, a team's label on its Services): the App's metadata for
// that kind, rather than a patch for each object.
func objectMetadata(rendered, imported []*object) map[string]v1alpha1.ObjectMetadata {
	out := map[string]v1alpha1.ObjectMetadata{}
	kinds := map[string][]*object{}
	var order []string
	for _, r := range rendered {
		if _, seen := kinds[r.kind]; !seen {
			order = append(order, r.kind)
		}
		kinds[r.kind] = append(kinds[r.kind], r)
	}
	for _, kind := range order {
		var meta v1alpha1.ObjectMetadata
		for _, field := range []string{"labels", "annotations"} {
			var common map[string]string
			for _, r := range kinds[kind] {
				o := counterpart(imported, r)
				if o == nil {
					common = map[string]string{}
					break
				}
				have := stringMap(mapAt(mapAt(o.doc, "metadata"), field))
				rendered := mapAt(mapAt(r.doc, "metadata"), field)
				maps.DeleteFunc(have, func(k, _ string) bool { _, set := rendered[k]; return set || ownLabel(k) })
				if common == nil {
					common = have
				} else {
					maps.DeleteFunc(common, func(k, v string) bool { return have[k] != v })
				}
			}
			if len(common) > 0 && field == "labels" {
				meta.Labels = common
			} else if len(common) > 0 {
				meta.Annotations = common
			}
		}
		if meta.Labels != nil || meta.Annotations != nil {
			out[kind] = meta
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
