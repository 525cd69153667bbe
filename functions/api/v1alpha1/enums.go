package v1alpha1

import (
	"reflect"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Field is a field, by the Go type that declares it and its JSON name.
type Field struct {
	Type reflect.Type
	Name string
}

// Enums are the values each enumerated field accepts (for a list, each
// item). The validator checks them and the JSON Schema lists them, so the
// two cannot disagree. An unset field takes its default and is not listed.
var Enums = map[Field][]string{
	FieldOf[Port]("protocol"):                 {"TCP", "UDP", "SCTP"},
	FieldOf[AppSpec]("workload"):              {WorkloadDeployment, WorkloadStatefulSet},
	FieldOf[Storage]("accessModes"):           {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"},
	FieldOf[Job]("hook"):                      {HookPreSync, HookPostSync},
	FieldOf[Job]("concurrencyPolicy"):         {"Forbid", "Replace", "Allow"},
	FieldOf[Ingress]("api"):                   {IngressAPIIngress, IngressAPIHTTPRoute},
	FieldOf[Canary]("controller"):             {CanaryControllerArgoRollouts, CanaryControllerFlagger},
	FieldOf[ExternalSecret]("creationPolicy"): {"Owner", "Orphan", "Merge", "None"},
	FieldOf[ExternalSecret]("deletionPolicy"): {"Retain", "Delete", "Merge"},
	FieldOf[StoreRef]("kind"):                 {"SecretStore", "ClusterSecretStore"},
	FieldOf[Security]("seccompProfile"):       {SeccompRuntimeDefault, "Unconfined"},
	FieldOf[Service]("type"):                  {"ClusterIP", "NodePort", "LoadBalancer"},
	FieldOf[Service]("externalTrafficPolicy"): {"Cluster", "Local"},
	FieldOf[TrafficPolicy]("tlsMode"):         {"DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"},
	FieldOf[PatchOp]("op"):                    {"add", "remove", "replace"},
	FieldOf[Policy]("allowRelaxing"): {
		RelaxRunAsNonRoot, RelaxRunAsRoot, RelaxAllowPrivilegeEscalation, RelaxSeccompProfile, RelaxCapabilities, RelaxReadOnlyRootFilesystem,
	},
	FieldOf[Tenant]("podSecurity"):                         {"restricted", "baseline", "privileged"},
	FieldOf[AWSStore]("service"):                           {"SecretsManager", "ParameterStore"},
	FieldOf[VaultStore]("version"):                         {"v1", "v2"},
	FieldOf[SLOMetrics]("durationUnit"):                    {"seconds", "milliseconds"},
	FieldOf[autoscalingv2.MetricSpec]("type"):              {"Resource", "ContainerResource", "Pods", "Object", "External"},
	FieldOf[autoscalingv2.HPAScalingRules]("selectPolicy"): {"Max", "Min", "Disabled"},
	FieldOf[autoscalingv2.HPAScalingPolicy]("type"):        {"Pods", "Percent"},
	FieldOf[APIVersions]("istio"):                          {"networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"},
	FieldOf[APIVersions]("externalSecrets"):                {"external-secrets.io/v1", "external-secrets.io/v1beta1"},

	// The fields an env var may take from the pod (fieldRef) and from the
	// container's resources (resourceFieldRef), as the API server allows
	// them in a container's env.
	FieldOf[corev1.ObjectFieldSelector]("fieldPath"): {
		"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
		"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
	},
	FieldOf[corev1.ResourceFieldSelector]("resource"): {
		"limits.cpu", "limits.memory", "limits.ephemeral-storage",
		"requests.cpu", "requests.memory", "requests.ephemeral-storage",
	},
	FieldOf[corev1.Toleration]("operator"):                        {string(corev1.TolerationOpEqual), string(corev1.TolerationOpExists)},
	FieldOf[corev1.Toleration]("effect"):                          {string(corev1.TaintEffectNoSchedule), string(corev1.TaintEffectPreferNoSchedule), string(corev1.TaintEffectNoExecute)},
	FieldOf[corev1.TopologySpreadConstraint]("whenUnsatisfiable"): {string(corev1.DoNotSchedule), string(corev1.ScheduleAnyway)},
	FieldOf[corev1.NodeSelectorRequirement]("operator"):           {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"},
}

// FieldOf is T's field of that JSON name.
func FieldOf[T any](name string) Field { return Field{reflect.TypeFor[T](), name} }

// enum checks value against the values Enums lists for T's field name.
func enum[T any](v *validator, path *field.Path, name, value string) {
	v.oneOf(path, value, Enums[FieldOf[T](name)]...)
}
