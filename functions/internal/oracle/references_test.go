package oracle

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestGoldenReferences checks that the rendered objects of every golden
// case and environment refer to each other correctly, which no schema can
// tell: Services, monitors and budgets select pods or Services that are
// rendered, routes, autoscalers and canary controllers name objects that
// are rendered, and volumes name the ConfigMap and Secrets that are
// rendered.
func TestGoldenReferences(t *testing.T) {
	checked := map[string]int{}
	for _, dir := range golden.Cases(t, "../../../testdata/render") {
		files, _ := filepath.Glob(filepath.Join(dir, "expected*.yaml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			objects, err := ReadObjects(data)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, problem := range checkReferences(objects, checked) {
				t.Errorf("%s: %s", file, problem)
			}
		}
	}
	for _, ref := range []string{
		"Service selector", "VirtualService destination", "HTTPRoute backend", "Ingress backend",
		"HorizontalPodAutoscaler target", "PodDisruptionBudget selector", "ServiceMonitor selector", "PodMonitor selector",
		"Rollout service", "Rollout virtual service", "Canary target", "ConfigMap volume", "Secret volume", "ServiceAccount",
	} {
		if checked[ref] == 0 {
			t.Errorf("no golden case has a %s to check", ref)
		}
	}
	t.Logf("checked %v", checked)
}

// rendered is what one App rendered, by namespace.
type rendered struct {
	named   map[string]bool     // "Kind/namespace/name"
	pods    []map[string]string // pod template labels, "namespace" under "\x00ns"
	svcs    []map[string]string // Service labels, likewise
	flagger map[string]bool     // namespaces/names of Flagger Canaries' targets
}

func checkReferences(objects []*Object, checked map[string]int) []string {
	r := rendered{named: map[string]bool{}, flagger: map[string]bool{}}
	var ours []*Object
	for _, obj := range objects {
		if obj.Labels["app.kubernetes.io/managed-by"] != "slipway" {
			continue
		}
		ours = append(ours, obj)
		ns := str(obj.Doc, "metadata", "namespace")
		r.named[obj.Kind+"/"+ns+"/"+obj.Name] = true
		switch obj.Kind {
		case "Deployment", "Rollout":
			r.pods = append(r.pods, withNamespace(strMap(obj.Doc, "spec", "template", "metadata", "labels"), ns))
		case "Service":
			r.svcs = append(r.svcs, withNamespace(obj.Labels, ns))
		case "Canary":
			r.flagger[ns+"/"+str(obj.Doc, "spec", "targetRef", "name")] = true
		}
	}
	var problems []string
	fail := func(obj *Object, format string, args ...any) {
		problems = append(problems, obj.ID()+": "+fmt.Sprintf(format, args...))
	}
	need := func(obj *Object, ref, kind, ns, name string) {
		checked[ref]++
		if !r.named[kind+"/"+ns+"/"+name] {
			fail(obj, "%s %s/%s is not rendered", kind, ns, name)
		}
	}
	for _, obj := range ours {
		ns := str(obj.Doc, "metadata", "namespace")
		switch obj.Kind {
		case "Service":
			// The canary Service of an App without canary pods selects
			// nothing on purpose: routing always has both destinations.
			if obj.Labels["slipway.dev/track"] == "canary" && !r.named["Deployment/"+ns+"/"+strings.TrimSuffix(obj.Name, "-canary")+"-canary"] &&
				!r.named["Rollout/"+ns+"/"+strings.TrimSuffix(obj.Name, "-canary")] {
				continue
			}
			checked["Service selector"]++
			if !matchesAny(strMap(obj.Doc, "spec", "selector"), r.pods, ns) {
				fail(obj, "its selector matches no rendered pod template")
			}
		case "VirtualService":
			for _, route := range list(obj.Doc, "spec", "http") {
				for _, dest := range list(route, "route") {
					host, _, _ := strings.Cut(str(dest, "destination", "host"), ".")
					need(obj, "VirtualService destination", "Service", ns, host)
				}
			}
		case "HTTPRoute":
			for _, rule := range list(obj.Doc, "spec", "rules") {
				for _, backend := range list(rule, "backendRefs") {
					need(obj, "HTTPRoute backend", "Service", ns, str(backend, "name"))
				}
			}
		case "Ingress":
			for _, rule := range list(obj.Doc, "spec", "rules") {
				for _, path := range list(rule, "http", "paths") {
					need(obj, "Ingress backend", "Service", ns, str(path, "backend", "service", "name"))
				}
			}
		case "HorizontalPodAutoscaler":
			need(obj, "HorizontalPodAutoscaler target", str(obj.Doc, "spec", "scaleTargetRef", "kind"), ns, str(obj.Doc, "spec", "scaleTargetRef", "name"))
		case "PodDisruptionBudget":
			selector := strMap(obj.Doc, "spec", "selector", "matchLabels")
			if r.flagger[ns+"/"+obj.Name] {
				continue // it selects the pods of the primary Flagger creates
			}
			checked["PodDisruptionBudget selector"]++
			if !matchesAny(selector, r.pods, ns) {
				fail(obj, "its selector matches no rendered pod template")
			}
		case "ServiceMonitor":
			if len(r.flagger) > 0 {
				continue // it selects the Services Flagger creates
			}
			checked["ServiceMonitor selector"]++
			if !matchesAny(strMap(obj.Doc, "spec", "selector", "matchLabels"), r.svcs, ns) {
				fail(obj, "its selector matches no rendered Service")
			}
		case "PodMonitor":
			checked["PodMonitor selector"]++
			if !matchesAny(strMap(obj.Doc, "spec", "selector", "matchLabels"), r.pods, ns) {
				fail(obj, "its selector matches no rendered pod template")
			}
		case "Rollout":
			canary := mapAt(obj.Doc, "spec", "strategy", "canary")
			need(obj, "Rollout service", "Service", ns, str(canary, "stableService"))
			need(obj, "Rollout service", "Service", ns, str(canary, "canaryService"))
			vs := mapAt(canary, "trafficRouting", "istio", "virtualService")
			need(obj, "Rollout virtual service", "VirtualService", ns, str(vs, "name"))
		case "Canary":
			need(obj, "Canary target", str(obj.Doc, "spec", "targetRef", "kind"), ns, str(obj.Doc, "spec", "targetRef", "name"))
		case "ServiceAccount":
			checked["ServiceAccount"]++
			used := false
			for _, other := range ours {
				if (other.Kind == "Deployment" || other.Kind == "Rollout") && str(other.Doc, "spec", "template", "spec", "serviceAccountName") == obj.Name {
					used = true
				}
			}
			if !used {
				fail(obj, "no rendered pod template runs as it")
			}
		}
		if obj.Kind == "Deployment" || obj.Kind == "Rollout" {
			for _, volume := range list(obj.Doc, "spec", "template", "spec", "volumes") {
				if name := str(volume, "configMap", "name"); name != "" {
					need(obj, "ConfigMap volume", "ConfigMap", ns, name)
				}
				if name := str(volume, "secret", "secretName"); name != "" {
					need(obj, "Secret volume", "ExternalSecret", ns, name)
				}
			}
		}
	}
	return problems
}

func withNamespace(labels map[string]string, ns string) map[string]string {
	out := map[string]string{"\x00ns": ns}
	for k, v := range labels {
		out[k] = v
	}
	return out
}

// matchesAny reports whether a selector in namespace ns matches any of the
// label sets.
func matchesAny(selector map[string]string, sets []map[string]string, ns string) bool {
	if len(selector) == 0 {
		return false
	}
	for _, labels := range sets {
		if labels["\x00ns"] != ns {
			continue
		}
		match := true
		for k, v := range selector {
			if labels[k] != v {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func mapAt(doc map[string]any, path ...string) map[string]any {
	for _, key := range path {
		next, _ := doc[key].(map[string]any)
		doc = next
	}
	return doc
}

func str(doc map[string]any, path ...string) string {
	s, _ := mapAt(doc, path[:len(path)-1]...)[path[len(path)-1]].(string)
	return s
}

func strMap(doc map[string]any, path ...string) map[string]string {
	out := map[string]string{}
	for k, v := range mapAt(doc, path...) {
		out[k], _ = v.(string)
	}
	return out
}

func list(doc map[string]any, path ...string) []map[string]any {
	items, _ := mapAt(doc, path[:len(path)-1]...)[path[len(path)-1]].([]any)
	var out []map[string]any
	for _, item := range items {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
