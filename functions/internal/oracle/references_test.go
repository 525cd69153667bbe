package oracle

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestGoldenReferences checks that the rendered objects of every golden
// case and environment refer to each other correctly, which no schema can
// tell: Services, monitors and budgets select pods or Services that are
// rendered, routes, autoscalers and canary controllers name objects that
// are rendered, and volumes name the ConfigMap and Secrets that are
// rendered.
func TestGoldenReferences(t *testing.T) {
	checked := map[string]int{}
	eachGoldenRendering(t, func(file string, objects []*Object) {
		for _, problem := range checkReferences(objects, checked) {
			t.Errorf("%s: %s", file, problem)
		}
	})
	for _, ref := range []string{
		"Service selector", "VirtualService destination", "HTTPRoute backend", "Ingress backend",
		"HorizontalPodAutoscaler target", "PodDisruptionBudget selector", "PodMonitor selector",
		"Rollout service", "Rollout virtual service", "Canary target", "ConfigMap volume", "Secret volume", "ServiceAccount",
		"StatefulSet service", "PersistentVolumeClaim volume", "volume mount", "ServiceAccount of a pod",
		"DestinationRule host", "NetworkPolicy selector", "AuthorizationPolicy selector",
	} {
		if checked[ref] == 0 {
			t.Errorf("no golden case has a %s to check", ref)
		}
	}
	t.Logf("checked %v", checked)
}

// labelled is the labels of a pod template, with its namespace.
type labelled struct {
	ns     string
	labels map[string]string
}

// checkReferences returns every reference between the rendered objects of
// one expected file that does not hold.
func checkReferences(ours []*Object, checked map[string]int) []string {
	named := map[string]bool{}   // "Kind/namespace/name"
	flagger := map[string]bool{} // "namespace/name" of the targets of Flagger Canaries
	var pods []labelled
	for _, obj := range ours {
		ns := str(obj.Doc, "metadata", "namespace")
		named[obj.Kind+"/"+ns+"/"+obj.Name] = true
		if obj.Kind == "PersistentVolumeClaim" {
			// "<app>-<volume>": the pods mount it as the volume <volume>.
			named["App volume claim/"+ns+"/"+strings.TrimPrefix(obj.Name, obj.Labels["app"]+"-")] = true
		}
		if template := podTemplate(obj); template != nil {
			pods = append(pods, labelled{ns, strMap(template, "metadata", "labels")})
		}
		if obj.Kind == "Canary" {
			flagger[ns+"/"+str(obj.Doc, "spec", "targetRef", "name")] = true
		}
	}
	var problems []string
	fail := func(obj *Object, format string, args ...any) {
		problems = append(problems, obj.ID()+": "+fmt.Sprintf(format, args...))
	}
	need := func(obj *Object, ref, kind, ns, name string) {
		checked[ref]++
		if !named[kind+"/"+ns+"/"+name] {
			fail(obj, "%s %s/%s is not rendered", kind, ns, name)
		}
	}
	selects := func(obj *Object, ref string, selector map[string]string, sets []labelled, what string) {
		checked[ref]++
		if !matchesAny(selector, sets, str(obj.Doc, "metadata", "namespace")) {
			fail(obj, "its selector matches no rendered %s", what)
		}
	}
	for _, obj := range ours {
		ns := str(obj.Doc, "metadata", "namespace")
		switch obj.Kind {
		case "Service":
			// The canary Service of an App without canary pods selects
			// nothing on purpose: routing always has both destinations.
			if obj.Labels["slipway.dev/track"] == "canary" && !named["Deployment/"+ns+"/"+obj.Name] &&
				!named["Rollout/"+ns+"/"+strings.TrimSuffix(obj.Name, "-canary")] {
				continue
			}
			selects(obj, "Service selector", strMap(obj.Doc, "spec", "selector"), pods, "pod template")
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
			if flagger[ns+"/"+obj.Name] {
				continue // it selects the pods of the primary Flagger creates
			}
			selects(obj, "PodDisruptionBudget selector", strMap(obj.Doc, "spec", "selector", "matchLabels"), pods, "pod template")
		case "PodMonitor":
			if flagger[ns+"/"+obj.Name] {
				continue // it selects the pods of the primary Flagger creates too
			}
			selects(obj, "PodMonitor selector", strMap(obj.Doc, "spec", "selector", "matchLabels"), pods, "pod template")
		case "Rollout":
			canary := mapAt(obj.Doc, "spec", "strategy", "canary")
			need(obj, "Rollout service", "Service", ns, str(canary, "stableService"))
			need(obj, "Rollout service", "Service", ns, str(canary, "canaryService"))
			vs := mapAt(canary, "trafficRouting", "istio", "virtualService")
			need(obj, "Rollout virtual service", "VirtualService", ns, str(vs, "name"))
		case "Canary":
			need(obj, "Canary target", str(obj.Doc, "spec", "targetRef", "kind"), ns, str(obj.Doc, "spec", "targetRef", "name"))
		case "SecretStore":
			need(obj, "SecretStore service account", "ServiceAccount", ns, storeAccount(obj))
		case "ServiceAccount":
			checked["ServiceAccount"]++
			used := false
			for _, other := range ours {
				if template := podTemplate(other); template != nil && str(template, "spec", "serviceAccountName") == obj.Name {
					used = true
				}
				if other.Kind == "SecretStore" && str(other.Doc, "metadata", "namespace") == ns && storeAccount(other) == obj.Name {
					used = true // a tenant's SecretStore authenticates as it
				}
			}
			if !used {
				fail(obj, "no rendered pod template runs as it")
			}
		case "StatefulSet":
			need(obj, "StatefulSet service", "Service", ns, str(obj.Doc, "spec", "serviceName"))
		case "DestinationRule":
			need(obj, "DestinationRule host", "Service", ns, str(obj.Doc, "spec", "host"))
		case "NetworkPolicy":
			if len(mapAt(obj.Doc, "spec", "podSelector")) == 0 {
				continue // a tenant's default-deny selects every pod of its namespace, if any
			}
			selects(obj, "NetworkPolicy selector", strMap(obj.Doc, "spec", "podSelector", "matchLabels"), pods, "pod template")
		case "AuthorizationPolicy":
			selects(obj, "AuthorizationPolicy selector", strMap(obj.Doc, "spec", "selector", "matchLabels"), pods, "pod template")
		}
		template := podTemplate(obj)
		if template == nil {
			continue
		}
		if sa := str(template, "spec", "serviceAccountName"); sa != "" && named["ServiceAccount/"+ns+"/"+sa] {
			checked["ServiceAccount of a pod"]++
		}
		claimTemplates := map[string]bool{}
		for _, claim := range list(obj.Doc, "spec", "volumeClaimTemplates") {
			claimTemplates[str(claim, "metadata", "name")] = true
		}
		for _, volume := range list(template, "spec", "volumes") {
			// The config and the mounted external secrets are slipway's
			// own volumes; an App's volumes may name objects made
			// elsewhere, unless they name a claim slipway renders.
			switch name := str(volume, "name"); {
			case name == "config":
				need(obj, "ConfigMap volume", "ConfigMap", ns, str(volume, "configMap", "name"))
			case strings.HasPrefix(name, "secret-"):
				need(obj, "Secret volume", "ExternalSecret", ns, str(volume, "secret", "secretName"))
			case str(volume, "persistentVolumeClaim", "claimName") != "" && named["App volume claim/"+ns+"/"+name]:
				need(obj, "PersistentVolumeClaim volume", "PersistentVolumeClaim", ns, str(volume, "persistentVolumeClaim", "claimName"))
			}
		}
		for _, c := range append(list(template, "spec", "containers"), list(template, "spec", "initContainers")...) {
			for _, mount := range list(c, "volumeMounts") {
				checked["volume mount"]++
				name := str(mount, "name")
				if !claimTemplates[name] && !slices.ContainsFunc(list(template, "spec", "volumes"), func(v map[string]any) bool { return str(v, "name") == name }) {
					fail(obj, "container %s mounts %q, which is neither a volume of the pod nor a claim template", str(c, "name"), name)
				}
			}
		}
	}
	return problems
}

// matchesAny reports whether a selector in namespace ns matches any of the
// label sets.
func matchesAny(selector map[string]string, sets []labelled, ns string) bool {
	if len(selector) == 0 {
		return false
	}
	for _, set := range sets {
		if set.ns == ns && isSubset(selector, set.labels) {
			return true
		}
	}
	return false
}

func isSubset(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
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

// podTemplate is the pod template of a workload (Deployment, StatefulSet,
// Rollout, Job, CronJob), nil for other kinds.
func podTemplate(obj *Object) map[string]any {
	switch obj.Kind {
	case "Deployment", "StatefulSet", "Rollout", "Job":
		return mapAt(obj.Doc, "spec", "template")
	case "CronJob":
		return mapAt(obj.Doc, "spec", "jobTemplate", "spec", "template")
	}
	return nil
}

// storeAccount is the ServiceAccount a SecretStore authenticates as.
func storeAccount(store *Object) string {
	if name := str(store.Doc, "spec", "provider", "aws", "auth", "jwt", "serviceAccountRef", "name"); name != "" {
		return name
	}
	return str(store.Doc, "spec", "provider", "vault", "auth", "kubernetes", "serviceAccountRef", "name")
}
