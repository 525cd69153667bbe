package importer

import (
	"reflect"
	"strings"

	"github.com/slipway-dev/slipway/functions/encode"
)

// serverFields are the metadata fields the API server sets on a live
// object, which manifests read back from a cluster carry and a rendering
// never does. They are dropped before comparing, and import says so.
var serverFields = []string{"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "ownerReferences"}

// serverAnnotations are annotations that clients and controllers write on
// live objects; they are state, not intent.
var serverAnnotations = []string{"kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision"}

// normalize fills in, on a decoded object without the fields only a live
// object has (stripLive), the values the API server defaults (for the
// built-in kinds, from their defaulting functions; for ExternalSecrets,
// from the CRD's schema defaults). Two objects that normalize equal are
// the same object to the cluster.
func normalize(obj map[string]any) {
	defaults{}.object(obj)
}

// stripDefaults removes from a decoded object the values that are the API
// server's defaults, as a live object read from a cluster carries them:
// what is left is what its author chose.
func stripDefaults(obj map[string]any) {
	defaults{strip: true}.object(obj)
	pruneEmpty(obj)
}

// defaults fills in the API server's defaults, or, with strip, removes the
// values equal to them.
type defaults struct{ strip bool }

func (d defaults) set(m map[string]any, key string, value any) {
	if m == nil {
		return
	}
	if !d.strip {
		setDefault(m, key, value)
	} else if reflect.DeepEqual(m[key], value) {
		delete(m, key)
	}
}

// sub is the map under key: created to be filled, left absent to strip.
func (d defaults) sub(m map[string]any, key string) map[string]any {
	if d.strip || m == nil {
		return mapAt(m, key)
	}
	return ensureMap(m, key)
}

func (d defaults) object(obj map[string]any) {
	spec := mapAt(obj, "spec")
	if spec == nil {
		return
	}
	switch groupOf(str(obj, "apiVersion")) + "/" + str(obj, "kind") {
	case "apps/Deployment":
		d.set(spec, "replicas", 1)
		d.set(spec, "revisionHistoryLimit", 10)
		d.set(spec, "progressDeadlineSeconds", 600)
		strategy := d.sub(spec, "strategy")
		if t := str(strategy, "type"); t == "" || t == "RollingUpdate" {
			ru := d.sub(strategy, "rollingUpdate")
			d.set(ru, "maxSurge", "25%")
			d.set(ru, "maxUnavailable", "25%")
		}
		d.set(strategy, "type", "RollingUpdate")
		d.podTemplate(mapAt(spec, "template"))
	case "apps/StatefulSet":
		d.set(spec, "replicas", 1)
		d.set(spec, "revisionHistoryLimit", 10)
		d.set(spec, "podManagementPolicy", "OrderedReady")
		us := d.sub(spec, "updateStrategy")
		if t := str(us, "type"); t == "" || t == "RollingUpdate" {
			d.set(d.sub(us, "rollingUpdate"), "partition", 0)
		}
		d.set(us, "type", "RollingUpdate")
		policy := d.sub(spec, "persistentVolumeClaimRetentionPolicy")
		d.set(policy, "whenDeleted", "Retain")
		d.set(policy, "whenScaled", "Retain")
		for _, t := range listAt(spec, "volumeClaimTemplates") {
			d.set(d.sub(asMap(t), "spec"), "volumeMode", "Filesystem")
		}
		d.podTemplate(mapAt(spec, "template"))
	case "batch/Job":
		d.job(spec)
	case "batch/CronJob":
		d.set(spec, "concurrencyPolicy", "Allow")
		d.set(spec, "suspend", false)
		d.set(spec, "successfulJobsHistoryLimit", 3)
		d.set(spec, "failedJobsHistoryLimit", 1)
		d.job(mapAt(mapAt(spec, "jobTemplate"), "spec"))
	case "/Service":
		if str(spec, "type") != "ExternalName" {
			d.set(spec, "internalTrafficPolicy", "Cluster")
		}
		d.set(spec, "type", "ClusterIP")
		d.set(spec, "sessionAffinity", "None")
		for _, p := range listAt(spec, "ports") {
			if m := asMap(p); m != nil {
				d.set(m, "protocol", "TCP")
				d.set(m, "targetPort", m["port"])
			}
		}
	case "/PersistentVolumeClaim":
		d.set(spec, "volumeMode", "Filesystem")
	case "external-secrets.io/ExternalSecret":
		d.set(spec, "refreshInterval", "1h")
		target := d.sub(spec, "target")
		d.set(target, "creationPolicy", "Owner")
		d.set(target, "deletionPolicy", "Retain")
		for _, item := range listAt(spec, "data") {
			ref := d.sub(asMap(item), "remoteRef")
			d.set(ref, "conversionStrategy", "Default")
			d.set(ref, "decodingStrategy", "None")
			d.set(ref, "metadataPolicy", "None")
		}
		if tmpl := mapAt(target, "template"); tmpl != nil {
			d.set(tmpl, "engineVersion", "v2")
			d.set(tmpl, "mergePolicy", "Replace")
		}
	}
}

func (d defaults) job(spec map[string]any) {
	if spec == nil {
		return
	}
	d.set(spec, "backoffLimit", 6)
	d.set(spec, "completions", 1)
	d.set(spec, "parallelism", 1)
	d.set(spec, "completionMode", "NonIndexed")
	d.set(spec, "suspend", false)
	d.podTemplate(mapAt(spec, "template"))
}

func (d defaults) podTemplate(tmpl map[string]any) {
	if tmpl == nil {
		return
	}
	if meta := mapAt(tmpl, "metadata"); meta != nil {
		delete(meta, "creationTimestamp")
		dropEmpty(meta, "labels", "annotations")
		if len(meta) == 0 {
			delete(tmpl, "metadata")
		}
	}
	pod := mapAt(tmpl, "spec")
	if pod == nil {
		return
	}
	d.set(pod, "restartPolicy", "Always")
	d.set(pod, "dnsPolicy", "ClusterFirst")
	d.set(pod, "schedulerName", "default-scheduler")
	d.set(pod, "terminationGracePeriodSeconds", 30)
	d.set(pod, "securityContext", map[string]any{})
	if name, ok := pod["serviceAccount"]; ok && pod["serviceAccountName"] == nil {
		pod["serviceAccountName"] = name
	}
	delete(pod, "serviceAccount") // the deprecated alias the API server copies
	for _, key := range []string{"containers", "initContainers"} {
		for _, c := range listAt(pod, key) {
			if m := asMap(c); m != nil {
				d.container(m)
			}
		}
	}
	for _, v := range listAt(pod, "volumes") {
		for _, source := range []string{"secret", "configMap"} {
			d.set(mapAt(asMap(v), source), "defaultMode", 420)
		}
	}
}

func (d defaults) container(c map[string]any) {
	d.set(c, "terminationMessagePath", "/dev/termination-log")
	d.set(c, "terminationMessagePolicy", "File")
	d.set(c, "imagePullPolicy", defaultPullPolicy(str(c, "image")))
	for _, p := range listAt(c, "ports") {
		d.set(asMap(p), "protocol", "TCP")
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
		p := mapAt(c, probe)
		if p == nil {
			continue
		}
		d.set(p, "timeoutSeconds", 1)
		d.set(p, "periodSeconds", 10)
		d.set(p, "successThreshold", 1)
		d.set(p, "failureThreshold", 3)
		d.set(mapAt(p, "httpGet"), "scheme", "HTTP")
	}
	for _, e := range listAt(c, "env") {
		d.set(mapAt(mapAt(asMap(e), "valueFrom"), "fieldRef"), "apiVersion", "v1")
	}
	dropEmpty(c, "resources")
}

// pruneEmpty removes the maps left empty, but those whose emptiness means
// something (emptyDir: {}).
func pruneEmpty(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			pruneEmpty(e)
			if isEmptyMap(e) && !encode.MeansPresence(k) {
				delete(x, k)
			}
		}
	case []any:
		for _, e := range x {
			pruneEmpty(e)
		}
	}
}

// defaultPullPolicy is the API server's: Always for an image without a tag
// or tagged latest, IfNotPresent otherwise.
func defaultPullPolicy(image string) string {
	if strings.Contains(image, "@") {
		return "IfNotPresent"
	}
	slash := strings.LastIndex(image, "/")
	tag := ""
	if i := strings.LastIndex(image[slash+1:], ":"); i >= 0 {
		tag = image[slash+1+i+1:]
	}
	if tag == "" || tag == "latest" {
		return "Always"
	}
	return "IfNotPresent"
}

// setDefault sets m[key] when it is unset. Numbers are stored as the
// decoder gives them (int), so that defaults compare equal to read values.
func setDefault(m map[string]any, key string, value any) {
	if m == nil {
		return
	}
	if _, set := m[key]; !set || m[key] == nil {
		m[key] = value
	}
}

func dropEmpty(m map[string]any, keys ...string) {
	for _, k := range keys {
		if v, ok := m[k]; ok && (v == nil || isEmptyMap(v)) {
			delete(m, k)
		}
	}
}

func isEmptyMap(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func mapAt(m map[string]any, key string) map[string]any {
	if m == nil {
		return nil
	}
	return asMap(m[key])
}

func ensureMap(m map[string]any, key string) map[string]any {
	if existing := mapAt(m, key); existing != nil {
		return existing
	}
	created := map[string]any{}
	m[key] = created
	return created
}

func listAt(m map[string]any, key string) []any {
	if m == nil {
		return nil
	}
	l, _ := m[key].([]any)
	return l
}

func str(m map[string]any, key string) string {
	if m == nil {
		return ""
	}
	s, _ := m[key].(string)
	return s
}

func groupOf(apiVersion string) string {
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}
