package importer

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/internal/values"
)

// rewrite returns the imported object as slipway would write it where the
// two forms mean the same to the cluster, and a line for each rewrite, to
// be listed: request headers that every destination of a route sets are
// the route's; a destination host of a Service in the route's namespace is
// the Service's name.
func rewrite(o *object) (*object, []difference) {
	if o.kind != "VirtualService" {
		return o, nil
	}
	out := o.copy()
	var notes []difference
	hoisted, shortened := false, false
	for _, doc := range []map[string]any{out.doc, out.norm} {
		for _, h := range listAt(mapAt(doc, "spec"), "http") {
			route := asMap(h)
			destinations := listAt(route, "route")
			if route["headers"] == nil && len(destinations) > 0 {
				first := asMap(destinations[0])["headers"]
				same := first != nil
				for _, d := range destinations {
					same = same && reflect.DeepEqual(asMap(d)["headers"], first)
				}
				if same {
					route["headers"] = first
					for _, d := range destinations {
						delete(asMap(d), "headers")
					}
					hoisted = true
				}
			}
			for _, d := range destinations {
				dest := mapAt(asMap(d), "destination")
				if name, ok := sameNamespaceHost(str(dest, "host"), o.namespace); ok {
					dest["host"] = name
					shortened = true
				}
			}
		}
	}
	if hoisted {
		notes = append(notes, difference{o.id(), "the request headers that every destination of a route set are set once on the route", "the same headers on every request"})
	}
	if shortened {
		notes = append(notes, difference{o.id(), fmt.Sprintf("destination hosts <service>.%s.svc.cluster.local are written <service>", o.namespace), "the same Service, in the VirtualService's namespace"})
	}
	return out, notes
}

// sameNamespaceHost is the Service name of a host that names a Service of
// the namespace in full.
func sameNamespaceHost(host, namespace string) (string, bool) {
	if namespace == "" {
		return "", false
	}
	for _, suffix := range []string{"." + namespace + ".svc.cluster.local", "." + namespace + ".svc", "." + namespace} {
		if name, ok := strings.CutSuffix(host, suffix); ok && !strings.Contains(name, ".") {
			return name, true
		}
	}
	return "", false
}

// alignContainers renames the rendered object's only container to the
// imported one's when the App names it otherwise (it names the main
// container after the App, a process's after the process), and returns
// the operation that renames it, so that the containers are compared as
// one.
func alignContainers(r, o *object) (*object, []v1alpha1.PatchOp) {
	path := podTemplatePath(r.kind)
	if path == nil {
		return r, nil
	}
	rendered := listAt(mapAt(valueMap(r.norm, path), "spec"), "containers")
	imported := listAt(mapAt(valueMap(o.norm, path), "spec"), "containers")
	if len(rendered) != 1 || len(imported) == 0 {
		return r, nil
	}
	from, to := str(asMap(rendered[0]), "name"), str(asMap(imported[0]), "name")
	for _, c := range imported {
		if str(asMap(c), "name") == from {
			return r, nil
		}
	}
	out := r.copy()
	for _, doc := range []map[string]any{out.doc, out.norm} {
		asMap(listAt(mapAt(valueMap(doc, path), "spec"), "containers")[0])["name"] = to
	}
	pointer := "/" + strings.Join(append(path, "spec", "containers", "0", "name"), "/")
	return out, []v1alpha1.PatchOp{{Op: "replace", Path: pointer, Value: to}}
}

// podTemplatePath is where a workload kind holds its pod template.
func podTemplatePath(kind string) []string {
	switch kind {
	case "Deployment", "StatefulSet", "Rollout", "Job":
		return []string{"spec", "template"}
	case "CronJob":
		return []string{"spec", "jobTemplate", "spec", "template"}
	}
	return nil
}

func valueMap(doc map[string]any, path []string) map[string]any {
	for _, p := range path {
		doc = mapAt(doc, p)
	}
	return doc
}

// copy is a deep copy of the object.
func (o *object) copy() *object {
	out := *o
	out.read, out.doc, out.norm = deepCopy(o.read), deepCopy(o.doc), deepCopy(o.norm)
	return &out
}

func deepCopy(m map[string]any) map[string]any {
	return values.Copy(m).(map[string]any)
}

// scaledReplicas leaves the replicas of a workload that an autoscaler
// scales to the autoscaler: slipway renders none then (an applied count
// would undo the autoscaler's), so they are not compared, and the
// difference is listed.
func scaledReplicas(a *app, r, o *object) (*object, *object, []difference) {
	if !isWorkload(o) && o.kind != "Deployment" || a.autoscaler(o) == nil || mapAt(o.doc, "spec")["replicas"] == nil {
		return r, o, nil
	}
	r, o = r.copy(), o.copy()
	for _, doc := range []map[string]any{r.doc, r.norm, o.doc, o.norm} {
		delete(mapAt(doc, "spec"), "replicas")
	}
	return r, o, []difference{{o.id(), fmt.Sprintf("drops spec.replicas (was %v)", mapAt(o.read, "spec")["replicas"]), "the autoscaler sets the replicas; an applied count would undo its own"}}
}
