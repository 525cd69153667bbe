package generate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/internal/appgen"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// The property tests render many generated Apps (appgen, seeded, so a
// failure is reproducible from the seed in its message) and check what must
// hold for every App.

const (
	propertySeeds = 20
	appsPerSeed   = 20
)

func generated(t *testing.T, seed uint64) []*yaml.RNode {
	t.Helper()
	items, err := appgen.Nodes(seed, appsPerSeed)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// renderings caches the output of generated(seed), which several tests
// check; the tests do not modify it.
var renderings = map[uint64][]*yaml.RNode{}

func renderSeed(t *testing.T, seed uint64) []*yaml.RNode {
	t.Helper()
	if out, ok := renderings[seed]; ok {
		return out
	}
	out := renderOK(t, seed, generated(t, seed))
	renderings[seed] = out
	return out
}

func renderOK(t *testing.T, seed uint64, items []*yaml.RNode) []*yaml.RNode {
	t.Helper()
	out, results := Render(items, nil, Options{})
	if results.ExitCode() != 0 {
		t.Fatalf("seed %d: rendering failed:\n%s", seed, results.Error())
	}
	return out
}

// rendered encodes the objects that the rendering created (not the items
// passed through, which keep their input order).
func rendered(t *testing.T, out []*yaml.RNode) []byte {
	t.Helper()
	var objs []*yaml.RNode
	for _, o := range out {
		if o.GetLabels()[manifests.LabelManagedBy] == manifests.ManagedBy {
			objs = append(objs, o)
		}
	}
	if len(objs) == 0 {
		t.Fatal("the rendering created no objects")
	}
	var buf bytes.Buffer
	if err := encode.WriteResourceList(&buf, kio.ResourceListAPIVersion, kio.ResourceListKind, objs, nil, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDeterministic: the same Apps give the same bytes, rendered twice, in
// any order of the Apps and of the fields within each App.
func TestDeterministic(t *testing.T) {
	for seed := range uint64(propertySeeds) {
		want := rendered(t, renderSeed(t, seed))
		if again := rendered(t, renderOK(t, seed, generated(t, seed))); !bytes.Equal(want, again) {
			t.Fatalf("seed %d: two renderings of the same input differ", seed)
		}
		items := generated(t, seed)
		r := rand.New(rand.NewPCG(seed, 1))
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		for _, item := range items {
			appgen.Shuffle(r, item.YNode())
		}
		if got := rendered(t, renderOK(t, seed, items)); !bytes.Equal(want, got) {
			t.Fatalf("seed %d: reordering the Apps and their fields changed the output", seed)
		}
	}
}

type appInfo struct {
	namespace, controller string
}

// TestEveryObjectIsLabelled: every rendered object has a name, the App's
// namespace when it has one, and the app labels: app.kubernetes.io/name
// names the App, and app is the App's name, or "<app>-<process>" on the
// objects of a worker or a job, whose app.kubernetes.io/component is the
// process.
func TestEveryObjectIsLabelled(t *testing.T) {
	processes := 0
	for seed := range uint64(propertySeeds) {
		apps := appsOf(t, generated(t, seed))
		for _, obj := range renderSeed(t, seed) {
			if obj.GetKind() == "App" {
				continue
			}
			id := fmt.Sprintf("seed %d: %s %s", seed, obj.GetKind(), obj.GetName())
			if obj.GetName() == "" {
				t.Errorf("%s: no name", id)
			}
			labels := obj.GetLabels()
			name := labels[manifests.LabelName]
			app, ok := apps[name]
			if !ok {
				t.Errorf("%s: label %s=%q names no App", id, manifests.LabelName, name)
				continue
			}
			want := name
			if process := labels[manifests.LabelComponent]; process != "" {
				want = name + "-" + process
				processes++
			}
			if labels[manifests.LabelApp] != want {
				t.Errorf("%s: label %s=%q, want %q", id, manifests.LabelApp, labels[manifests.LabelApp], want)
			}
			if labels[manifests.LabelManagedBy] != manifests.ManagedBy {
				t.Errorf("%s: label %s=%q, want %q", id, manifests.LabelManagedBy, labels[manifests.LabelManagedBy], manifests.ManagedBy)
			}
			if app.namespace != "" && obj.GetNamespace() != app.namespace {
				t.Errorf("%s: namespace %q, want %q", id, obj.GetNamespace(), app.namespace)
			}
		}
	}
	if processes == 0 {
		t.Error("no object of a worker or a job was checked")
	}
}

// TestCanaryServiceSelectsNoStablePod: no pod of an App is selected by both
// its stable and its canary Service, unless Argo Rollouts manages them (it
// narrows the selectors itself).
func TestCanaryServiceSelectsNoStablePod(t *testing.T) {
	checked := 0
	for seed := range uint64(propertySeeds) {
		apps := appsOf(t, generated(t, seed))
		selectors := map[string]map[string]string{} // Service name -> selector
		var pods []map[string]string
		for _, obj := range renderSeed(t, seed) {
			switch obj.GetKind() {
			case "Service":
				sel, err := obj.Pipe(yaml.Lookup("spec", "selector"))
				if err != nil || sel == nil {
					t.Fatalf("seed %d: Service %s has no selector", seed, obj.GetName())
				}
				selectors[obj.GetNamespace()+"/"+obj.GetName()] = stringMap(sel)
			case "Deployment", "Rollout":
				labels, err := obj.Pipe(yaml.Lookup("spec", "template", "metadata", "labels"))
				if err != nil || labels == nil {
					t.Fatalf("seed %d: %s %s has no pod labels", seed, obj.GetKind(), obj.GetName())
				}
				pods = append(pods, stringMap(labels))
			}
		}
		for name, app := range apps {
			stable, okS := selectors[app.namespace+"/"+name+manifests.SuffixStable]
			canary, okC := selectors[app.namespace+"/"+name+manifests.SuffixCanary]
			if !okS || !okC || app.controller == "argo-rollouts" {
				continue // Flagger creates its own Services
			}
			checked++
			for _, pod := range pods {
				if selects(stable, pod) && selects(canary, pod) {
					t.Errorf("seed %d: App %s: pod %v is selected by both the stable and the canary Service", seed, name, pod)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no App with a stable and a canary Service was checked")
	}
}

func selects(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return len(selector) > 0
}

// TestVirtualServiceWeights: the weights of every weighted HTTP route of a
// VirtualService sum to 100.
func TestVirtualServiceWeights(t *testing.T) {
	checked := 0
	for seed := range uint64(propertySeeds) {
		for _, obj := range renderSeed(t, seed) {
			if obj.GetKind() != "VirtualService" {
				continue
			}
			http, err := obj.Pipe(yaml.Lookup("spec", "http"))
			if err != nil || http == nil {
				t.Fatalf("seed %d: VirtualService %s has no http routes", seed, obj.GetName())
			}
			for i, route := range http.Content() {
				dests := yaml.NewRNode(route).Field("route")
				if dests == nil {
					continue
				}
				sum, weighted := 0, false
				for _, d := range dests.Value.Content() {
					if w := yaml.NewRNode(d).Field("weight"); w != nil {
						var n int
						if _, err := fmt.Sscan(w.Value.YNode().Value, &n); err != nil {
							t.Fatalf("seed %d: weight %q: %v", seed, w.Value.YNode().Value, err)
						}
						sum += n
						weighted = true
					}
				}
				if weighted {
					checked++
					if sum != 100 {
						t.Errorf("seed %d: VirtualService %s: http[%d] weights sum to %d", seed, obj.GetName(), i, sum)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no weighted route was checked")
	}
}

// TestNoSecretObjects: an App only references secrets, so no rendering
// creates a Secret (ExternalSecrets fetch them in the cluster).
func TestNoSecretObjects(t *testing.T) {
	for seed := range uint64(propertySeeds) {
		for _, obj := range renderSeed(t, seed) {
			if obj.GetKind() == "Secret" {
				t.Errorf("seed %d: rendered a Secret %s", seed, obj.GetName())
			}
		}
	}
}

func appsOf(t *testing.T, items []*yaml.RNode) map[string]appInfo {
	t.Helper()
	apps := map[string]appInfo{}
	for _, item := range items {
		controller, _ := item.Pipe(yaml.Lookup("spec", "canary", "controller"))
		info := appInfo{namespace: item.GetNamespace()}
		if controller != nil {
			info.controller = controller.YNode().Value
		}
		apps[item.GetName()] = info
	}
	return apps
}

func stringMap(node *yaml.RNode) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(node.YNode().Content); i += 2 {
		m[node.YNode().Content[i].Value] = node.YNode().Content[i+1].Value
	}
	return m
}

// TestPodsAreConsistent: in every pod template rendered (serving pods,
// workers, jobs and cron jobs), container names are unique across init
// containers, sidecars and containers, every mount names a volume of the pod
// (or a claim template of the StatefulSet), and every volume is mounted. It
// also makes sure the generated Apps cover workers, both kinds of job,
// init containers, native sidecars and claims.
func TestPodsAreConsistent(t *testing.T) {
	seen := map[string]int{}
	for seed := range uint64(propertySeeds) {
		for _, obj := range renderSeed(t, seed) {
			seen[obj.GetKind()]++
			var path []string
			switch obj.GetKind() {
			case "Deployment", "StatefulSet", "Rollout", "Job":
				path = []string{"spec", "template", "spec"}
			case "CronJob":
				path = []string{"spec", "jobTemplate", "spec", "template", "spec"}
			default:
				continue
			}
			id := fmt.Sprintf("seed %d: %s %s", seed, obj.GetKind(), obj.GetName())
			pod, err := obj.Pipe(yaml.Lookup(path...))
			if err != nil || pod == nil {
				t.Fatalf("%s: no pod template", id)
			}
			if obj.GetLabels()[manifests.LabelComponent] != "" && obj.GetKind() == "Deployment" {
				seen["worker"]++
			}
			volumes := map[string]bool{}
			for _, name := range names(t, pod, "volumes") {
				volumes[name] = false
			}
			if claims, _ := obj.Pipe(yaml.Lookup("spec", "volumeClaimTemplates")); claims != nil {
				for _, c := range claims.Content() {
					volumes[yaml.NewRNode(c).GetName()] = true // mounted by every pod
				}
			}
			containers := map[string]bool{}
			for _, list := range []string{"initContainers", "containers"} {
				field, _ := pod.Pipe(yaml.Lookup(list))
				if field == nil {
					continue
				}
				for _, c := range field.Content() {
					container := yaml.NewRNode(c)
					name := yaml.GetValue(container.Field("name").Value)
					if containers[name] {
						t.Errorf("%s: container name %q is used twice in the pod", id, name)
					}
					containers[name] = true
					if list == "initContainers" {
						if policy := container.Field("restartPolicy"); policy != nil && yaml.GetValue(policy.Value) == "Always" {
							seen["sidecar"]++
						} else {
							seen["init container"]++
						}
					}
					for _, mount := range names(t, container, "volumeMounts") {
						if _, ok := volumes[mount]; !ok {
							t.Errorf("%s: container %s mounts %q, which is not a volume of the pod", id, name, mount)
						}
						volumes[mount] = true
					}
				}
			}
			for name, mounted := range volumes {
				if !mounted {
					t.Errorf("%s: volume %q is mounted by no container", id, name)
				}
			}
		}
	}
	for _, kind := range []string{"worker", "Job", "CronJob", "PersistentVolumeClaim", "init container", "sidecar"} {
		if seen[kind] == 0 {
			t.Errorf("the generated Apps rendered no %s", kind)
		}
	}
}

// names returns the names of the items of a list field of node.
func names(t *testing.T, node *yaml.RNode, field string) []string {
	t.Helper()
	list, err := node.Pipe(yaml.Lookup(field))
	if err != nil {
		t.Fatal(err)
	}
	if list == nil {
		return nil
	}
	var out []string
	for _, item := range list.Content() {
		out = append(out, yaml.GetValue(yaml.NewRNode(item).Field("name").Value))
	}
	return out
}
