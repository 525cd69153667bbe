// Package apiserver checks objects as a Kubernetes API server's create request would, CRDs with their CEL rules included.
package apiserver

import (
	"context"
	"errors"
	"fmt"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	api "k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/batch/cronjob"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/limitrange"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim"
	"k8s.io/kubernetes/pkg/registry/core/resourcequota"
	"k8s.io/kubernetes/pkg/registry/core/service"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	"k8s.io/kubernetes/pkg/registry/networking/ingress"
	"k8s.io/kubernetes/pkg/registry/networking/networkpolicy"
	"k8s.io/kubernetes/pkg/registry/policy/poddisruptionbudget"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// builtin holds the create strategy of each built-in kind, at the versions
// a current API server serves. A strategy's Validate is the server's own:
// core ValidateService and the like, with the pod template options it
// derives on create.
var builtin = map[schema.GroupVersionKind]rest.RESTCreateStrategy{
	{Version: "v1", Kind: "Service"}:                                       service.Strategy,
	{Version: "v1", Kind: "ServiceAccount"}:                                serviceaccount.Strategy,
	{Version: "v1", Kind: "ConfigMap"}:                                     configmap.Strategy,
	{Version: "v1", Kind: "Namespace"}:                                     namespace.Strategy,
	{Version: "v1", Kind: "ResourceQuota"}:                                 resourcequota.Strategy,
	{Version: "v1", Kind: "LimitRange"}:                                    limitrange.Strategy,
	{Version: "v1", Kind: "PersistentVolumeClaim"}:                         persistentvolumeclaim.Strategy,
	{Group: "apps", Version: "v1", Kind: "Deployment"}:                     deployment.Strategy,
	{Group: "apps", Version: "v1", Kind: "StatefulSet"}:                    statefulset.Strategy,
	{Group: "batch", Version: "v1", Kind: "Job"}:                           job.Strategy,
	{Group: "batch", Version: "v1", Kind: "CronJob"}:                       cronjob.Strategy,
	{Group: "policy", Version: "v1", Kind: "PodDisruptionBudget"}:          poddisruptionbudget.Strategy,
	{Group: "autoscaling", Version: "v1", Kind: "HorizontalPodAutoscaler"}: horizontalpodautoscaler.Strategy,
	{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler"}: horizontalpodautoscaler.Strategy,
	{Group: "networking.k8s.io", Version: "v1", Kind: "Ingress"}:           ingress.Strategy,
	{Group: "networking.k8s.io", Version: "v1", Kind: "NetworkPolicy"}:     networkpolicy.Strategy,
}

// crds is loaded once: reading the CRDs and compiling their CEL rules
// takes a while, checking an object afterwards does not.
var crds = sync.OnceValues(func() (map[schema.GroupVersionKind]*customResource, error) {
	return loadCRDs(CRDSources)
})

// Validate runs one object (JSON or YAML) through what a create request
// goes through on a current API server with strict field validation: it
// returns every reason the server would refuse it, each starting with the
// field path, and nothing when it would be accepted. A kind that is neither
// a built-in one listed here nor a custom resource of a known CRD is
// refused too, so that nothing goes unchecked.
func Validate(obj []byte) []string {
	data, gvk, err := typed(obj)
	if err != nil {
		return []string{err.Error()}
	}
	if strategy, ok := builtin[gvk]; ok {
		return validateBuiltin(data, gvk, strategy)
	}
	custom, err := crds()
	if err != nil {
		return []string{fmt.Sprintf("loading the CRDs: %v", err)}
	}
	if cr, ok := custom[gvk]; ok {
		return cr.validate(data)
	}
	return []string{fmt.Sprintf("%s %s: not a kind this check knows (no create strategy and no served CRD version)", gvk.GroupVersion(), gvk.Kind)}
}

// ValidateUpdate runs an update of a live object to a new one (built-in
// kinds, JSON or YAML) through what an update request goes through: the
// strategy's update validation, which checks the new object and refuses a
// change to an immutable field, such as a Deployment's selector. It
// returns every reason, like Validate.
func ValidateUpdate(live, updated []byte) []string {
	var objs [2]runtime.Object
	var strategy rest.RESTUpdateStrategy
	for i, doc := range [][]byte{live, updated} {
		data, gvk, err := typed(doc)
		if err != nil {
			return []string{err.Error()}
		}
		s, ok := builtin[gvk].(rest.RESTUpdateStrategy)
		if !ok {
			return []string{fmt.Sprintf("%s: not a built-in kind this check can update", gvk)}
		}
		obj, msgs := internalObject(data, gvk)
		if len(msgs) > 0 {
			return msgs
		}
		objs[i], strategy = obj, s
	}
	old, err := meta.Accessor(objs[0])
	if err != nil {
		return []string{err.Error()}
	}
	rest.FillObjectMetaSystemFields(old) // as stored
	old.SetResourceVersion("1")
	obj, err := meta.Accessor(objs[1])
	if err != nil {
		return []string{err.Error()}
	}
	obj.SetUID(old.GetUID()) // as the update request's object gets them
	obj.SetCreationTimestamp(old.GetCreationTimestamp())
	obj.SetResourceVersion("1")
	ctx := genericapirequest.WithNamespace(context.Background(), obj.GetNamespace())
	return statusMessages(rest.BeforeUpdate(strategy, ctx, objs[1], objs[0]))
}

// typed reads a document's kind, and the document as JSON.
func typed(doc []byte) ([]byte, schema.GroupVersionKind, error) {
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return nil, schema.GroupVersionKind{}, err
	}
	var typeMeta metav1.TypeMeta
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(data, &typeMeta); err != nil {
		return nil, schema.GroupVersionKind{}, err
	}
	return data, typeMeta.GroupVersionKind(), nil
}

// validateBuiltin decodes as the server does (strictly, into the versioned
// type), applies the version's defaults, converts to the internal type and
// runs the create strategy.
func validateBuiltin(data []byte, gvk schema.GroupVersionKind, strategy rest.RESTCreateStrategy) []string {
	internal, msgs := internalObject(data, gvk)
	if internal == nil {
		return msgs
	}
	allocateClusterIPs(internal)
	return append(msgs, create(strategy, internal)...)
}

// internalObject decodes as the server does (strictly, into the versioned
// type), applies the version's defaults and converts to the internal type.
// It returns the strict decoding's messages, and no object when the
// document cannot be decoded.
func internalObject(data []byte, gvk schema.GroupVersionKind) (runtime.Object, []string) {
	versioned, err := legacyscheme.Scheme.New(gvk)
	if err != nil {
		return nil, []string{err.Error()}
	}
	msgs, err := decodeStrict(data, versioned)
	if err != nil {
		return nil, append(msgs, err.Error())
	}
	legacyscheme.Scheme.Default(versioned)
	internal, err := legacyscheme.Scheme.New(gvk.GroupKind().WithVersion(runtime.APIVersionInternal))
	if err != nil {
		return nil, append(msgs, err.Error())
	}
	if err := legacyscheme.Scheme.Convert(versioned, internal, nil); err != nil {
		return nil, append(msgs, err.Error())
	}
	return internal, msgs
}

// allocateClusterIPs does what the Service storage does before the
// strategy validates a new Service: a headless Service's clusterIP "None"
// becomes its clusterIPs too. (Other addresses it allocates later, which
// validation allows to be unset.)
func allocateClusterIPs(obj runtime.Object) {
	if svc, ok := obj.(*api.Service); ok && svc.Spec.ClusterIP == api.ClusterIPNone && len(svc.Spec.ClusterIPs) == 0 {
		svc.Spec.ClusterIPs = []string{api.ClusterIPNone}
	}
}

// decodeStrict unmarshals like the server's strict JSON serializer: unknown
// and duplicated fields are returned as messages (the server refuses them
// under fieldValidation=Strict), a malformed document as an error.
func decodeStrict(data []byte, into any) ([]string, error) {
	strictErrs, err := sigsjson.UnmarshalStrict(data, into, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return nil, err
	}
	var msgs []string
	for _, e := range strictErrs {
		msgs = append(msgs, e.Error())
	}
	return msgs, nil
}

// create runs the registry's create steps (rest.BeforeCreate: the
// strategy's PrepareForCreate and Validate, then the generic ObjectMeta
// checks) as a request to the object's namespace would, or to "default"
// when it has none, as kubectl would send it.
func create(strategy rest.RESTCreateStrategy, obj runtime.Object) []string {
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return []string{err.Error()}
	}
	ns := accessor.GetNamespace()
	if ns == "" && strategy.NamespaceScoped() {
		ns = metav1.NamespaceDefault
	}
	rest.FillObjectMetaSystemFields(accessor)
	ctx := genericapirequest.WithNamespace(context.Background(), ns)
	return statusMessages(rest.BeforeCreate(strategy, ctx, obj))
}

// statusMessages returns one "field: message" line per cause of the
// server's Invalid error, or the error itself.
func statusMessages(err error) []string {
	if err == nil {
		return nil
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil || len(status.Status().Details.Causes) == 0 {
		return []string{err.Error()}
	}
	var msgs []string
	for _, c := range status.Status().Details.Causes {
		msgs = append(msgs, c.Field+": "+c.Message)
	}
	return msgs
}
