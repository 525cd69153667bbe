package importer

import (
	"strings"
)

// serverFields are the metadata fields the API server sets on a live
// object, which manifests read back from a cluster carry and a rendering
// never does. They are dropped before comparing, and import says so.
var serverFields = []string{"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "ownerReferences"}

// serverAnnotations are annotations that clients and controllers write on
// live objects; they are state, not intent.
var serverAnnotations = []string{"kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision"}

// normalize fills in, on a decoded object, the values the API server
// defaults (for the built-in kinds, from their defaulting functions; for
// ExternalSecrets, from the CRD's schema defaults), and removes the fields
// only a live object has. Two objects that normalize equal are the same
// object to the cluster.
func normalize(obj map[string]any) {
	stripLive(obj)
	spec := mapAt(obj, "spec")
	if spec == nil {
		return
	}
	switch groupOf(str(obj, "apiVersion")) + "/" + str(obj, "kind") {
	case "apps/Deployment":
		setDefault(spec, "replicas", 1)
		setDefault(spec, "revisionHistoryLimit", 10)
		setDefault(spec, "progressDeadlineSeconds", 600)
		strategy := ensureMap(spec, "strategy")
		setDefault(strategy, "type", "RollingUpdate")
		if strategy["type"] == "RollingUpdate" {
			ru := ensureMap(strategy, "rollingUpdate")
			setDefault(ru, "maxSurge", "25%")
			setDefault(ru, "maxUnavailable", "25%")
		}
		normalizePodTemplate(mapAt(spec, "template"))
	case "apps/StatefulSet":
		setDefault(spec, "replicas", 1)
		setDefault(spec, "revisionHistoryLimit", 10)
		setDefault(spec, "podManagementPolicy", "OrderedReady")
		us := ensureMap(spec, "updateStrategy")
		setDefault(us, "type", "RollingUpdate")
		if us["type"] == "RollingUpdate" {
			setDefault(ensureMap(us, "rollingUpdate"), "partition", 0)
		}
		policy := ensureMap(spec, "persistentVolumeClaimRetentionPolicy")
		setDefault(policy, "whenDeleted", "Retain")
		setDefault(policy, "whenScaled", "Retain")
		for _, t := range listAt(spec, "volumeClaimTemplates") {
			if m, ok := t.(map[string]any); ok {
				setDefault(ensureMap(m, "spec"), "volumeMode", "Filesystem")
				delete(m, "status")
			}
		}
		normalizePodTemplate(mapAt(spec, "template"))
	case "batch/Job":
		normalizeJob(spec)
	case "batch/CronJob":
		setDefault(spec, "concurrencyPolicy", "Allow")
		setDefault(spec, "suspend", false)
		setDefault(spec, "successfulJobsHistoryLimit", 3)
		setDefault(spec, "failedJobsHistoryLimit", 1)
		normalizeJob(mapAt(mapAt(spec, "jobTemplate"), "spec"))
	case "/Service":
		setDefault(spec, "type", "ClusterIP")
		setDefault(spec, "sessionAffinity", "None")
		if spec["type"] != "ExternalName" {
			setDefault(spec, "internalTrafficPolicy", "Cluster")
		}
		for _, p := range listAt(spec, "ports") {
			if m, ok := p.(map[string]any); ok {
				setDefault(m, "protocol", "TCP")
				if m["targetPort"] == nil {
					m["targetPort"] = m["port"]
				}
			}
		}
	case "/PersistentVolumeClaim":
		setDefault(spec, "volumeMode", "Filesystem")
	case "external-secrets.io/ExternalSecret":
		setDefault(spec, "refreshInterval", "1h")
		target := ensureMap(spec, "target")
		setDefault(target, "creationPolicy", "Owner")
		setDefault(target, "deletionPolicy", "Retain")
		for _, d := range listAt(spec, "data") {
			if m, ok := d.(map[string]any); ok {
				ref := ensureMap(m, "remoteRef")
				setDefault(ref, "conversionStrategy", "Default")
				setDefault(ref, "decodingStrategy", "None")
				setDefault(ref, "metadataPolicy", "None")
			}
		}
		if tmpl := mapAt(target, "template"); tmpl != nil {
			setDefault(tmpl, "engineVersion", "v2")
			setDefault(tmpl, "mergePolicy", "Replace")
		}
	}
}

func normalizeJob(spec map[string]any) {
	if spec == nil {
		return
	}
	setDefault(spec, "backoffLimit", 6)
	setDefault(spec, "completions", 1)
	setDefault(spec, "parallelism", 1)
	setDefault(spec, "completionMode", "NonIndexed")
	setDefault(spec, "suspend", false)
	normalizePodTemplate(mapAt(spec, "template"))
}

func normalizePodTemplate(tmpl map[string]any) {
	if tmpl == nil {
		return
	}
	meta := mapAt(tmpl, "metadata")
	if meta != nil {
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
	setDefault(pod, "restartPolicy", "Always")
	setDefault(pod, "dnsPolicy", "ClusterFirst")
	setDefault(pod, "schedulerName", "default-scheduler")
	setDefault(pod, "terminationGracePeriodSeconds", 30)
	setDefault(pod, "securityContext", map[string]any{})
	if name, ok := pod["serviceAccount"]; ok && pod["serviceAccountName"] == nil {
		pod["serviceAccountName"] = name
	}
	delete(pod, "serviceAccount") // the deprecated alias the API server copies
	for _, key := range []string{"containers", "initContainers"} {
		for _, c := range listAt(pod, key) {
			if m, ok := c.(map[string]any); ok {
				normalizeContainer(m)
			}
		}
	}
	for _, v := range listAt(pod, "volumes") {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		for _, source := range []string{"secret", "configMap"} {
			if s := mapAt(m, source); s != nil {
				setDefault(s, "defaultMode", 420)
			}
		}
	}
}

func normalizeContainer(c map[string]any) {
	setDefault(c, "terminationMessagePath", "/dev/termination-log")
	setDefault(c, "terminationMessagePolicy", "File")
	if c["imagePullPolicy"] == nil {
		c["imagePullPolicy"] = defaultPullPolicy(str(c, "image"))
	}
	for _, p := range listAt(c, "ports") {
		if m, ok := p.(map[string]any); ok {
			setDefault(m, "protocol", "TCP")
		}
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
		p := mapAt(c, probe)
		if p == nil {
			continue
		}
		setDefault(p, "timeoutSeconds", 1)
		setDefault(p, "periodSeconds", 10)
		setDefault(p, "successThreshold", 1)
		setDefault(p, "failureThreshold", 3)
		if get := mapAt(p, "httpGet"); get != nil {
			setDefault(get, "scheme", "HTTP")
		}
	}
	for _, e := range listAt(c, "env") {
		if ref := mapAt(mapAt(asMap(e), "valueFrom"), "fieldRef"); ref != nil {
			setDefault(ref, "apiVersion", "v1")
		}
	}
	dropEmpty(c, "resources")
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
