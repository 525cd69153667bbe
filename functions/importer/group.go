package importer

import (
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// An object is one imported manifest.
type object struct {
	// read is the object as read, less the fields only a live object has;
	// doc is what its author chose: read, or for an object read from a
	// cluster, which carries every default, read less the API server's
	// defaults; norm is read normalized, for comparing.
	read, doc, norm map[string]any
	group           string
	kind            string
	name            string
	namespace       string
	// position is the object's place in the input, which the objects no
	// App claims keep.
	position int
}

func newObject(node *yaml.RNode) (*object, error) {
	var doc map[string]any
	if err := node.YNode().Decode(&doc); err != nil {
		return nil, err
	}
	live := isLive(doc)
	dropNulls(doc)
	stripLive(doc)
	norm := deepCopy(doc)
	normalize(norm)
	chosen := doc
	if live {
		chosen = deepCopy(doc)
		stripDefaults(chosen)
	}
	meta := mapAt(doc, "metadata")
	return &object{read: doc, doc: chosen, norm: norm, group: groupOf(str(doc, "apiVersion")), kind: str(doc, "kind"), name: str(meta, "name"), namespace: str(meta, "namespace")}, nil
}

// dropNulls removes the fields whose value is null, which the API server
// takes for fields not set.
func dropNulls(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
			} else {
				dropNulls(e)
			}
		}
	case []any:
		for _, e := range x {
			dropNulls(e)
		}
	}
}

// isLive tells an object read from a cluster: it has a status or the
// metadata the API server sets.
func isLive(doc map[string]any) bool {
	meta := mapAt(doc, "metadata")
	return doc["status"] != nil || meta["uid"] != nil || meta["resourceVersion"] != nil || meta["managedFields"] != nil
}

// stripLive removes what only a live object has: its status and the
// metadata the API server and clients set.
func stripLive(doc map[string]any) {
	delete(doc, "status")
	meta := mapAt(doc, "metadata")
	for _, f := range serverFields {
		delete(meta, f)
	}
	if ann := mapAt(meta, "annotations"); ann != nil {
		for _, a := range serverAnnotations {
			delete(ann, a)
		}
		for k := range ann {
			if strings.HasPrefix(k, "internal.config.kubernetes.io/") || k == "config.kubernetes.io/index" || k == "config.kubernetes.io/path" {
				delete(ann, k) // where a client read the object from
			}
			for _, controller := range controllerAnnotations {
				if strings.HasPrefix(k, controller) {
					delete(ann, k)
				}
			}
		}
	}
	dropEmpty(meta, "annotations", "labels")
	spec := mapAt(doc, "spec")
	if tmpl := mapAt(spec, "template"); tmpl != nil {
		delete(mapAt(tmpl, "metadata"), "creationTimestamp")
	}
	switch str(doc, "kind") {
	case "Service":
		for _, f := range allocatedServiceFields {
			delete(spec, f)
		}
	case "PersistentVolumeClaim":
		delete(spec, "volumeName") // the volume it was bound to
	case "StatefulSet":
		for _, t := range listAt(spec, "volumeClaimTemplates") {
			delete(asMap(t), "status")
		}
	}
}

// controllerAnnotations are the prefixes of annotations that controllers
// write on live objects (a claim's binding, a provisioner's name).
var controllerAnnotations = []string{"pv.kubernetes.io/", "volume.kubernetes.io/", "volume.beta.kubernetes.io/"}

// allocatedServiceFields are what the API server allocates a Service,
// which a manifest leaves to it: applied elsewhere, they would clash.
var allocatedServiceFields = []string{"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}

func (o *object) id() string { return o.kind + " " + o.qualifiedName() }

func (o *object) qualifiedName() string {
	if o.namespace == "" {
		return o.name
	}
	return o.namespace + "/" + o.name
}

func (o *object) spec() map[string]any { return mapAt(o.doc, "spec") }

func (o *object) labels() map[string]any { return mapAt(mapAt(o.doc, "metadata"), "labels") }

// podSpec and podLabels are those of a workload's pod template.
func (o *object) podSpec() map[string]any { return mapAt(mapAt(o.spec(), "template"), "spec") }

func (o *object) podLabels() map[string]any {
	return mapAt(mapAt(mapAt(o.spec(), "template"), "metadata"), "labels")
}

// An app is a workload and the objects that belong to it.
type app struct {
	workload *object
	// canary is the Deployment "<name>-canary", if any.
	canary  *object
	members []*object
}

func (a *app) all() []*object {
	out := []*object{a.workload}
	if a.canary != nil {
		out = append(out, a.canary)
	}
	return append(out, a.members...)
}

func (a *app) namespace() string { return a.workload.namespace }

func (a *app) of(kind string) []*object {
	var out []*object
	for _, m := range a.members {
		if m.kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// serviceNames are the names of the app's Services.
func (a *app) serviceNames() []string {
	var out []string
	for _, s := range a.of("Service") {
		out = append(out, s.name)
	}
	return out
}

func isWorkload(o *object) bool {
	return o.group == "apps" && (o.kind == "Deployment" || o.kind == "StatefulSet") || o.group == "argoproj.io" && o.kind == "Rollout"
}

// groupApps finds the apps among the objects: each Deployment,
// StatefulSet or Rollout that is no other one's canary or process, with
// the objects that refer to it or that it refers to. The objects no app
// claims are returned apart.
func groupApps(objects []*object) ([]*app, []*object) {
	var apps []*app
	byName := map[string]*app{}
	var rest []*object
	for _, o := range objects {
		if isWorkload(o) {
			a := &app{workload: o}
			apps = append(apps, a)
			byName[o.namespace+"/"+o.name] = a
		} else {
			rest = append(rest, o)
		}
	}
	// A workload named "<other>-canary", or whose name label names
	// another workload, belongs to that one.
	var anchors []*app
	for _, a := range apps {
		w := a.workload
		if base, ok := strings.CutSuffix(w.name, "-canary"); ok && w.kind == "Deployment" && byName[w.namespace+"/"+base] != nil {
			owner := byName[w.namespace+"/"+base]
			owner.canary = w
			continue
		}
		if owner := byName[w.namespace+"/"+str(w.labels(), "app.kubernetes.io/name")]; owner != nil && owner != a {
			owner.members = append(owner.members, w)
			continue
		}
		anchors = append(anchors, a)
	}
	// Objects are claimed in passes, since a route is placed by the
	// Services placed before it, and a Gateway by its routes.
	for _, pass := range claimPasses {
		var left []*object
		for _, o := range rest {
			if owner := claim(anchors, o, pass); owner != nil {
				owner.members = append(owner.members, o)
			} else {
				left = append(left, o)
			}
		}
		rest = left
	}
	return anchors, rest
}

type pass int

const (
	byPods pass = iota
	byServices
	byRoutes
	byLabels
)

var claimPasses = []pass{byPods, byServices, byRoutes, byLabels}

// claim returns the app that claims the object in a pass, or nil.
func claim(apps []*app, o *object, p pass) *app {
	for _, a := range apps {
		if o.namespace != "" && a.namespace() != "" && o.namespace != a.namespace() {
			continue
		}
		if claims(a, o, p) {
			return a
		}
	}
	return nil
}

func claims(a *app, o *object, p pass) bool {
	spec := o.spec()
	switch p {
	case byPods:
		switch o.kind {
		case "Service":
			return selects(mapAt(spec, "selector"), a.workload, a.canary)
		case "PodDisruptionBudget":
			return selects(mapAt(mapAt(spec, "selector"), "matchLabels"), a.workload, a.canary)
		case "HorizontalPodAutoscaler", "ScaledObject":
			target := str(mapAt(spec, "scaleTargetRef"), "name")
			return target == a.workload.name
		case "ServiceAccount":
			return o.name == str(a.workload.podSpec(), "serviceAccountName")
		case "ConfigMap", "ExternalSecret":
			name := o.name
			if target := str(mapAt(spec, "target"), "name"); o.kind == "ExternalSecret" && target != "" {
				name = target
			}
			return slices.Contains(podReferences(a.workload.podSpec(), o.kind), name)
		}
	case byServices:
		services := a.serviceNames()
		switch o.kind {
		case "VirtualService", "DestinationRule", "HTTPRoute", "Ingress":
			for _, host := range routedServices(o) {
				if slices.Contains(services, host) {
					return true
				}
			}
		}
	case byRoutes:
		if o.kind == "Gateway" && o.group == "networking.istio.io" {
			for _, vs := range a.of("VirtualService") {
				for _, g := range listAt(vs.spec(), "gateways") {
					name, _ := g.(string)
					if name == o.name || name == o.namespace+"/"+o.name {
						return true
					}
				}
			}
		}
	case byLabels:
		labels := o.labels()
		name := a.workload.name
		return str(labels, "app.kubernetes.io/name") == name || str(labels, "app") == name ||
			selects(mapAt(mapAt(spec, "selector"), "matchLabels"), a.workload, nil) ||
			selects(mapAt(mapAt(spec, "podSelector"), "matchLabels"), a.workload, nil)
	}
	return false
}

// selects tells whether a non-empty label selector selects the pods of one
// of the workloads.
func selects(selector map[string]any, workloads ...*object) bool {
	if len(selector) == 0 {
		return false
	}
	for _, w := range workloads {
		if w == nil {
			continue
		}
		pods := w.podLabels()
		all := true
		for k, v := range selector {
			if pods[k] != v {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// podReferences are the names of the ConfigMaps (kind ConfigMap) or
// Secrets (any other kind) a pod spec refers to.
func podReferences(pod map[string]any, kind string) []string {
	ref, from, volume, volumeKey := "secretKeyRef", "secretRef", "secret", "secretName"
	if kind == "ConfigMap" {
		ref, from, volume, volumeKey = "configMapKeyRef", "configMapRef", "configMap", "name"
	}
	var out []string
	for _, key := range []string{"containers", "initContainers"} {
		for _, c := range listAt(pod, key) {
			for _, e := range listAt(asMap(c), "env") {
				if name := str(mapAt(mapAt(asMap(e), "valueFrom"), ref), "name"); name != "" {
					out = append(out, name)
				}
			}
			for _, e := range listAt(asMap(c), "envFrom") {
				if name := str(mapAt(asMap(e), from), "name"); name != "" {
					out = append(out, name)
				}
			}
		}
	}
	for _, v := range listAt(pod, "volumes") {
		if name := str(mapAt(asMap(v), volume), volumeKey); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// routedServices are the short names of the Services a route sends to.
func routedServices(o *object) []string {
	spec := o.spec()
	var hosts []string
	switch o.kind {
	case "VirtualService":
		for _, section := range []string{"http", "tcp", "tls"} {
			for _, route := range listAt(spec, section) {
				for _, dest := range listAt(asMap(route), "route") {
					hosts = append(hosts, str(mapAt(asMap(dest), "destination"), "host"))
				}
			}
		}
	case "DestinationRule":
		hosts = append(hosts, str(spec, "host"))
	case "HTTPRoute":
		for _, rule := range listAt(spec, "rules") {
			for _, ref := range listAt(asMap(rule), "backendRefs") {
				hosts = append(hosts, str(asMap(ref), "name"))
			}
		}
	case "Ingress":
		for _, rule := range listAt(spec, "rules") {
			for _, path := range listAt(mapAt(asMap(rule), "http"), "paths") {
				hosts = append(hosts, str(mapAt(mapAt(asMap(path), "backend"), "service"), "name"))
			}
		}
	}
	for i, h := range hosts {
		hosts[i], _, _ = strings.Cut(h, ".") // admin.backend.svc.cluster.local
	}
	return hosts
}
